using NftKnock.Core.Ruleset.Model;

namespace NftKnock.Core.Ruleset;

/// <summary>Collects a chain's rules in order, each with the comments written just before it.</summary>
internal sealed class ChainBuilder(string name, params string[] comments)
{
    private readonly List<NftRule> rules = [];
    private List<string> pending = [];

    /// <summary>Where the kernel enters the chain, for a base chain.</summary>
    public NftHook? Hook { get; set; }

    /// <summary>A comment line written above the next rule.</summary>
    public ChainBuilder Comment(string comment)
    {
        pending.Add(comment);
        return this;
    }

    /// <summary>The next rule.</summary>
    public ChainBuilder Rule(string text)
    {
        rules.Add(new NftRule(text) { Comments = pending });
        pending = [];
        return this;
    }

    /// <summary>The chain, set apart from what comes before it.</summary>
    public NftChain Build() => pending.Count > 0
        ? throw new InvalidOperationException($"Chain {name} ends with a comment that belongs to no rule.")
        : new NftChain(name, rules) { Comments = comments, Hook = Hook, Heading = [] };
}
