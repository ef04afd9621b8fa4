using System.Globalization;
using System.Text;
using NftKnock.Core.Model;

namespace NftKnock.Core.Links;

/// <summary>
/// A whole client profile as one link, <c>nftknock://HOST[:PORT]/DOOR?v=1&amp;s=SECRET&amp;...#LABEL</c>
/// (docs/link.md): what <c>client add</c> prints and shows as a QR code, and what <c>import</c> reads.
/// Exactly one of <see cref="Secret"/> (a rotating door) and <see cref="Sequence"/> (a static door) is set.
/// </summary>
/// <param name="Host">The server's host name, IPv4 address or IPv6 address (without brackets).</param>
/// <param name="Port">The service port the client connects to; null leaves it to the client (ssh's %p).</param>
/// <param name="Door">The door's name, part of every rotating derivation.</param>
/// <param name="Secret">A rotating door's secret; null for a static door.</param>
/// <param name="Sequence">A static door's knock steps; null for a rotating door.</param>
/// <param name="Spec">A rotating door's knocks, period, ports and exclusions (its door is <paramref name="Door"/>).</param>
/// <param name="Client">The client's name on the server, when it has one.</param>
/// <param name="Label">A human label for apps that list profiles.</param>
public sealed partial record ClientLink(
    string Host,
    int? Port,
    string Door,
    byte[]? Secret,
    IReadOnlyList<Step>? Sequence,
    RotatingSpec Spec,
    string? Client,
    string? Label)
{
    /// <summary>The scheme.</summary>
    public const string Scheme = "nftknock";

    /// <summary>The link version this program writes; it reads any 1.x.</summary>
    public const int Version = 1;

    /// <summary>The longest link accepted: a QR code of this size is still read by a phone camera.</summary>
    public const int MaxLength = 2048;

    /// <summary>The longest secret accepted, in bytes.</summary>
    public const int MaxSecretBytes = 512;

    /// <summary>The longest label, in characters after decoding.</summary>
    public const int MaxLabel = 64;

    /// <summary>A rotating door's link.</summary>
    public static ClientLink Rotating(string host, int? port, RotatingSpec spec, byte[] secret, string? client, string? label) =>
        new(host, port, spec.Door, secret, null, spec, client, label);

    /// <summary>A static door's link: it carries the door's one shared sequence.</summary>
    public static ClientLink Static(string host, int? port, string door, IReadOnlyList<Step> sequence, string? label) =>
        new(host, port, door, null, sequence, RotatingSpec.Default(door), null, label);

    /// <summary>True for a rotating door's link.</summary>
    public bool IsRotating => Secret is not null;

    /// <summary>
    /// The link text. Parameters come in a fixed order (v, s or q, k, p, r, x, c), so one profile
    /// always gives the same link; every value but the label is made of unreserved characters, ',' and '/'.
    /// </summary>
    public string Format()
    {
        var text = new StringBuilder(Scheme).Append("://").Append(HostText(Host));
        if (Port is { } port)
        {
            text.Append(':').Append(port.ToString(CultureInfo.InvariantCulture));
        }

        text.Append('/').Append(Door).Append("?v=").Append(Version.ToString(CultureInfo.InvariantCulture));
        if (Secret is { } secret)
        {
            text.Append("&s=").Append(Base64Url(secret))
                .Append("&k=").Append(Spec.Knocks.ToString(CultureInfo.InvariantCulture))
                .Append("&p=").Append(PeriodText(Spec.Period))
                .Append("&r=").Append(Spec.Ports.PortsText);
            if (Spec.Exclude.Count > 0)
            {
                text.Append("&x=").Append(string.Join(',', Spec.Exclude.Select(e => e.PortsText)));
            }
        }
        else
        {
            text.Append("&q=").Append(string.Join(',', Sequence!.Select(s => s.ToString())));
        }

        if (Client is { } client)
        {
            text.Append("&c=").Append(client);
        }

        if (Label is { Length: > 0 } label)
        {
            text.Append('#').Append(PercentEncode(label));
        }

        return text.ToString();
    }

    /// <inheritdoc/>
    public override string ToString() => Format();

    /// <summary>Whole seconds without a unit (the common case, <c>30</c>); otherwise milliseconds with <c>ms</c>.</summary>
    private static string PeriodText(TimeSpan period)
    {
        var ms = (long)period.TotalMilliseconds;
        return ms % 1000 == 0
            ? (ms / 1000).ToString(CultureInfo.InvariantCulture)
            : ms.ToString(CultureInfo.InvariantCulture) + "ms";
    }

    private static string HostText(string host) => host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;

    /// <summary>RFC 4648 §5 base64url without padding.</summary>
    internal static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Percent-encodes UTF-8 bytes outside RFC 3986's unreserved set.</summary>
    internal static string PercentEncode(string text)
    {
        var encoded = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~')
            {
                encoded.Append(c);
            }
            else
            {
                encoded.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return encoded.ToString();
    }
}
