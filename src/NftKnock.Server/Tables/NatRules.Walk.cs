using System.Globalization;
using System.Net;
using NftKnock.Server.Nftables;

namespace NftKnock.Server.Tables;

/// <summary>The walk through the nat chains of <c>nft -j list ruleset</c>: jumps and gotos followed, port matches narrowed (<see cref="PortMatch"/>).</summary>
public sealed partial class NatRules
{
    private static List<Statement> Walk(ForeignRuleset ruleset)
    {
        var found = new List<Statement>();
        foreach (var chain in ruleset.Chains.Values.Where(c => c is { Type: "nat", Hook: "prerouting" }))
        {
            Visit(ruleset, chain, PathMatch.Any, 0, found);
        }

        return found;
    }

    private static void Visit(ForeignRuleset ruleset, ForeignChain chain, PathMatch entry, int depth, List<Statement> found)
    {
        var where = ServerTexts.NatChain(chain.Family, chain.Table, chain.Name);
        foreach (var rule in chain.Rules)
        {
            var path = entry;
            foreach (var expr in rule)
            {
                if (expr.TryGetProperty("match", out var match))
                {
                    path = path.Match.TryNarrow(match, out var narrowed) ? path with { Match = narrowed } : path;
                }
                else if (expr.TryGetProperty("xt", out var xt))
                {
                    var name = xt.Text("name") ?? "?";
                    if (xt.Text("type") == "match")
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
                else if (expr.TryGetProperty("redirect", out var redirect) && redirect.TryGetProperty("port", out var port) && port.TryGetInt32(out var to))
                {
                    found.Add(new Statement(where, null, to, path.Final));
                }
                else if (depth < ForeignRuleset.MaxJumps && ruleset.IsJump(chain, expr, out _, out var next) && next is not null)
                {
                    Visit(ruleset, next, path, depth + 1, found);
                }
            }
        }
    }

    private static Statement Dnat(string where, JsonValue dnat, PortMatch path)
    {
        var address = dnat.Text("addr") is { } addr && IPAddress.TryParse(addr, out var parsed) ? parsed : null;
        var port = dnat.TryGetProperty("port", out var p) ? (p.TryGetInt32(out var number) ? number : -1) : (int?)null;

        // A port range or an expression as the target port: where a connection lands cannot be told.
        return new Statement(where, DnatTarget(dnat), null, path) { Address = port == -1 ? null : address, Port = port };
    }

    /// <summary><c>198.19.0.2:80</c>, <c>[2001:db8::2]:80</c>, or the address alone; when a map or an expression chooses it, says so.</summary>
    private static string? DnatTarget(JsonValue dnat)
    {
        if (dnat.Text("addr") is not { } addr)
        {
            return ServerTexts.DnatByMap;
        }

        if (!dnat.TryGetProperty("port", out var port) || !port.TryGetInt32(out var number))
        {
            return addr;
        }

        var p = number.ToString(CultureInfo.InvariantCulture);
        return addr.Contains(':', StringComparison.Ordinal) ? $"[{addr}]:{p}" : $"{addr}:{p}";
    }
}
