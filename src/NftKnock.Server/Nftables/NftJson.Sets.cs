using NftKnock.Core.Ruleset.Model;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Nftables;

// What the reader gathers of one set or map, and the model and live state it makes of it.
public static partial class NftJson
{
    private sealed class SetFields
    {
        public string? Name { get; set; }

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
