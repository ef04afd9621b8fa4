using System.Buffers.Binary;
using System.Text;

namespace NftKnock.Server.Nftables;

/// <summary>
/// Netlink messages written in place into one growing buffer: a message's or a nested attribute's
/// length is filled in when it ends, so a batch of thousands of attributes is built without a copy each.
/// </summary>
internal sealed class NetlinkWriter(int capacity)
{
    private const ushort NestedFlag = 0x8000;
    private byte[] buffer = new byte[Math.Max(capacity, 64)];
    private int length;

    /// <summary>Starts a message with its nfgenmsg header; returns where it starts, for <see cref="EndMessage"/>.</summary>
    public int Begin(int type, ushort flags, uint sequence, byte family, ushort resource = 0)
    {
        var start = length;
        var header = Take(20);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], (ushort)type);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], sequence);
        header[16] = family;
        BinaryPrimitives.WriteUInt16BigEndian(header[18..], resource);
        return start;
    }

    /// <summary>Starts a nested attribute; returns where it starts, for <see cref="EndNest"/>.</summary>
    public int Nest(ushort type)
    {
        var start = length;
        BinaryPrimitives.WriteUInt16LittleEndian(Take(4)[2..], (ushort)(type | NestedFlag));
        return start;
    }

    /// <summary>Ends the message that started at <paramref name="start"/>: writes its length.</summary>
    public void EndMessage(int start) => BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(start), (uint)(length - start));

    /// <summary>Ends the nested attribute that started at <paramref name="start"/>: writes its length, which must fit 16 bits.</summary>
    public void EndNest(int start) => BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(start), checked((ushort)(length - start)));

    /// <summary>An attribute holding <paramref name="value"/>.</summary>
    public void Bytes(ushort type, ReadOnlySpan<byte> value)
    {
        var attribute = Take(Align(4 + value.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(attribute, (ushort)(4 + value.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(attribute[2..], type);
        value.CopyTo(attribute[4..]);
    }

    /// <summary>An attribute holding <paramref name="value"/> in UTF-8 with its ending NUL.</summary>
    public void Text(ushort type, string value)
    {
        Span<byte> text = stackalloc byte[Encoding.UTF8.GetMaxByteCount(value.Length) + 1];
        var count = Encoding.UTF8.GetBytes(value, text);
        text[count] = 0;
        Bytes(type, text[..(count + 1)]);
    }

    /// <summary>An attribute holding a 32-bit number in network order.</summary>
    public void BigEndian32(ushort type, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        Bytes(type, bytes);
    }

    /// <summary>An attribute holding a 64-bit number in network order.</summary>
    public void BigEndian64(ushort type, ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        Bytes(type, bytes);
    }

    /// <summary>What was written.</summary>
    public byte[] ToArray() => buffer.AsSpan(0, length).ToArray();

    private Span<byte> Take(int count)
    {
        if (length + count > buffer.Length)
        {
            Array.Resize(ref buffer, Math.Max(buffer.Length * 2, length + count));
        }

        var span = buffer.AsSpan(length, count);
        span.Clear();
        length += count;
        return span;
    }

    private static int Align(int count) => (count + 3) & ~3;
}
