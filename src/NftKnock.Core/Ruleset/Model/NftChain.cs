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
/// <param name="Hook">The hook: input, forward, prerouting.</param>
/// <param name="Priority">The priority as written (<c>filter - 10</c>) or as nft lists it (<c>-10</c>).</param>
/// <param name="Policy">The chain's policy: accept or drop.</param>
public sealed record NftHook(string Hook, string Priority, string Policy)
{
    private static readonly Dictionary<string, int> Named = new(StringComparer.Ordinal)
    {
        ["raw"] = -300, ["mangle"] = -150, ["dstnat"] = -100, ["filter"] = 0, ["security"] = 50, ["srcnat"] = 100,
    };

    /// <summary>The priority as a number, as nft's JSON lists it: <c>filter - 10</c> is -10, <c>raw</c> is -300.</summary>
    /// <exception cref="FormatException">The priority is neither a number nor a named priority with an offset.</exception>
    public int PriorityValue
    {
        get
        {
            var words = Priority.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var invariant = System.Globalization.CultureInfo.InvariantCulture;
            return words switch
            {
                [var n] when int.TryParse(n, System.Globalization.NumberStyles.AllowLeadingSign, invariant, out var v) => v,
                [var name] when Named.TryGetValue(name, out var b) => b,
                [var name, "+" or "-", var n] when Named.TryGetValue(name, out var b) && int.TryParse(n, System.Globalization.NumberStyles.None, invariant, out var o) =>
                    words[1] == "+" ? b + o : b - o,
                _ => throw new FormatException($"Not a chain priority: {Priority}"),
            };
        }
    }

    /// <summary>Whether both hook the same place with the same priority and policy, however the priority is spelt.</summary>
    public bool SameAs(NftHook other) => Hook == other.Hook && Policy == other.Policy && PriorityValue == other.PriorityValue;
}

/// <summary>One rule: its statements as nft writes them, and comment lines written above it.</summary>
public sealed record NftRule(string Text)
{
    /// <summary>Comment lines written above the rule.</summary>
    public IReadOnlyList<string> Comments { get; init; } = [];
}
