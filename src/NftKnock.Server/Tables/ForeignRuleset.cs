using System.Text;
using NftKnock.Server.Nftables;

namespace NftKnock.Server.Tables;

/// <summary>A chain of another table, with its rules' expressions as nft's JSON writes them.</summary>
internal sealed record ForeignChain(string Family, string Table, string Name, string? Type, string? Hook, int Priority, string? Policy)
{
    /// <summary>Each rule's expressions, in the chain's order.</summary>
    public List<IReadOnlyList<JsonValue>> Rules { get; } = [];
}

/// <summary>
/// The host's other tables, read once from <c>nft -j list ruleset</c>: their chains and rules, for the
/// read-only diagnostics (doctor's host firewall and published ports checks, apply's DNAT targets).
/// Sets, maps and our own table are skipped unread: our grants can be hundreds of thousands of elements.
/// </summary>
internal sealed class ForeignRuleset
{
    /// <summary>How many jumps deep a walk follows; nft itself refuses loops, so this only bounds the work.</summary>
    public const int MaxJumps = 16;

    private ForeignRuleset()
    {
    }

    /// <summary>The chains by family, table and name.</summary>
    public Dictionary<(string Family, string Table, string Name), ForeignChain> Chains { get; } = [];

    /// <summary>Reads every table's chains and rules but those of <c>inet <paramref name="ourTable"/></c>.</summary>
    /// <exception cref="FormatException">The text is not a ruleset listing.</exception>
    public static ForeignRuleset Parse(string json, string ourTable)
    {
        var ruleset = new ForeignRuleset();
        var rules = new List<JsonValue>();
        var reader = new JsonScanner(Encoding.UTF8.GetBytes(json));
        if (!reader.Read() || reader.TokenType != JsonToken.StartObject)
        {
            throw new FormatException("nft -j list ruleset printed no object");
        }

        // One listing, or several one after another (the tables that may hold nat rules, each listed on its own).
        var sawItems = false;
        do
        {
            if (reader.TokenType != JsonToken.StartObject)
            {
                throw new FormatException("nft -j list ruleset printed something other than objects");
            }

            while (reader.Read() && reader.TokenType == JsonToken.PropertyName)
            {
                if (reader.ValueTextEquals("nftables"u8) && reader.Read() && reader.TokenType == JsonToken.StartArray)
                {
                    sawItems = true;
                    ruleset.ReadItems(ref reader, rules, ourTable);
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        while (reader.Read());

        if (!sawItems)
        {
            throw new FormatException("nft -j list ruleset printed no nftables array");
        }

        // Rules may be listed before their chain; each joins its chain once all are known.
        foreach (var rule in rules)
        {
            if (ruleset.Chains.TryGetValue((rule.Get("family").GetString(), rule.Get("table").GetString(), rule.Get("chain").GetString()), out var chain))
            {
                chain.Rules.Add(rule.TryGetProperty("expr", out var expr) ? expr.Items : []);
            }
        }

        return ruleset;
    }

    /// <summary>
    /// Whether <paramref name="expression"/> is a jump or a goto; <paramref name="next"/> is the chain it
    /// leads to in <paramref name="from"/>'s table, or null when that is not a chain this reading knows.
    /// </summary>
    public bool IsJump(ForeignChain from, JsonValue expression, out bool isGoto, out ForeignChain? next)
    {
        next = null;
        isGoto = expression.TryGetProperty("goto", out var jump);
        if (!isGoto && !expression.TryGetProperty("jump", out jump))
        {
            return false;
        }

        next = jump.Text("target") is { } target && Chains.TryGetValue((from.Family, from.Table, target), out var found) ? found : null;
        return true;
    }

    private void ReadItems(ref JsonScanner reader, List<JsonValue> rules, string ourTable)
    {
        while (reader.Read() && reader.TokenType != JsonToken.EndArray)
        {
            if (reader.TokenType != JsonToken.StartObject)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonToken.PropertyName)
            {
                var isChain = reader.ValueTextEquals("chain"u8);
                if (!isChain && !reader.ValueTextEquals("rule"u8))
                {
                    reader.Skip();
                    continue;
                }

                var item = JsonValue.Read(ref reader);
                if (item.Text("family") == "inet" && item.Text("table") == ourTable)
                {
                    continue;
                }

                if (isChain)
                {
                    Add(item);
                }
                else
                {
                    rules.Add(item);
                }
            }
        }
    }

    private void Add(JsonValue c)
    {
        var chain = new ForeignChain(
            c.Get("family").GetString(),
            c.Get("table").GetString(),
            c.Get("name").GetString(),
            c.Text("type"),
            c.Text("hook"),
            c.TryGetProperty("prio", out var prio) && prio.TryGetInt32(out var p) ? p : 0,
            c.Text("policy"));
        Chains[(chain.Family, chain.Table, chain.Name)] = chain;
    }
}
