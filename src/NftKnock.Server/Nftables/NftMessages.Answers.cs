using System.Buffers.Binary;
using System.Text;

namespace NftKnock.Server.Nftables;

// The kernel's answers: the messages read into what apply needs of them.
public static partial class NftMessages
{
    /// <summary>What a run of answers to one request said.</summary>
    public sealed class Answer
    {
        /// <summary>The error number of a refusal; 0 when none came.</summary>
        public int Errno { get; set; }

        /// <summary>Whether the request is answered in full: acknowledged, or its dump done.</summary>
        public bool Finished { get; set; }

        /// <summary>Whether the kernel says the ruleset changed while it dumped.</summary>
        public bool Interrupted { get; set; }

        /// <summary>The generation, when that was asked.</summary>
        public uint? Generation { get; set; }

        /// <summary>The table, when that was asked and it exists.</summary>
        public KernelTable? Table { get; set; }

        /// <summary>The chains dumped so far.</summary>
        public List<KernelChain> Chains { get; } = [];

        /// <summary>The counters dumped so far.</summary>
        public List<KernelCounter> Counters { get; } = [];
    }

    /// <summary>
    /// Reads the netlink messages in one datagram of answers to <paramref name="sequence"/> into
    /// <paramref name="answer"/>; messages of other sequences are skipped.
    /// </summary>
    /// <exception cref="FormatException">A message or attribute runs past its datagram.</exception>
    public static void Read(ReadOnlySpan<byte> datagram, uint sequence, Answer answer)
    {
        while (NextMessage(ref datagram, out var message))
        {
            if (message.Sequence == sequence)
            {
                answer.Interrupted |= (message.Flags & DumpInterrupted) != 0;
                Read(message.Type, message.Body, answer);
            }
        }
    }

    /// <summary>A netlink message's header fields and body.</summary>
    private readonly ref struct NetlinkMessage(int type, ushort flags, uint sequence, ReadOnlySpan<byte> body)
    {
        public int Type { get; } = type;

        public ushort Flags { get; } = flags;

        public uint Sequence { get; } = sequence;

        public ReadOnlySpan<byte> Body { get; } = body;
    }

    /// <summary>Takes the first message off <paramref name="datagram"/>; false when none is left.</summary>
    /// <exception cref="FormatException">The message runs past its datagram.</exception>
    private static bool NextMessage(ref ReadOnlySpan<byte> datagram, out NetlinkMessage message)
    {
        message = default;
        if (datagram.Length < 16)
        {
            return false;
        }

        var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(datagram);
        if (length < 16 || length > datagram.Length)
        {
            throw new FormatException($"a netlink message of {length} bytes in {datagram.Length}");
        }

        message = new NetlinkMessage(
            BinaryPrimitives.ReadUInt16LittleEndian(datagram[4..]),
            BinaryPrimitives.ReadUInt16LittleEndian(datagram[6..]),
            BinaryPrimitives.ReadUInt32LittleEndian(datagram[8..]),
            datagram[16..length]);
        datagram = datagram[Math.Min(Align(length), datagram.Length)..];
        return true;
    }

    private static void Read(int type, ReadOnlySpan<byte> body, Answer answer)
    {
        switch (type)
        {
            case Error when body.Length >= 4:
                answer.Errno = -BinaryPrimitives.ReadInt32LittleEndian(body);
                answer.Finished = true;
                break;
            case Done:
                answer.Finished = true;
                break;
            case (Subsystem << 8) | NewGeneration when body.Length >= 4:
                foreach (var (kind, value) in Attributes(body[4..]))
                {
                    answer.Generation = kind == GenerationId && value.Length == 4 ? BinaryPrimitives.ReadUInt32BigEndian(value) : answer.Generation;
                }

                break;
            case (Subsystem << 8) | NewTable when body.Length >= 4:
                answer.Table = ReadTable(body[4..]);
                break;
            case (Subsystem << 8) | NewChain when body.Length >= 4:
                answer.Chains.Add(ReadChain(body[4..]));
                break;
            case (Subsystem << 8) | NewObject when body.Length >= 4:
                if (ReadCounter(body[4..]) is { } counter)
                {
                    answer.Counters.Add(counter);
                }

                break;
        }
    }

    /// <summary>The attributes of a message body or a nested attribute, type without its flags, as a list (spans cannot be yielded).</summary>
    private static List<(int Kind, byte[] Value)> Attributes(ReadOnlySpan<byte> attributes)
    {
        var list = new List<(int, byte[])>();
        while (attributes.Length >= 4)
        {
            var length = BinaryPrimitives.ReadUInt16LittleEndian(attributes);
            if (length < 4 || length > attributes.Length)
            {
                throw new FormatException($"a netlink attribute of {length} bytes in {attributes.Length}");
            }

            list.Add((BinaryPrimitives.ReadUInt16LittleEndian(attributes[2..]) & 0x3fff, attributes[4..length].ToArray()));
            attributes = attributes[Math.Min(Align(length), attributes.Length)..];
        }

        return list;
    }

    /// <summary>The comment in nftnl's user data: type, length and value records, the value ending in a NUL.</summary>
    private static string? Comment(ReadOnlySpan<byte> data)
    {
        while (data.Length >= 2 && data[1] <= data.Length - 2)
        {
            if (data[0] == CommentData)
            {
                return String(data.Slice(2, data[1]));
            }

            data = data[(2 + data[1])..];
        }

        return null;
    }

    private static string String(ReadOnlySpan<byte> value)
    {
        var end = value.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end >= 0 ? value[..end] : value);
    }
}
