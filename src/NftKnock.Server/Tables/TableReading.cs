using NftKnock.Core.Ruleset;
using NftKnock.Core.Ruleset.Model;

namespace NftKnock.Server.Tables;

/// <summary>One element of a set or map as the kernel holds it: its value and, for sets with timeouts, the time left.</summary>
/// <param name="Value">As nft writes it: <c>198.18.1.2</c>, <c>10.0.0.0/8</c>, <c>tcp . 22</c> (a map entry's key).</param>
/// <param name="ExpiresMs">Milliseconds left; null for elements that do not expire.</param>
public sealed record LiveElement(string Value, long? ExpiresMs);

/// <summary>A set's or map's live state: its handle and elements.</summary>
/// <param name="Handle">The kernel's handle of the set.</param>
/// <param name="Elements">The elements with their expiry; empty when they were only counted.</param>
/// <param name="Count">How many elements the set holds, whether they were read or only counted.</param>
public sealed record LiveSet(long Handle, IReadOnlyList<LiveElement> Elements, int Count);

/// <summary>A named counter's live values.</summary>
public sealed record LiveCounter(long Handle, long Packets, long Bytes);

/// <summary>
/// One rule as listed: kept opaque (its handle and comment), since nftknock writes every rule from the
/// model and never decides from a rule's statements; drift compares how many each chain holds.
/// </summary>
public sealed record LiveRule(long Handle, string? Comment);

/// <summary>A chain's live state: its handle and rules.</summary>
public sealed record LiveChain(long Handle, IReadOnlyList<LiveRule> Rules);

/// <summary>
/// Our table as the kernel holds it, read from <c>nft -j list table</c> (or served by the fake): the same
/// model the planner builds (<see cref="Model"/>: sets with their key types and flags, verdict maps with
/// their entries, counters with their comments, chains with hook, priority and policy), plus live state:
/// handles, elements with their expiry, counter values and rules. Status, metrics, drift, apply and
/// rotation decide from this one reading.
/// </summary>
/// <param name="Model">
/// The table as a model. Keys are <see cref="KeyField.Listed"/> types; a set's <see cref="NftSet.Elements"/>
/// holds the elements of sets without timeouts (those the config gives); chains carry no rules.
/// </param>
/// <param name="Handle">The kernel's handle of the table: a new one each time the table is created, so it tells a recreated table (with empty sets) from the same one.</param>
public sealed record TableReading(NftTable Model, long Handle)
{
    /// <summary>Live state of sets and maps, by name.</summary>
    public IReadOnlyDictionary<string, LiveSet> SetState { get; init; } = new Dictionary<string, LiveSet>(StringComparer.Ordinal);

    /// <summary>Live values of counters, by name.</summary>
    public IReadOnlyDictionary<string, LiveCounter> CounterState { get; init; } = new Dictionary<string, LiveCounter>(StringComparer.Ordinal);

    /// <summary>Live state of chains, by name.</summary>
    public IReadOnlyDictionary<string, LiveChain> ChainState { get; init; } = new Dictionary<string, LiveChain>(StringComparer.Ordinal);

    /// <summary>The table's name.</summary>
    public string Name => Model.Name;

    /// <summary>Whether the table holds a set or map called <paramref name="name"/>.</summary>
    public bool HasSet(string name) => SetState.ContainsKey(name);

    /// <summary>Whether the table holds a chain called <paramref name="name"/>.</summary>
    public bool HasChain(string name) => ChainState.ContainsKey(name);

    /// <summary>The elements of a set or map with their expiry; empty when it is absent or was only counted.</summary>
    public IReadOnlyList<LiveElement> Elements(string set) => SetState.TryGetValue(set, out var live) ? live.Elements : [];

    /// <summary>How many elements a set or map holds; 0 when it is absent.</summary>
    public int Count(string set) => SetState.TryGetValue(set, out var live) ? live.Count : 0;

    /// <summary>A counter's packets; 0 when it is absent.</summary>
    public long Packets(string counter) => CounterState.TryGetValue(counter, out var live) ? live.Packets : 0;

    /// <summary>
    /// The longest time left (ms) of the rotating map's entries that lead into <paramref name="door"/>'s step
    /// chains; -1 when there is none. The map's entries and their live expiry are read side by side, in the
    /// order listed.
    /// </summary>
    public long RotatingLeftMs(string door)
    {
        var entries = Model.Find<NftMap>(Names.Rotating)?.Elements ?? [];
        var live = Elements(Names.Rotating);
        var left = -1L;
        for (var i = 0; i < Math.Min(entries.Count, live.Count); i++)
        {
            if (Names.TryParse(entries[i].Verdict.Chain, out var target) && target.Door == door && target.Role == DoorRole.Step)
            {
                left = Math.Max(left, live[i].ExpiresMs ?? 0);
            }
        }

        return left;
    }

    /// <summary>
    /// True when the table is ours: every table nftknock writes has the dispatch map, and an empty table
    /// holds nothing to lose. Anything else belongs to someone else and is never flushed or deleted.
    /// </summary>
    public bool IsOurs => SetState.ContainsKey(Names.Dispatch) || Model.Objects.Count == 0;
}
