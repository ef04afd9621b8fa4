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
    private const ushort Nested = 0x8000;
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
        var entries = new List<byte[]>(fill.Entries.Count);
        foreach (var entry in fill.Entries)
        {
            if (RotatingEntry(entry) is not { } encoded)
            {
                return null;
            }

            entries.Add(encoded);
        }

        var names = new[] { Attribute(ListTable, Text(table)), Attribute(ListSet, Text(fill.Map)) };
        var batch = new List<byte[]>
        {
            Batch(BatchBegin, sequence),
            Message(DeleteSetElement, (ushort)(Request | Ack), sequence + 1, Inet, names),
        };
        for (var i = 0; i < entries.Count; i += EntriesPerMessage)
        {
            var elements = Attribute((ushort)(Nested | ListElements), [.. entries.Skip(i).Take(EntriesPerMessage).SelectMany(e => e)]);
            batch.Add(Message(NewSetElement, (ushort)(Request | Ack | Create), sequence + (uint)batch.Count, Inet, [.. names, elements]));
        }

        messages = batch.Count - 1;
        batch.Add(Batch(BatchEnd, sequence + (uint)batch.Count));
        return [.. batch.SelectMany(m => m)];
    }

    /// <summary>
    /// One element of the rotating map (<c>typeof udp dport . @th,64,64 : verdict</c>): the key is the port
    /// in network order in a 4-byte register, then the token's 8 bytes as they are on the wire.
    /// </summary>
    private static byte[]? RotatingEntry(MapEntry entry)
    {
        if (entry.Key is not [var port, var token]
            || !ushort.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || token.Length != 18 || !token.StartsWith("0x", StringComparison.Ordinal)
            || !ulong.TryParse(token.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            || entry.Verdict.Action is not ("goto" or "jump"))
        {
            return null;
        }

        var key = new byte[12];
        BinaryPrimitives.WriteUInt16BigEndian(key, number);
        BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(4), value);
        var code = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(code, entry.Verdict.Action == "goto" ? -4 : -3);
        var verdict = Attribute((ushort)(Nested | DataVerdict), [.. Attribute(VerdictCode, code), .. Attribute(VerdictChain, Text(entry.Verdict.Chain))]);
        List<byte[]> attributes =
        [
            Attribute((ushort)(Nested | ElementKey), Attribute(DataValue, key)),
            Attribute((ushort)(Nested | ElementData), verdict),
        ];
        if (entry.Timeout is { } timeout)
        {
            var milliseconds = new byte[8];
            BinaryPrimitives.WriteInt64BigEndian(milliseconds, (long)timeout.TotalMilliseconds);
            attributes.Add(Attribute(ElementTimeout, milliseconds));
        }

        return Attribute((ushort)(Nested | ListElement), [.. attributes.SelectMany(a => a)]);
    }

    /// <summary>
    /// Reads the acknowledgements in one datagram of answers to a batch whose acknowledged messages have
    /// the sequence numbers <paramref name="first"/> and on: each one acknowledged adds to
    /// <paramref name="acknowledged"/>, and the first refusal's errno goes to <paramref name="errno"/>.
    /// </summary>
    /// <exception cref="FormatException">A message runs past its datagram.</exception>
    public static void ReadAcknowledgements(ReadOnlySpan<byte> datagram, uint first, int count, ref int acknowledged, ref int errno)
    {
        while (datagram.Length >= 16)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(datagram);
            if (length < 16 || length > datagram.Length)
            {
                throw new FormatException($"a netlink message of {length} bytes in {datagram.Length}");
            }

            var type = BinaryPrimitives.ReadUInt16LittleEndian(datagram[4..]);
            var sequence = BinaryPrimitives.ReadUInt32LittleEndian(datagram[8..]);
            if (type == Error && length >= 20 && sequence - first < (uint)count)
            {
                var error = -BinaryPrimitives.ReadInt32LittleEndian(datagram[16..]);
                acknowledged++;
                errno = errno == 0 ? error : errno;
            }

            datagram = datagram[Math.Min(Align(length), datagram.Length)..];
        }
    }

    /// <summary>A batch's begin or end: nfgenmsg's resource id names the nf_tables subsystem.</summary>
    private static byte[] Batch(int kind, uint sequence)
    {
        var message = new byte[20];
        BinaryPrimitives.WriteUInt32LittleEndian(message, 20);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(4), (ushort)kind);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(6), Request);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(8), sequence);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(18), Subsystem);
        return message;
    }
}
