namespace NftKnock.Core.Ruleset.Model;

/// <summary>
/// Our table as data: every set, map, counter and chain, in the order the table declares them.
/// The planner builds it, <see cref="NftWriter"/> renders it, and apply, drift and the fake read it.
/// </summary>
public sealed record NftTable(string Name, string Comment, IReadOnlyList<NftObject> Objects)
{
    /// <summary>The sets (not maps).</summary>
    public IEnumerable<NftSet> Sets => Objects.OfType<NftSet>();

    /// <summary>The verdict maps.</summary>
    public IEnumerable<NftMap> Maps => Objects.OfType<NftMap>();

    /// <summary>The chains, base chains included.</summary>
    public IEnumerable<NftChain> Chains => Objects.OfType<NftChain>();

    /// <summary>The named counters.</summary>
    public IEnumerable<NftCounter> Counters => Objects.OfType<NftCounter>();

    /// <summary>The object called <paramref name="name"/> of type <typeparamref name="T"/>.</summary>
    /// <exception cref="KeyNotFoundException">The table has no such object.</exception>
    public T Get<T>(string name)
        where T : NftObject =>
        Objects.OfType<T>().FirstOrDefault(o => o.Name == name) ?? throw new KeyNotFoundException($"The table has no {typeof(T).Name} {name}.");

    /// <summary>The object called <paramref name="name"/> of type <typeparamref name="T"/>; null when the table has none.</summary>
    public T? Find<T>(string name)
        where T : NftObject =>
        Objects.OfType<T>().FirstOrDefault(o => o.Name == name);

    /// <summary>This table with <paramref name="replacement"/> in the place of the object of the same name.</summary>
    public NftTable Replace(NftObject replacement) =>
        this with { Objects = Objects.Select(o => o.Name == replacement.Name && o.Keyword == replacement.Keyword ? replacement : o).ToList() };
}

/// <summary>One named object of our table.</summary>
public abstract record NftObject(string Name)
{
    /// <summary>
    /// Null: the object follows the one before it directly. Otherwise the object starts a section:
    /// a blank line, then these comment lines (none for a chain, which is set apart on its own).
    /// </summary>
    public IReadOnlyList<string>? Heading { get; init; }

    /// <summary>The word nft declares and deletes it with: set, map, counter or chain.</summary>
    public abstract string Keyword { get; }

    /// <summary>
    /// Whether apply keeps a live object of this name instead of recreating it: true for what holds
    /// live state (grants, knocks in progress, counts), which <c>flush table</c> leaves alone.
    /// </summary>
    public virtual bool KeptAcrossApplies => false;
}

/// <summary>A named counter: kept across applies, so counts survive.</summary>
public sealed record NftCounter(string Name) : NftObject(Name)
{
    /// <summary>What the counter counts for, read back by status and metrics: a client's name for a per-client counter.</summary>
    public string? Comment { get; init; }

    /// <inheritdoc/>
    public override string Keyword => "counter";

    /// <inheritdoc/>
    public override bool KeptAcrossApplies => true;
}

/// <summary>Where a set's elements come from, which decides what apply does with it.</summary>
public enum SetKind
{
    /// <summary>Elements are live state the rules add (stages, progress, grants, claims): kept across applies.</summary>
    Stateful,

    /// <summary>Elements come from the config: recreated on every apply, so they always match it.</summary>
    Static,
}

/// <summary>The flags of a set or map, written in this order.</summary>
[Flags]
public enum SetFlags
{
    /// <summary>No flags.</summary>
    None = 0,

    /// <summary><c>dynamic</c>: rules add elements.</summary>
    Dynamic = 1,

    /// <summary><c>timeout</c>: elements expire.</summary>
    Timeout = 2,

    /// <summary><c>interval</c>: elements may be ranges or prefixes.</summary>
    Interval = 4,
}

/// <summary>A set keyed by <see cref="Key"/>.</summary>
public sealed record NftSet(string Name, IReadOnlyList<KeyField> Key, SetKind Kind) : NftObject(Name)
{
    /// <summary>The capacity, when the set declares one.</summary>
    public int? Size { get; init; }

    /// <summary>The set's flags.</summary>
    public SetFlags Flags { get; init; }

    /// <summary>Whether overlapping and adjacent intervals merge (<c>auto-merge</c>).</summary>
    public bool AutoMerge { get; init; }

    /// <summary>The elements the config gives, as nft writes them (<c>198.18.0.0/15</c>, <c>tcp . 22</c>).</summary>
    public IReadOnlyList<string> Elements { get; init; } = [];

    /// <summary>The type nft's JSON lists for this set; a kept set whose live type differs must be recreated.</summary>
    public string JsonType => KeyField.JsonTypeOf(Key);

    /// <inheritdoc/>
    public override string Keyword => "set";

    /// <inheritdoc/>
    public override bool KeptAcrossApplies => Kind == SetKind.Stateful;
}

/// <summary>A verdict map keyed by <see cref="Key"/>: recreated on every apply.</summary>
public sealed record NftMap(string Name, IReadOnlyList<KeyField> Key) : NftObject(Name)
{
    /// <summary>The map's flags.</summary>
    public SetFlags Flags { get; init; }

    /// <summary>The entries the config gives.</summary>
    public IReadOnlyList<MapEntry> Elements { get; init; } = [];

    /// <inheritdoc/>
    public override string Keyword => "map";
}

/// <summary>One entry of a verdict map: key parts (<c>tcp</c>, <c>22</c>), an optional timeout, and the verdict.</summary>
public sealed record MapEntry(IReadOnlyList<string> Key, Verdict Verdict, TimeSpan? Timeout = null);

/// <summary>A verdict that continues in a chain: <c>goto</c> or <c>jump</c>.</summary>
public sealed record Verdict(string Action, string Chain)
{
    /// <summary>Continue in <paramref name="chain"/> and do not come back.</summary>
    public static Verdict Goto(string chain) => new("goto", chain);

    /// <inheritdoc/>
    public override string ToString() => $"{Action} {Chain}";
}

/// <summary>The new contents of a map, written in the same batch as the table: a flush, then every entry.</summary>
public sealed record MapFill(string Map, IReadOnlyList<MapEntry> Entries);
