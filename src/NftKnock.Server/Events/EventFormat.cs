using System.Globalization;
using System.Text;
using NftKnock.Core.Model;
using NftKnock.Server.Status;

namespace NftKnock.Server.Events;

/// <summary>The two views of an event: one line of text, or one JSON object on one line.</summary>
public static class EventFormat
{
    /// <summary><c>2026-11-26T17:03:04Z grant door=ssh client=alice source=198.18.0.2 family=ipv4 interface=veth0 port=9000/udp</c>.</summary>
    public static string Text(KnockEvent knock)
    {
        var text = new StringBuilder(128)
            .Append(knock.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))
            .Append(' ').Append(KindName(knock.Kind))
            .Append(" door=").Append(knock.Door);
        if (knock.Client is { } client)
        {
            text.Append(" client=").Append(client);
        }

        text.Append(" source=").Append(knock.Source).Append(" family=").Append(Family(knock.Family));
        if (knock.Interface is { } name)
        {
            text.Append(" interface=").Append(name);
        }

        if (knock.Port is { } port)
        {
            text.Append(" port=").Append(port.ToString(CultureInfo.InvariantCulture));
            if (knock.Protocol is { } protocol)
            {
                text.Append('/').Append(protocol);
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// <c>{"time":"2026-11-26T17:03:04.123Z","kind":"grant","door":"ssh","client":"alice","source":"198.18.0.2","family":"ipv4","interface":"veth0","port":9000,"protocol":"udp"}</c>;
    /// client, interface, port and protocol only when the line has them.
    /// </summary>
    public static string Json(KnockEvent knock) => JsonOutput.Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("time", knock.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        w.WriteString("kind", KindName(knock.Kind));
        w.WriteString("door", knock.Door);
        if (knock.Client is { } client)
        {
            w.WriteString("client", client);
        }

        w.WriteString("source", knock.Source);
        w.WriteString("family", Family(knock.Family));
        if (knock.Interface is { } name)
        {
            w.WriteString("interface", name);
        }

        if (knock.Port is { } port)
        {
            w.WriteNumber("port", port);
        }

        if (knock.Protocol is { } protocol)
        {
            w.WriteString("protocol", protocol);
        }

        w.WriteEndObject();
    });

    /// <summary>The kind as text and JSON name it: <c>grant</c>, <c>replay</c>, <c>outside</c> or <c>would-drop</c>.</summary>
    public static string KindName(EventKind kind) => kind switch
    {
        EventKind.Grant => "grant",
        EventKind.Replay => "replay",
        EventKind.Outside => "outside",
        _ => "would-drop",
    };

    private static string Family(Families family) => family == Families.IPv4 ? "ipv4" : "ipv6";
}
