using System.Text.Json;
using NftKnock.Core.Model;

namespace NftKnock.Server.Doctor;

/// <summary>The ruleset as the host firewall check reads it: base chains, their rules, and what a rule does with a new connection to a port.</summary>
public static partial class ForeignChains
{
    private enum Verdict
    {
        Fallthrough,
        Accept,
        Drop,
        Unknown,
    }

    private sealed record Chain(string Family, string Table, string Name, string? Hook, string? Type, int Priority, string? Policy, List<JsonElement> Rules);

    private sealed class Ruleset
    {
        public Dictionary<(string, string, string), Chain> Chains { get; } = [];

        public static Ruleset Parse(string json)
        {
            var result = new Ruleset();
            using var doc = JsonDocument.Parse(json);
            var rules = new List<JsonElement>();
            foreach (var item in doc.RootElement.GetProperty("nftables").EnumerateArray())
            {
                if (item.TryGetProperty("chain", out var c))
                {
                    var chain = new Chain(
                        c.GetProperty("family").GetString()!,
                        c.GetProperty("table").GetString()!,
                        c.GetProperty("name").GetString()!,
                        c.TryGetProperty("hook", out var hook) ? hook.GetString() : null,
                        c.TryGetProperty("type", out var type) ? type.GetString() : null,
                        c.TryGetProperty("prio", out var prio) && prio.ValueKind == JsonValueKind.Number ? prio.GetInt32() : 0,
                        c.TryGetProperty("policy", out var policy) ? policy.GetString() : null,
                        []);
                    result.Chains[(chain.Family, chain.Table, chain.Name)] = chain;
                }
                else if (item.TryGetProperty("rule", out var r))
                {
                    rules.Add(r.Clone());
                }
            }

            foreach (var rule in rules)
            {
                var key = (rule.GetProperty("family").GetString()!, rule.GetProperty("table").GetString()!, rule.GetProperty("chain").GetString()!);
                if (result.Chains.TryGetValue(key, out var chain))
                {
                    chain.Rules.Add(rule);
                }
            }

            return result;
        }

        /// <summary>What the chain does with a new connection from anyone to the port.</summary>
        public Verdict Evaluate(Chain chain, int port, Protocol protocol, int depth)
        {
            if (depth > 16)
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

                foreach (var expr in rule.GetProperty("expr").EnumerateArray())
                {
                    var verdict = Terminal(chain, expr, port, protocol, depth);
                    if (verdict is null)
                    {
                        continue;
                    }

                    if (applies is null && verdict != Verdict.Fallthrough)
                    {
                        return Verdict.Unknown;
                    }

                    if (verdict != Verdict.Fallthrough || IsReturn(expr) || IsGoto(expr))
                    {
                        return verdict.Value;
                    }
                }
            }

            return Verdict.Fallthrough;
        }

        private Verdict? Terminal(Chain chain, JsonElement expr, int port, Protocol protocol, int depth)
        {
            if (expr.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (expr.TryGetProperty("accept", out _))
            {
                return Verdict.Accept;
            }

            if (expr.TryGetProperty("drop", out _) || expr.TryGetProperty("reject", out _))
            {
                return Verdict.Drop;
            }

            if (IsReturn(expr))
            {
                return Verdict.Fallthrough;
            }

            if (expr.TryGetProperty("vmap", out _))
            {
                // A verdict map decides per packet from its elements; nftknock does not evaluate them.
                return Verdict.Unknown;
            }

            foreach (var jump in new[] { "jump", "goto" })
            {
                if (expr.TryGetProperty(jump, out var j) && j.TryGetProperty("target", out var target))
                {
                    return Chains.TryGetValue((chain.Family, chain.Table, target.GetString()!), out var next)
                        ? Evaluate(next, port, protocol, depth + 1)
                        : Verdict.Unknown;
                }
            }

            return null;
        }

        private static bool IsReturn(JsonElement expr) => expr.ValueKind == JsonValueKind.Object && expr.TryGetProperty("return", out _);

        private static bool IsGoto(JsonElement expr) => expr.ValueKind == JsonValueKind.Object && expr.TryGetProperty("goto", out _);

        /// <summary>True when every match holds for a new connection to the port from anyone; false when one cannot; null when unknown.</summary>
        private static bool? Applies(JsonElement rule, int port, Protocol protocol)
        {
            bool? all = true;
            foreach (var expr in rule.GetProperty("expr").EnumerateArray())
            {
                if (expr.ValueKind != JsonValueKind.Object || !expr.TryGetProperty("match", out var match))
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

        private static bool? Match(JsonElement match, int port, Protocol protocol)
        {
            var op = match.TryGetProperty("op", out var o) ? o.GetString() : "==";
            var left = match.GetProperty("left");
            var right = match.GetProperty("right");
            bool? holds;
            if (left.TryGetProperty("payload", out var payload) && payload.TryGetProperty("field", out var field))
            {
                var proto = payload.TryGetProperty("protocol", out var p) ? p.GetString() : null;
                if (proto is "tcp" or "udp" && proto != protocol.Name())
                {
                    return false;
                }

                if (field.GetString() != "dport")
                {
                    // Source addresses, source ports and the like: the rule holds for some clients only.
                    return proto is "tcp" or "udp" or "th" && field.GetString() == "flags" ? true : false;
                }

                holds = Contains(right, port);
            }
            else if (left.TryGetProperty("meta", out var meta) && meta.GetProperty("key").GetString() == "l4proto")
            {
                holds = Contains(right, protocol.Name());
            }
            else if (left.TryGetProperty("ct", out var ct) && ct.GetProperty("key").GetString() == "state")
            {
                holds = Contains(right, "new");
            }
            else
            {
                // Interfaces, marks, addresses: not a rule for everyone.
                return false;
            }

            return op == "!=" ? !holds : holds;
        }

        private static bool? Contains(JsonElement right, object value)
        {
            switch (right.ValueKind)
            {
                case JsonValueKind.Number when value is int port:
                    return right.GetInt32() == port;
                case JsonValueKind.String:
                    var text = right.GetString()!;
                    return text.StartsWith('@') ? null : text == value.ToString();
                case JsonValueKind.Array:
                    return AnyOf(right.EnumerateArray(), value);
                case JsonValueKind.Object when right.TryGetProperty("set", out var set):
                    return set.ValueKind == JsonValueKind.Array ? AnyOf(set.EnumerateArray(), value) : Contains(set, value);
                case JsonValueKind.Object when right.TryGetProperty("range", out var range) && value is int port:
                    return range[0].GetInt32() <= port && port <= range[1].GetInt32();
                default:
                    return null;
            }
        }

        private static bool? AnyOf(JsonElement.ArrayEnumerator items, object value)
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
}
