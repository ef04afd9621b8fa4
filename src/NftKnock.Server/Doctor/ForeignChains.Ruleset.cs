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

    /// <summary>True when every match holds for a new connection to the port from anyone; false when one cannot; null when unknown.</summary>
    private static bool? Applies(IReadOnlyList<JsonValue> rule, int port, Protocol protocol)
    {
        bool? all = true;
        foreach (var expr in rule)
        {
            if (!expr.TryGetProperty("match", out var match))
            {
                continue;
            }

            var result = Match(match, port, protocol);
            if (result == false)
            {
                return false;
            }

            all = result is null ? null : all;
        }

        return all;
    }

    private static bool? Match(JsonValue match, int port, Protocol protocol)
    {
        var left = match.Get("left");
        var right = match.Get("right");
        bool? holds;
        if (left.TryGetProperty("payload", out var payload) && payload.Text("field") is { } field)
        {
            var proto = payload.Text("protocol");
            if (proto is "tcp" or "udp" && proto != protocol.Name())
            {
                return false;
            }

            if (field != "dport")
            {
                // Source addresses, source ports and the like: the rule holds for some clients only.
                return proto is "tcp" or "udp" or "th" && field == "flags";
            }

            holds = Contains(right, port);
        }
        else if (left.TryGetProperty("meta", out var meta) && meta.Text("key") == "l4proto")
        {
            holds = Contains(right, protocol.Name());
        }
        else if (left.TryGetProperty("ct", out var ct) && ct.Text("key") == "state")
        {
            holds = Contains(right, "new");
        }
        else
        {
            // Interfaces, marks, addresses: not a rule for everyone.
            return false;
        }

        return match.Text("op") == "!=" ? !holds : holds;
    }

    private static bool? Contains(JsonValue right, object value)
    {
        switch (right.Kind)
        {
            case JsonKind.Number when value is int port:
                return right.TryGetInt32(out var number) ? number == port : null;
            case JsonKind.String:
                var text = right.GetString();
                return text.StartsWith('@') ? null : text == value.ToString();
            case JsonKind.Array:
                return AnyOf(right.Items, value);
            case JsonKind.Object when right.TryGetProperty("set", out var set):
                return set.Kind == JsonKind.Array ? AnyOf(set.Items, value) : Contains(set, value);
            case JsonKind.Object when right.TryGetProperty("range", out var range) && value is int port:
                return range.Items.Count == 2 && range.Items[0].TryGetInt32(out var first) && range.Items[1].TryGetInt32(out var last)
                    ? first <= port && port <= last
                    : null;
            default:
                return null;
        }
    }

    private static bool? AnyOf(IReadOnlyList<JsonValue> items, object value)
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
