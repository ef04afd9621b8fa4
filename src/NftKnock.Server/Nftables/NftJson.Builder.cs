using NftKnock.Server.Tables;

namespace NftKnock.Server.Nftables;

// What the reader gathers while it walks the listing, and the table state it makes of it.
public static partial class NftJson
{
    private sealed class TableBuilder
    {
        public string? Name { get; set; }

        public long Handle { get; set; }

        public Dictionary<string, TableSet> Sets { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, long> Counters { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> Comments { get; } = new(StringComparer.Ordinal);

        public bool CountOnly { get; init; }

        public List<string> Chains { get; } = [];

        public List<DispatchEntry> Dispatch { get; } = [];

        public TableState Build() =>
            new(Name ?? throw new FormatException("nft -j output has no table"), new NameOrder<TableSet>(Sets), new NameOrder<long>(Counters), Chains, Dispatch)
            {
                Handle = Handle,
                CounterComments = Comments,
            };
    }
}
