using NftKnock.Core.Model;
using NftKnock.Server.Nftables;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Doctor;

/// <summary>What a rule of another table does with a new connection to a port.</summary>
public static partial class ForeignChains
{
    private enum Verdict
    {
        Fallthrough,
        Accept,
        Drop,
        Unknown,
    }

    /// <summary>What the chain does with a new connection from anyone to the port.</summary>
    private static Verdict Evaluate(ForeignRuleset ruleset, ForeignChain chain, int port, Protocol protocol, int depth)
    {
        if (depth > ForeignRuleset.MaxJumps)
        {
            return Verdict.Unknown;
        }

        foreach (var rule in chain.Rules)
        {
            var applies = Applies(rule, port, protocol);
            if (applies == false)
            {
                continue;
            }

            foreach (var expr in rule)
            {
                var verdict = Terminal(ruleset, chain, expr, port, protocol, depth, out var ends);
                if (verdict is null)
                {
                    continue;
                }

                if (applies is null && verdict != Verdict.Fallthrough)
                {
                    return Verdict.Unknown;
                }

                if (verdict != Verdict.Fallthrough || ends)
                {
                    return verdict.Value;
                }
            }
        }

        return Verdict.Fallthrough;
    }

    /// <summary>The verdict an expression reaches, null for one that decides nothing; <paramref name="ends"/> when the chain ends there (return, goto).</summary>
    private static Verdict? Terminal(ForeignRuleset ruleset, ForeignChain chain, JsonValue expr, int port, Protocol protocol, int depth, out bool ends)
    {
        ends = expr.Has("return");
        if (ends)
        {
            return Verdict.Fallthrough;
        }

        if (expr.Has("accept"))
        {
            return Verdict.Accept;
        }

        if (expr.Has("drop") || expr.Has("reject"))
        {
            return Verdict.Drop;
        }

        if (expr.Has("vmap"))
        {
            // A verdict map decides per packet from its elements; nftknock does not evaluate them.
            return Verdict.Unknown;
        }

        if (ruleset.IsJump(chain, expr, out ends, out var next))
        {
            return next is null ? Verdict.Unknown : Evaluate(ruleset, next, port, protocol, depth + 1);
        }

        return null;
    }

    /// <summary>
    /// True when every match holds for a new connection to the port from anyone; false when one cannot;
    /// null when unknown. Protocol and port matches are read by <see cref="PortMatch"/>; the rest here.
    /// </summary>
    private static bool? Applies(IReadOnlyList<JsonValue> rule, int port, Protocol protocol)
    {
        var ports = PortMatch.Any;
        bool? others = true;
        foreach (var expr in rule)
        {
            if (!expr.TryGetProperty("match", out var match) || ports.TryNarrow(match, out ports))
            {
                continue;
            }

            var result = OtherMatch(match, protocol);
            if (result == false)
            {
                return false;
            }

            others = result is null ? null : others;
        }

        var holds = ports.Holds(port, protocol);
        return holds == false ? false : holds is null || others is null ? null : true;
    }

    /// <summary>A match on anything but the protocol or the destination port, for a new connection from anyone.</summary>
    private static bool? OtherMatch(JsonValue match, Protocol protocol)
    {
        var left = match.Get("left");
        bool? holds;
        if (left.TryGetProperty("payload", out var payload))
        {
            // A new connection's TCP flags hold for everyone; source addresses, source ports and the like
            // for some clients only.
            var proto = payload.Text("protocol");
            return payload.Text("field") == "flags" && (proto == "th" || proto == protocol.Name());
        }

        if (left.TryGetProperty("ct", out var ct) && ct.Text("key") == "state")
        {
            holds = Contains(match.Get("right"), "new");
        }
        else
        {
            // Interfaces, marks, addresses: not a rule for everyone.
            return false;
        }

        return match.Text("op") == "!=" ? !holds : holds;
    }

    private static bool? Contains(JsonValue right, string value)
    {
        switch (right.Kind)
        {
            case JsonKind.String:
                var text = right.GetString();
                return text.StartsWith('@') ? null : text == value;
            case JsonKind.Array:
                return AnyOf(right.Items, value);
            case JsonKind.Object when right.TryGetProperty("set", out var set):
                return set.Kind == JsonKind.Array ? AnyOf(set.Items, value) : Contains(set, value);
            default:
                return null;
        }
    }

    private static bool? AnyOf(IReadOnlyList<JsonValue> items, string value)
    {
        bool? any = false;
        foreach (var item in items)
        {
            var c = Contains(item, value);
            if (c == true)
            {
                return true;
            }

            any = c is null ? null : any;
        }

        return any;
    }
}
