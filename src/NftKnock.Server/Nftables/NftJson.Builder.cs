using NftKnock.Core.Ruleset.Model;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Nftables;

// What the reader gathers while it walks the listing, and the reading it makes of it.
public static partial class NftJson
{
    private sealed class TableBuilder
    {
        public string? Name { get; set; }

        public string Comment { get; set; } = string.Empty;

        public long Handle { get; set; }

        public bool CountOnly { get; init; }

        public List<NftObject> Objects { get; } = [];

        public Dictionary<string, LiveSet> Sets { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, LiveCounter> Counters { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, long> Chains { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, List<LiveRule>> Rules { get; } = new(StringComparer.Ordinal);

        public TableReading Build() =>
            new(new NftTable(Name ?? throw new FormatException("nft -j output has no table"), Comment, Objects), Handle)
            {
                SetState = Sets,
                CounterState = Counters,
                ChainState = Chains.ToDictionary(c => c.Key, c => new LiveChain(c.Value, Rules.GetValueOrDefault(c.Key) ?? []), StringComparer.Ordinal),
            };
    }
}
