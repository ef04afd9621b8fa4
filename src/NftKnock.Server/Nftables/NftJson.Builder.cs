using NftKnock.Core.Ruleset.Model;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Nftables;

// What the reader gathers while it walks the listing (the table, and each set or map), and the reading it makes of it.
public static partial class NftJson
{
    private sealed class TableBuilder
    {
        public string? Name { get; set; }

        public string Comment { get; set; } = string.Empty;

        public long Handle { get; set; }

        public bool CountOnly { get; init; }

        /// <summary>The one table whose objects are kept, when the listing may hold others; null: all.</summary>
        public string? Only { get; init; }

        public List<NftObject> Objects { get; } = [];

        public Dictionary<string, LiveSet> Sets { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, LiveCounter> Counters { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, long> Chains { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, List<LiveRule>> Rules { get; } = new(StringComparer.Ordinal);

        /// <summary>Whether an object of <paramref name="table"/> belongs in the reading.</summary>
        public bool Keeps(string? table) => Only is null || table == Only;

        public TableReading Build() =>
            new(new NftTable(Name ?? Only ?? throw new FormatException("nft -j output has no table"), Comment, Objects), Handle)
            {
                SetState = Sets,
                CounterState = Counters,
                ChainState = Chains.ToDictionary(c => c.Key, c => new LiveChain(c.Value, Rules.GetValueOrDefault(c.Key) ?? []), StringComparer.Ordinal),
            };
    }

    private sealed class SetFields
    {
        public string? Name { get; set; }

        /// <summary>The table the set belongs to.</summary>
        public string? Table { get; set; }

        public List<string> Key { get; set; } = [];

        public bool IsMap { get; set; }

        public SetFlags Flags { get; set; }

        public int? Size { get; set; }

        public long Handle { get; set; }

        public List<LiveElement> Elements { get; } = [];

        public List<MapEntry> Entries { get; } = [];

        public int Counted { get; set; }

        public void AddTo(TableBuilder table)
        {
            var name = Name ?? throw new FormatException("nft -j output has a set without a name");
            if (!table.Keeps(Table))
            {
                return;
            }

            var key = Key.Select(KeyField.Listed).ToList();
            NftObject declared = IsMap
                ? new NftMap(name, key) { Flags = Flags, Elements = Entries }
                : new NftSet(name, key, Stateful ? SetKind.Stateful : SetKind.Static)
                {
                    Size = Size,
                    Flags = Flags,
                    Elements = Stateful ? [] : Elements.ConvertAll(e => e.Value),
                };
            table.Objects.Add(declared);
            table.Sets[name] = new LiveSet(Handle, Elements, Counted + Elements.Count);
        }

        /// <summary>Sets whose elements time out hold live state the rules add; the others hold what the config gives.</summary>
        private bool Stateful => (Flags & (SetFlags.Timeout | SetFlags.Dynamic)) != 0;
    }
}
