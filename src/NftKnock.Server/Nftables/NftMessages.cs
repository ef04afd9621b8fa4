namespace NftKnock.Server.Nftables;

/// <summary>A table as the kernel answers a request for it: its handle and the comment nft stored with it.</summary>
public sealed record KernelTable(string Name, long Handle, string? Comment);

/// <summary>A chain as the kernel dumps it; a base chain has its type, hook number, priority and policy verdict.</summary>
public sealed record KernelChain(string Table, string Name, long Handle, string? Type = null, int? Hook = null, int? Priority = null, int? Policy = null);

/// <summary>A named counter as the kernel dumps it.</summary>
public sealed record KernelCounter(string Table, string Name, long Handle, long Packets, long Bytes, string? Comment);

/// <summary>
/// The nf_tables netlink messages nftknock asks the kernel directly, pure: the ruleset's generation, one
/// table, and one table's named counters. nft 1.0.6 fetches every rule of every table before it lists a
/// table or a counter, and at 1,000 rotating clients that is half a second of an apply. These requests
/// are answered from the kernel's objects alone.
/// </summary>
public static partial class NftMessages
{
    /// <summary>NFNL_SUBSYS_NFTABLES.</summary>
    private const int Subsystem = 10;
    private const int NewTable = 0;
    private const int GetTable = 1;
    private const int NewChain = 3;
    private const int GetChain = 4;
    private const int NewGeneration = 15;
    private const int GetGeneration = 16;
    private const int NewObject = 18;
    private const int GetObject = 19;

    private const ushort Request = 0x1;
    private const ushort Ack = 0x4;
    private const ushort Dump = 0x300;
    private const ushort DumpInterrupted = 0x10;
    private const int Error = 2;
    private const int Done = 3;

    /// <summary>NFPROTO_INET.</summary>
    private const byte Inet = 1;

    private const ushort TableName = 1;
    private const ushort TableHandle = 4;
    private const ushort TableUserData = 6;
    private const ushort ObjectTable = 1;
    private const ushort ObjectName = 2;
    private const ushort ObjectType = 3;
    private const ushort ObjectData = 4;
    private const ushort ObjectHandle = 6;
    private const ushort ObjectUserData = 8;
    private const ushort CounterBytes = 1;
    private const ushort CounterPackets = 2;
    private const ushort GenerationId = 1;
    private const ushort ChainTable = 1;
    private const ushort ChainHandle = 2;
    private const ushort ChainName = 3;
    private const ushort ChainHook = 4;
    private const ushort ChainPolicy = 5;
    private const ushort ChainType = 7;
    private const ushort HookNumber = 1;
    private const ushort HookPriority = 2;

    /// <summary>NFT_OBJECT_COUNTER.</summary>
    private const uint CounterType = 1;

    /// <summary>nftnl's user data type for a table's or an object's comment.</summary>
    private const byte CommentData = 0;

    /// <summary>A request for the ruleset's generation, which every committed change moves on.</summary>
    public static byte[] Generation(uint sequence) => Query(GetGeneration, Ack, sequence, 0, static _ => { });

    /// <summary>A request for the inet table <paramref name="table"/>, acknowledged: a missing table is an error.</summary>
    public static byte[] Table(string table, uint sequence) => Query(GetTable, Ack, sequence, Inet, w => w.Text(TableName, table));

    /// <summary>A dump of every inet chain (the kernel filters chains by family only).</summary>
    public static byte[] Chains(uint sequence) => Query(GetChain, Dump, sequence, Inet, static _ => { });

    /// <summary>A dump of the named counters of the inet table <paramref name="table"/>, filtered by the kernel.</summary>
    public static byte[] Counters(string table, uint sequence) => Query(GetObject, Dump, sequence, Inet, w =>
    {
        w.Text(ObjectTable, table);
        w.BigEndian32(ObjectType, CounterType);
    });

    /// <summary>One request message of nf_tables, its attributes written by <paramref name="attributes"/>.</summary>
    private static byte[] Query(int kind, ushort flags, uint sequence, byte family, Action<NetlinkWriter> attributes)
    {
        var w = new NetlinkWriter(64);
        var message = w.Begin((Subsystem << 8) | kind, (ushort)(Request | flags), sequence, family);
        attributes(w);
        w.EndMessage(message);
        return w.ToArray();
    }

    private static int Align(int length) => (length + 3) & ~3;
}
