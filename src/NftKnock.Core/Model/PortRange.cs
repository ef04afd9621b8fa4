using System.Globalization;

namespace NftKnock.Core.Model;

/// <summary>Guarded ports, written <c>22/tcp</c> or <c>6000-6010/tcp</c>.</summary>
public readonly record struct PortRange(int First, int Last, Protocol Protocol)
{
    /// <summary>Protected ports are TCP unless the text says otherwise.</summary>
    public const Protocol DefaultProtocol = Protocol.Tcp;

    /// <summary>True when the range is a single port.</summary>
    public bool IsSingle => First == Last;

    /// <summary>The range in nft syntax, <c>22</c> or <c>6000-6010</c>.</summary>
    public string PortsText => IsSingle
        ? First.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{First}-{Last}");

    /// <inheritdoc/>
    public override string ToString() => $"{PortsText}/{Protocol.Name()}";

    /// <summary>True when <paramref name="port"/> over <paramref name="protocol"/> falls in this range.</summary>
    public bool Contains(int port, Protocol protocol) => protocol == Protocol && port >= First && port <= Last;

    /// <summary>True when the two ranges share a port of the same protocol.</summary>
    public bool Overlaps(PortRange other) => other.Protocol == Protocol && other.First <= Last && First <= other.Last;

    /// <summary>Parses <c>PORT[-PORT][/tcp|/udp]</c> with <paramref name="defaultProtocol"/> when none is given.</summary>
    public static bool TryParse(string text, Protocol defaultProtocol, out PortRange range)
    {
        range = default;
        if (!PortText.TrySplit(text, defaultProtocol, out var portText, out var protocol))
        {
            return false;
        }

        var dash = portText.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            if (!Port.TryParse(portText, out var single))
            {
                return false;
            }

            range = new PortRange(single, single, protocol);
            return true;
        }

        if (!Port.TryParse(portText[..dash], out var first) || !Port.TryParse(portText[(dash + 1)..], out var last)
            || last < first)
        {
            return false;
        }

        range = new PortRange(first, last, protocol);
        return true;
    }
}

/// <summary>Shared parsing of the <c>port/proto</c> notation.</summary>
internal static class PortText
{
    public static bool TrySplit(string text, Protocol defaultProtocol, out string port, out Protocol protocol)
    {
        text = text.Trim();
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        protocol = defaultProtocol;
        if (slash < 0)
        {
            port = text;
            return port.Length > 0;
        }

        port = text[..slash];
        return port.Length > 0 && ProtocolNames.TryParse(text[(slash + 1)..], out protocol);
    }
}
