using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using NftKnock.Core.Model;
using NftKnock.Core.Ruleset;

namespace NftKnock.Server.Events;

/// <summary>
/// Takes apart the kernel log lines nftknock's rules write: the prefix (<see cref="LogPrefix"/>),
/// then the kernel's nf_log fields (<c>IN=veth0 OUT= MAC=... SRC=198.18.0.2 DST=... PROTO=UDP SPT=.. DPT=..</c>).
/// Pure and strict: anything that is not such a line, exactly, is not an event.
/// </summary>
public static partial class LogLine
{
    /// <summary>Longer messages are not nf_log lines (the kernel's own lines stay far below this).</summary>
    public const int MaxLength = 1024;

    /// <summary>Reads <paramref name="record"/> as an event; false for any other line.</summary>
    public static bool TryParse(KernelRecord record, out KnockEvent knock)
    {
        knock = null!;
        var line = record.Message;
        if (line.Length > MaxLength || !LogPrefix.TryParse(line, out var prefix, out var length))
        {
            return false;
        }

        if (!TryFields(line.AsSpan(length), out var fields) || fields.Source is null)
        {
            return false;
        }

        var kind = prefix.Kind switch
        {
            LogKind.Grant => EventKind.Grant,
            LogKind.Replay => EventKind.Replay,
            LogKind.Outside => EventKind.Outside,
            _ => EventKind.WouldDrop,
        };
        knock = new KnockEvent(record.Time, kind, prefix.Door, prefix.Client, fields.Source, fields.Family, fields.Interface, fields.Port, fields.Protocol);
        return true;
    }

    private struct Fields
    {
        public string? Source;
        public Families Family;
        public string? Interface;
        public int? Port;
        public string? Protocol;
    }

    /// <summary>
    /// The nf_log fields, which start with <c>IN=</c>. Each key counts once, at its first appearance
    /// (a value split at its first '=' so an interface named <c>SRC=x</c> stays IN's value), and the
    /// reading stops at '[', where an ICMP error's quoted packet would begin.
    /// </summary>
    private static bool TryFields(ReadOnlySpan<char> text, out Fields fields)
    {
        fields = default;
        if (!text.StartsWith("IN="))
        {
            return false;
        }

        var seen = Seen.None;
        foreach (var range in text.Split(' '))
        {
            var token = text[range];
            if (token.IsEmpty)
            {
                continue;
            }

            if (token[0] == '[')
            {
                break;
            }

            var eq = token.IndexOf('=');
            if (eq > 0 && !TryTake(token[..eq], token[(eq + 1)..], ref fields, ref seen))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The keys already read; a later one of the same name is not the packet's.</summary>
    [Flags]
    private enum Seen
    {
        None = 0,
        In = 1,
        Source = 2,
        Port = 4,
        Protocol = 8,
    }

    /// <summary>
    /// Takes one <c>KEY=value</c> field into <paramref name="fields"/> if it is one the event needs and
    /// its first of that key; false when the source address is not one the kernel would print.
    /// </summary>
    private static bool TryTake(ReadOnlySpan<char> key, ReadOnlySpan<char> value, ref Fields fields, ref Seen seen)
    {
        if (key.SequenceEqual("IN") && First(ref seen, Seen.In))
        {
            fields.Interface = InterfaceName().IsMatch(value) ? value.ToString() : null;
        }
        else if (key.SequenceEqual("SRC") && First(ref seen, Seen.Source))
        {
            return TryAddress(value, out fields.Source, out fields.Family);
        }
        else if (key.SequenceEqual("DPT") && First(ref seen, Seen.Port))
        {
            fields.Port = value.Length <= 5 && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535 ? port : null;
        }
        else if (key.SequenceEqual("PROTO") && First(ref seen, Seen.Protocol))
        {
            fields.Protocol = value switch
            {
                "UDP" => "udp",
                "TCP" => "tcp",
                _ => null,
            };
        }

        return true;
    }

    /// <summary>True the first time <paramref name="key"/> is seen, and marks it seen.</summary>
    private static bool First(ref Seen seen, Seen key)
    {
        var first = (seen & key) == 0;
        seen |= key;
        return first;
    }

    /// <summary>
    /// The kernel prints IPv4 dotted and IPv6 in full (<c>2001:0db8:0000:...</c>); both come out
    /// canonical. Only hex digits, dots and colons: no zone, no prefix, no shorthand IPv4 forms.
    /// </summary>
    private static bool TryAddress(ReadOnlySpan<char> text, out string? address, out Families family)
    {
        address = null;
        family = default;
        if (text.IsEmpty || text.Length > 39 || text.ContainsAnyExcept(AddressCharacters) || !IPAddress.TryParse(text, out var parsed))
        {
            return false;
        }

        var canonical = parsed.ToString();
        if (parsed.AddressFamily == AddressFamily.InterNetwork && !text.SequenceEqual(canonical))
        {
            return false;
        }

        (address, family) = (canonical, parsed.AddressFamily == AddressFamily.InterNetwork ? Families.IPv4 : Families.IPv6);
        return true;
    }

    private static readonly System.Buffers.SearchValues<char> AddressCharacters =
        System.Buffers.SearchValues.Create("0123456789abcdefABCDEF.:");

    // Interface names as nftknock shows them; others (the kernel takes almost any byte) are left out.
    [GeneratedRegex(@"^[A-Za-z0-9_.@-]{1,15}\z")]
    private static partial Regex InterfaceName();
}
