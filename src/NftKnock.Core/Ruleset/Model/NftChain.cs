namespace NftKnock.Core.Ruleset.Model;

/// <summary>
/// A chain: comment lines that say what it is for, a hook when it is a base chain, and its rules.
/// Chains hold no state, so apply recreates every one.
/// </summary>
public sealed record NftChain(string Name, IReadOnlyList<NftRule> Rules) : NftObject(Name)
{
    /// <summary>What the chain is for, written at its top.</summary>
    public IReadOnlyList<string> Comments { get; init; } = [];

    /// <summary>Where the kernel enters the chain; null for a chain reached only by jump, goto or a map.</summary>
    public NftHook? Hook { get; init; }

    /// <inheritdoc/>
    public override string Keyword => "chain";
}

/// <summary>A base chain's filter hook: <c>type filter hook input priority filter - 10; policy accept;</c>.</summary>
public sealed record NftHook(string Hook, string Priority, string Policy);

/// <summary>One rule: its statements as nft writes them, and comment lines written above it.</summary>
public sealed record NftRule(string Text)
{
    /// <summary>Comment lines written above the rule.</summary>
    public IReadOnlyList<string> Comments { get; init; } = [];
}
