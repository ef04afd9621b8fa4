// The reader of the link format, whole: each part is checked in the order a link is written, and split across files the checks of one parameter would drift from its grammar in docs/link.md.
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using NftKnock.Core.Diagnostics;
using NftKnock.Core.Model;
using NftKnock.Core.Ruleset;

namespace NftKnock.Core.Links;

/// <summary>Reading a link: strict about what it knows, silent about parameters a later 1.x may add.</summary>
public sealed partial record ClientLink
{
    private static readonly string[] Known = ["v", "s", "q", "k", "p", "r", "x", "c"];

    /// <summary>Parses a link; on failure <paramref name="problem"/> says what is wrong and what to do.</summary>
    public static bool TryParse(string text, out ClientLink? link, out Message? problem)
    {
        link = null;
        problem = Read(text.Trim(), out link);
        return problem is null;
    }

    private static Message? Read(string text, out ClientLink? link)
    {
        link = null;
        if (text.Length > MaxLength)
        {
            return Messages.NotALink($"it is longer than {MaxLength.ToString(CultureInfo.InvariantCulture)} characters");
        }

        if (text.Any(c => c <= ' ' || c >= '\x7f'))
        {
            return Messages.NotALink("it holds spaces or characters a link never has");
        }

        if (!text.StartsWith(Scheme + "://", StringComparison.OrdinalIgnoreCase))
        {
            return Messages.NotALink($"it does not start with {Scheme}://");
        }

        var rest = text[(Scheme.Length + 3)..];
        var fragment = Cut(ref rest, '#');
        var query = Cut(ref rest, '?');
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || query is null)
        {
            return Messages.NotALink("it names no door and no parameters (nftknock://HOST/DOOR?v=1&...)");
        }

        if (Authority(rest[..slash], out var host, out var port) is { } bad)
        {
            return bad;
        }

        if (Decode(rest[(slash + 1)..]) is not { } door || !NftText.IsDoorName(door))
        {
            return Messages.LinkBadValue("door", rest[(slash + 1)..], "a door name (a lowercase letter, then up to 15 of a-z, 0-9, _)");
        }

        if (Parameters(query, out var values) is { } twice)
        {
            return twice;
        }

        string? label = null;
        if (fragment is not null && ((label = Decode(fragment)) is null || label.Length > MaxLabel || label.Any(char.IsControl)))
        {
            return Messages.LinkBadValue("#label", fragment, $"percent-encoded UTF-8 text of at most {MaxLabel.ToString(CultureInfo.InvariantCulture)} characters");
        }

        return Profile(host!, port, door, values, label, out link);
    }

    private static Message? Profile(string host, int? port, string door, Dictionary<string, string> values, string? label, out ClientLink? link)
    {
        link = null;
        if (VersionProblem(values.GetValueOrDefault("v")) is { } version)
        {
            return version;
        }

        string? client = values.GetValueOrDefault("c");
        if (client is not null && !NftText.IsClientName(client))
        {
            return Messages.LinkBadValue("c", client, "a client name (a lowercase letter, then up to 31 of a-z, 0-9, '.', '-', '_')");
        }

        var secretText = values.GetValueOrDefault("s");
        var sequenceText = values.GetValueOrDefault("q");
        if ((secretText is null) == (sequenceText is null))
        {
            return Messages.LinkSecretOrSequence();
        }

        if (sequenceText is not null)
        {
            var steps = Steps(sequenceText);
            if (steps is null)
            {
                return Messages.LinkBadValue("q", sequenceText, "1 to 16 different knock steps like 7000/udp,8000/tcp");
            }

            link = Static(host, port, door, steps, label) with { Client = client };
            return null;
        }

        if (ReadSecret(secretText!) is not { } secret)
        {
            return Messages.LinkBadValue("s", secretText!, $"base64url without padding of 32 to {MaxSecretBytes.ToString(CultureInfo.InvariantCulture)} bytes");
        }

        if (ReadSpec(door, values, out var spec) is { } bad)
        {
            return bad;
        }

        link = Rotating(host, port, spec!, secret, client, label);
        return null;
    }

    private static Message? VersionProblem(string? text)
    {
        var match = text is null ? null : VersionText().Match(text);
        if (match is null || !match.Success)
        {
            return Messages.LinkBadValue("v", text ?? string.Empty, "a version like 1 or 1.2");
        }

        var major = match.Groups[1].Value.TrimStart('0');
        return major == "1" ? null
            : major.Length == 0 ? Messages.LinkBadValue("v", text!, "a version like 1 or 1.2")
            : Messages.LinkTooNew(text!);
    }

    private static Message? ReadSpec(string door, Dictionary<string, string> values, out RotatingSpec? spec)
    {
        spec = null;
        var defaults = RotatingSpec.Default(door);
        var knocks = defaults.Knocks;
        if (values.TryGetValue("k", out var k) && !(Digits(k, 2, out knocks) && knocks is >= 1 and <= Step.MaxPerSequence))
        {
            return Messages.LinkBadValue("k", k, "a whole number of knocks from 1 to 16");
        }

        var period = defaults.Period;
        if (values.TryGetValue("p", out var p) && (Period(p) is not { } read || (period = read) < TimeSpan.FromSeconds(1) || period > TimeSpan.FromHours(1)))
        {
            return Messages.LinkBadValue("p", p, "a period from 1 to 3600 seconds, like 30 (or milliseconds like 1500ms)");
        }

        var ports = defaults.Ports;
        if (values.TryGetValue("r", out var r) && !(PortRange.TryParse(r, Protocol.Udp, out ports) && !r.Contains('/', StringComparison.Ordinal)))
        {
            return Messages.LinkBadValue("r", r, "a port range like 10000-65000");
        }

        var exclude = new List<PortRange>();
        foreach (var item in values.TryGetValue("x", out var x) ? x.Split(',') : [])
        {
            if (!PortRange.TryParse(item, Protocol.Udp, out var range) || item.Contains('/', StringComparison.Ordinal) || exclude.Count >= 64)
            {
                return Messages.LinkBadValue("x", x!, "up to 64 ports or ranges separated by commas, like 51820,60000-61000");
            }

            exclude.Add(range);
        }

        spec = new RotatingSpec(door, knocks, period, ports with { Protocol = Protocol.Udp }, exclude);
        return spec.FreePorts < Messages.MinFreePorts
            ? Messages.LinkBadValue("r", r ?? ports.PortsText, $"a range that leaves at least {Messages.MinFreePorts.ToString(CultureInfo.InvariantCulture)} ports after x=")
            : null;
    }

    private static Message? Authority(string authority, out string? host, out int? port)
    {
        host = null;
        port = null;
        var portText = (string?)null;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            host = close < 0 ? null : authority[1..close];
            portText = close < 0 || close == authority.Length - 1 ? null : authority[(close + 1)..];
            if (host is null || host.Contains('%', StringComparison.Ordinal) || !IPAddress.TryParse(host, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6
                || (portText is not null && !portText.StartsWith(':')))
            {
                return Messages.LinkBadValue("host", authority, "a host name, an IPv4 address or an IPv6 address in brackets");
            }

            host = v6.ToString();
            portText = portText?[1..];
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            host = colon < 0 ? authority : authority[..colon];
            portText = colon < 0 ? null : authority[(colon + 1)..];
            if (host.Length is 0 or > 253 || !HostName().IsMatch(host))
            {
                return Messages.LinkBadValue("host", authority, "a host name, an IPv4 address or an IPv6 address in brackets");
            }
        }

        if (portText is not null)
        {
            if (!Digits(portText, 5, out var number) || number is < 1 or > 65535)
            {
                return Messages.LinkBadValue("port", portText, "a port from 1 to 65535");
            }

            port = number;
        }

        return null;
    }

    private static Message? Parameters(string query, out Dictionary<string, string> values)
    {
        values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Decode(equals < 0 ? pair : pair[..equals]);
            if (name is null || !Known.Contains(name))
            {
                continue;
            }

            var value = equals < 0 ? string.Empty : Decode(pair[(equals + 1)..]);
            if (value is null)
            {
                return Messages.LinkBadValue(name, pair[(equals + 1)..], "percent-encoded UTF-8");
            }

            if (!values.TryAdd(name, value))
            {
                return Messages.LinkParameterTwice(name);
            }
        }

        return null;
    }

    private static List<Step>? Steps(string text)
    {
        var steps = new List<Step>();
        foreach (var item in text.Split(','))
        {
            if (!Step.TryParse(item, out var step) || steps.Contains(step) || steps.Count >= Step.MaxPerSequence)
            {
                return null;
            }

            steps.Add(step);
        }

        return steps;
    }

    private static byte[]? ReadSecret(string text)
    {
        if (!Base64UrlText().IsMatch(text) || text.Length % 4 == 1)
        {
            return null;
        }

        var padded = text.Replace('-', '+').Replace('_', '/') + new string('=', (4 - (text.Length % 4)) % 4);
        var bytes = Convert.FromBase64String(padded);
        return bytes.Length is >= Core.Rotating.RotatingDerivation.MinSecretBytes and <= MaxSecretBytes && Base64Url(bytes) == text ? bytes : null;
    }

    private static TimeSpan? Period(string text)
    {
        var ms = text.EndsWith("ms", StringComparison.Ordinal);
        var digits = ms ? text[..^2] : text;
        return Digits(digits, 7, out var n) ? TimeSpan.FromMilliseconds(ms ? n : n * 1000L) : null;
    }

    private static bool Digits(string text, int most, out int value)
    {
        value = 0;
        return text.Length is > 0 && text.Length <= most && text.All(char.IsAsciiDigit)
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Takes what follows the first <paramref name="mark"/> off <paramref name="text"/>; null when there is none.</summary>
    private static string? Cut(ref string text, char mark)
    {
        var at = text.IndexOf(mark, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var tail = text[(at + 1)..];
        text = text[..at];
        return tail;
    }

    /// <summary>Percent-decodes strict UTF-8 ('+' stays '+': this is RFC 3986, not a form); null when malformed.</summary>
    private static string? Decode(string text)
    {
        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '%')
            {
                bytes.Add((byte)text[i]);
                continue;
            }

            if (i + 2 >= text.Length || !byte.TryParse(text.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
            {
                return null;
            }

            bytes.Add(b);
            i += 2;
        }

        try
        {
            return new UTF8Encoding(false, true).GetString([.. bytes]);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\z")]
    private static partial Regex HostName();

    [GeneratedRegex(@"^([0-9]{1,3})(?:\.[0-9]{1,3})?\z")]
    private static partial Regex VersionText();

    [GeneratedRegex(@"^[A-Za-z0-9_-]+\z")]
    private static partial Regex Base64UrlText();
}
