using System.Buffers.Binary;
using System.Globalization;
using NftKnock.Core.Ruleset.Model;

namespace NftKnock.Server.Nftables;

// The one change nftknock sends the kernel without nft: the rotating map's flush and refill, as one batch.
public static partial class NftMessages
{
    private const int BatchBegin = 0x10;
    private const int BatchEnd = 0x11;
    private const int NewSetElement = 12;
    private const int DeleteSetElement = 14;
    private const ushort ListTable = 1;
    private const ushort ListSet = 2;
    private const ushort ListElements = 3;
    private const ushort ListElement = 1;
    private const ushort ElementKey = 1;
    private const ushort ElementData = 2;
    private const ushort ElementTimeout = 4;
    private const ushort DataValue = 1;
    private const ushort DataVerdict = 2;
    private const ushort VerdictCode = 1;
    private const ushort VerdictChain = 2;
    private const ushort Create = 0x400;

    /// <summary>Entries per message: an attribute's length is 16 bits, and an entry with its chain's name takes under 120 bytes.</summary>
    private const int EntriesPerMessage = 400;

    /// <summary>
    /// The batch that flushes the map <c>inet <paramref name="table"/> <paramref name="fill"/>.Map</c> and
    /// adds every entry, as nft would send <c>flush map</c> and <c>add element</c>: one transaction, so
    /// nobody sees the map empty. Each message asks for an acknowledgement; its sequence numbers start at
    /// <paramref name="sequence"/>, and <paramref name="messages"/> says how many there are to acknowledge.
    /// Null when an entry is not a rotating knock (a UDP port and an 8-byte token to a goto or jump): only
    /// that key is encoded here, and anything else goes through nft.
    /// </summary>
    public static byte[]? Fill(string table, MapFill fill, uint sequence, out int messages)
    {
        messages = 0;
        var keys = new (ushort Port, ulong Token)[fill.Entries.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            if (RotatingKey(fill.Entries[i]) is not { } key)
            {
                return null;
            }

            keys[i] = key;
        }

        // Written in place: at 1,000 clients a wake is 9,000 entries, some 800 KB.
        var w = new NetlinkWriter(256 + (fill.Entries.Count * 96));
        Batch(w, BatchBegin, sequence);
        var next = sequence + 1;
        var message = w.Begin((Subsystem << 8) | DeleteSetElement, (ushort)(Request | Ack), next++, Inet);
        Names(w, table, fill.Map);
        w.EndMessage(message);
        for (var i = 0; i < keys.Length; i += EntriesPerMessage)
        {
            message = w.Begin((Subsystem << 8) | NewSetElement, (ushort)(Request | Ack | Create), next++, Inet);
            Names(w, table, fill.Map);
            var elements = w.Nest(ListElements);
            for (var j = i; j < Math.Min(i + EntriesPerMessage, keys.Length); j++)
            {
                Entry(w, keys[j], fill.Entries[j]);
            }

            w.EndNest(elements);
            w.EndMessage(message);
        }

        messages = (int)(next - sequence - 1);
        Batch(w, BatchEnd, next);
        return w.ToArray();
    }

    private static void Names(NetlinkWriter w, string table, string map)
    {
        w.Text(ListTable, table);
        w.Text(ListSet, map);
    }

    /// <summary>
    /// One element of the rotating map (<c>typeof udp dport . @th,64,64 : verdict</c>): the key is the port
    /// in network order in a 4-byte register, then the token's 8 bytes as they are on the wire.
    /// </summary>
    private static void Entry(NetlinkWriter w, (ushort Port, ulong Token) key, MapEntry entry)
    {
        var element = w.Nest(ListElement);
        var nest = w.Nest(ElementKey);
        Span<byte> value = stackalloc byte[12];
        value.Clear();
        BinaryPrimitives.WriteUInt16BigEndian(value, key.Port);
        BinaryPrimitives.WriteUInt64BigEndian(value[4..], key.Token);
        w.Bytes(DataValue, value);
        w.EndNest(nest);
        nest = w.Nest(ElementData);
        var verdict = w.Nest(DataVerdict);
        w.BigEndian32(VerdictCode, entry.Verdict.Action == "goto" ? unchecked((uint)-4) : unchecked((uint)-3));
        w.Text(VerdictChain, entry.Verdict.Chain);
        w.EndNest(verdict);
        w.EndNest(nest);
        if (entry.Timeout is { } timeout)
        {
            w.BigEndian64(ElementTimeout, (ulong)timeout.TotalMilliseconds);
        }

        w.EndNest(element);
    }

    /// <summary>The port and token of a rotating knock's key; null for any other entry.</summary>
    private static (ushort, ulong)? RotatingKey(MapEntry entry) =>
        entry.Key is [var port, var token]
        && ushort.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
        && token.Length == 18 && token.StartsWith("0x", StringComparison.Ordinal)
        && ulong.TryParse(token.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
        && entry.Verdict.Action is "goto" or "jump"
            ? (number, value)
            : null;

    /// <summary>
    /// Reads the acknowledgements in one datagram of answers to a batch whose acknowledged messages have
    /// the sequence numbers <paramref name="first"/> and on: each one acknowledged adds to
    /// <paramref name="acknowledged"/>, and the first refusal's errno goes to <paramref name="errno"/>.
    /// </summary>
    /// <exception cref="FormatException">A message runs past its datagram.</exception>
    public static void ReadAcknowledgements(ReadOnlySpan<byte> datagram, uint first, int count, ref int acknowledged, ref int errno)
    {
        while (NextMessage(ref datagram, out var message))
        {
            if (message.Type == Error && message.Body.Length >= 4 && message.Sequence - first < (uint)count)
            {
                var error = -BinaryPrimitives.ReadInt32LittleEndian(message.Body);
                acknowledged++;
                errno = errno == 0 ? error : errno;
            }
        }
    }

    /// <summary>A batch's begin or end: nfgenmsg's resource id names the nf_tables subsystem.</summary>
    private static void Batch(NetlinkWriter w, int kind, uint sequence)
    {
        var message = w.Begin(kind, Request, sequence, 0, Subsystem);
        w.EndMessage(message);
    }
}
