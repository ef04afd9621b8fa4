using System.Buffers.Binary;

namespace NftKnock.Server.Nftables;

// The objects in the kernel's answers: a table, a chain, a counter, each from its attributes.
public static partial class NftMessages
{
    private static KernelTable ReadTable(ReadOnlySpan<byte> attributes)
    {
        string? name = null, comment = null;
        long handle = 0;
        foreach (var (kind, value) in Attributes(attributes))
        {
            switch (kind)
            {
                case TableName:
                    name = String(value);
                    break;
                case TableHandle when value.Length == 8:
                    handle = BinaryPrimitives.ReadInt64BigEndian(value);
                    break;
                case TableUserData:
                    comment = Comment(value);
                    break;
            }
        }

        return new KernelTable(name ?? throw new FormatException("a table without a name"), handle, comment);
    }

    private static KernelChain ReadChain(ReadOnlySpan<byte> attributes)
    {
        string? table = null, name = null, type = null;
        long handle = 0;
        int? hook = null, priority = null, policy = null;
        foreach (var (kind, value) in Attributes(attributes))
        {
            switch (kind)
            {
                case ChainTable:
                    table = String(value);
                    break;
                case ChainName:
                    name = String(value);
                    break;
                case ChainHandle when value.Length == 8:
                    handle = BinaryPrimitives.ReadInt64BigEndian(value);
                    break;
                case ChainType:
                    type = String(value);
                    break;
                case ChainPolicy when value.Length == 4:
                    policy = BinaryPrimitives.ReadInt32BigEndian(value);
                    break;
                case ChainHook:
                    foreach (var (inner, number) in Attributes(value))
                    {
                        hook = inner == HookNumber && number.Length == 4 ? BinaryPrimitives.ReadInt32BigEndian(number) : hook;
                        priority = inner == HookPriority && number.Length == 4 ? BinaryPrimitives.ReadInt32BigEndian(number) : priority;
                    }

                    break;
            }
        }

        return new KernelChain(table ?? throw new FormatException("a chain without a table"), name ?? throw new FormatException("a chain without a name"), handle, type, hook, priority, policy);
    }

    private static KernelCounter? ReadCounter(ReadOnlySpan<byte> attributes)
    {
        string? table = null, name = null, comment = null;
        long handle = 0, packets = 0, bytes = 0;
        uint type = 0;
        foreach (var (kind, value) in Attributes(attributes))
        {
            switch (kind)
            {
                case ObjectTable:
                    table = String(value);
                    break;
                case ObjectName:
                    name = String(value);
                    break;
                case ObjectType when value.Length == 4:
                    type = BinaryPrimitives.ReadUInt32BigEndian(value);
                    break;
                case ObjectHandle when value.Length == 8:
                    handle = BinaryPrimitives.ReadInt64BigEndian(value);
                    break;
                case ObjectUserData:
                    comment = Comment(value);
                    break;
                case ObjectData:
                    foreach (var (inner, number) in Attributes(value))
                    {
                        packets = inner == CounterPackets && number.Length == 8 ? BinaryPrimitives.ReadInt64BigEndian(number) : packets;
                        bytes = inner == CounterBytes && number.Length == 8 ? BinaryPrimitives.ReadInt64BigEndian(number) : bytes;
                    }

                    break;
            }
        }

        return type != CounterType || table is null || name is null ? null : new KernelCounter(table, name, handle, packets, bytes, comment);
    }
}
