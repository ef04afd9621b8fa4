namespace NftKnock.Server.Tables;

/// <summary>One element of a set as nft lists it: the value, and for dynamic sets the time left.</summary>
public sealed record SetElement(string Value, long? ExpiresMs);

/// <summary>A set or map of our table.</summary>
public sealed record TableSet(string Name, string Type, bool IsMap, IReadOnlyList<string> Flags, IReadOnlyList<SetElement> Elements)
{
    /// <summary>The number of elements when they were only counted (<c>NftJson.ReadCounts</c>); null when they were read.</summary>
    public int? Counted { get; init; }

    /// <summary>How many elements the set holds, whether they were read or only counted.</summary>
    public int Count => Counted ?? Elements.Count;
}

/// <summary>One entry of the dispatch verdict map: <c>tcp . 22 : goto ssh_guard</c>.</summary>
public sealed record DispatchEntry(string Protocol, string Ports, string Target);

/// <summary>Our table as read back from <c>nft -j list table</c>.</summary>
public sealed record TableState(
    string Table,
    IReadOnlyDictionary<string, TableSet> Sets,
    IReadOnlyDictionary<string, long> Counters,
    IReadOnlyList<string> Chains,
    IReadOnlyList<DispatchEntry> Dispatch)
{
    /// <summary>The kernel's handle of the table: a new one each time the table is created, so it tells a recreated table (with empty sets) from the same one.</summary>
    public long Handle { get; init; }

    /// <summary>Counter comments by counter name: a per-client counter's comment is its client's name.</summary>
    public IReadOnlyDictionary<string, string> CounterComments { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
