using System.Globalization;
using System.Net;
using System.Text.Json;
using NftKnock.Core.Model;
using NftKnock.Server.Doctor;

namespace NftKnock.Server.Tables;

/// <summary>The walk through the nat chains of <c>nft -j list ruleset</c>: jumps and gotos followed, port matches narrowed.</summary>
public sealed partial class NatRules
{
    private sealed record Chain(string Family, string Table, string Name, string? Type, string? Hook, List<JsonElement> Rules);

    private static List<Statement> Walk(string json, string ourTable)
    {
        using var doc = JsonDocument.Parse(json);
        var chains = new Dictionary<(string, string, string), Chain>();
        foreach (var item in doc.RootElement.GetProperty("nftables").EnumerateArray())
        {
            if (item.TryGetProperty("chain", out var c))
            {
                var chain = new Chain(Text(c, "family")!, Text(c, "table")!, Text(c, "name")!, Text(c, "type"), Text(c, "hook"), []);
                chains[(chain.Family, chain.Table, chain.Name)] = chain;
            }
            else if (item.TryGetProperty("rule", out var r) && chains.TryGetValue((Text(r, "family")!, Text(r, "table")!, Text(r, "chain")!), out var owner))
            {
                owner.Rules.Add(r.Clone());
            }
        }

        var found = new List<Statement>();
        foreach (var chain in chains.Values.Where(c => c is { Type: "nat", Hook: "prerouting" } && !(c.Family == "inet" && c.Table == ourTable)))
        {
            Visit(chains, chain, PathMatch.Any, 0, found);
        }

        return found;
    }

    private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static void Visit(Dictionary<(string, string, string), Chain> chains, Chain chain, PathMatch entry, int depth, List<Statement> found)
    {
        var where = ServerTexts.NatChain(chain.Family, chain.Table, chain.Name);
        foreach (var rule in chain.Rules)
        {
            var path = entry;
            foreach (var expr in rule.GetProperty("expr").EnumerateArray())
            {
                if (expr.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                if (expr.TryGetProperty("match", out var match))
                {
                    path = Narrow(path, match);
                }
                else if (expr.TryGetProperty("xt", out var xt))
                {
                    var name = Text(xt, "name") ?? "?";
                    if (Text(xt, "type") == "match")
                    {
                        path = path with { XtMatch = path.XtMatch ?? name };
                    }
                    else if (name == "DNAT")
                    {
                        found.Add(new Statement(where, null, null, path.Final));
                    }
                }
                else if (expr.TryGetProperty("dnat", out var dnat))
                {
                    found.Add(Dnat(where, dnat, path.Final));
                }
                else if (expr.TryGetProperty("redirect", out var redirect) && redirect.ValueKind == JsonValueKind.Object
                    && redirect.TryGetProperty("port", out var port) && port.ValueKind == JsonValueKind.Number)
                {
                    found.Add(new Statement(where, null, port.GetInt32(), path.Final));
                }
                else if (depth < 16 && (expr.TryGetProperty("jump", out var jump) || expr.TryGetProperty("goto", out jump))
                    && Text(jump, "target") is { } target && chains.TryGetValue((chain.Family, chain.Table, target), out var next))
                {
                    Visit(chains, next, path, depth + 1, found);
                }
            }
        }
    }

    private static Statement Dnat(string where, JsonElement dnat, PathMatch path)
    {
        var address = Text(dnat, "addr") is { } addr && IPAddress.TryParse(addr, out var parsed) ? parsed : null;
        var port = dnat.TryGetProperty("port", out var p) ? (p.ValueKind == JsonValueKind.Number ? p.GetInt32() : -1) : (int?)null;

        // A port range or an expression as the target port: where a connection lands cannot be told.
        return new Statement(where, DnatTarget(dnat), null, path) { Address = port == -1 ? null : address, Port = port };
    }

    /// <summary><c>198.19.0.2:80</c>, <c>[2001:db8::2]:80</c>, or the address alone; when a map or an expression chooses it, says so.</summary>
    private static string? DnatTarget(JsonElement dnat)
    {
        if (Text(dnat, "addr") is not { } addr)
        {
            return ServerTexts.DnatByMap;
        }

        if (!dnat.TryGetProperty("port", out var port) || port.ValueKind != JsonValueKind.Number)
        {
            return addr;
        }

        var p = port.GetInt32().ToString(CultureInfo.InvariantCulture);
        return addr.Contains(':', StringComparison.Ordinal) ? $"[{addr}]:{p}" : $"{addr}:{p}";
    }

    /// <summary>What the path matches after one more match expression; matches on anything but protocol and destination port only narrow it.</summary>
    private static PathMatch Narrow(PathMatch path, JsonElement match)
    {
        var negated = Text(match, "op") == "!=";
        var left = match.GetProperty("left");
        var right = match.GetProperty("right");
        if (left.TryGetProperty("meta", out var meta) && Text(meta, "key") == "l4proto")
        {
            return path with { Protocols = NarrowProtocols(path.Protocols, right, negated) };
        }

        if (!left.TryGetProperty("payload", out var payload))
        {
            return path;
        }

        var (proto, field) = (Text(payload, "protocol"), Text(payload, "field"));
        if ((proto, field) is ("ip", "protocol") or ("ip6", "nexthdr"))
        {
            return path with { Protocols = NarrowProtocols(path.Protocols, right, negated) };
        }

        if (field != "dport" || proto is not ("tcp" or "udp" or "th"))
        {
            return path;
        }

        if (proto != "th")
        {
            path = path with { Protocols = path.Protocols.Where(p => p.Name() == proto).ToList() };
        }

        if (PortSet.Read(right) is not { } ports)
        {
            var why = right.ValueKind == JsonValueKind.String && right.GetString()!.StartsWith('@') ? ServerTexts.PortsInNamedSet(right.GetString()!) : ServerTexts.PortsUnreadable;
            return path with { Unreadable = path.Unreadable ?? why };
        }

        ports = negated ? PortSet.All.Except(ports.Intervals) : ports;
        return path with { Ports = path.Ports is { } before ? before.Intersect(ports) : ports };
    }

    private static List<Protocol> NarrowProtocols(IReadOnlyList<Protocol> protocols, JsonElement right, bool negated)
    {
        var named = new List<JsonElement>();
        if (right.ValueKind == JsonValueKind.Object && right.TryGetProperty("set", out var set) && set.ValueKind == JsonValueKind.Array)
        {
            named.AddRange(set.EnumerateArray());
        }
        else
        {
            named.Add(right);
        }

        if (named.Any(n => n.ValueKind is not (JsonValueKind.String or JsonValueKind.Number)) || (right.ValueKind == JsonValueKind.String && right.GetString()!.StartsWith('@')))
        {
            // A named set of protocols: any of them may be in it.
            return [.. protocols];
        }

        var listed = named.Select(n => n.ValueKind == JsonValueKind.Number ? n.GetInt32() switch { 6 => "tcp", 17 => "udp", _ => "?" } : n.GetString()).ToHashSet(StringComparer.Ordinal);
        return protocols.Where(p => listed.Contains(p.Name()) != negated).ToList();
    }
}
