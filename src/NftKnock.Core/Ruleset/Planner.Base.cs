using NftKnock.Core.Model;

namespace NftKnock.Core.Ruleset;

public static partial class Planner
{
    private const string Stray = "stray";

    private static void BaseChains(PlanContext ctx, TextBlock t)
    {
        var config = ctx.Config;
        if (ctx.AnyProgress)
        {
            ctx.Add(ObjectKind.Chain, Stray);
            t.Line();
            t.Open($"chain {Stray}");
            t.Comment("Any other new packet from a source part-way through a sequence costs it all progress: sweeps fail.");
            foreach (var door in config.Doors.Where(d => d.StepCount > 1))
            {
                foreach (var family in Families(door))
                {
                    t.Line($"{Saddr(family)} @{Names.Progress(door.Name, family)} jump {Names.Reset(door.Name, family)}");
                }
            }

            t.Close();
        }

        if (config.Mode == Mode.Guard)
        {
            FragmentsChain(ctx, t);
        }

        if (ctx.AnyReset)
        {
            ctx.Add(ObjectKind.Chain, Names.Refuse);
            t.Line();
            t.Open($"chain {Names.Refuse}");
            t.Comment("Answer like a closed host.");
            t.Line("meta l4proto tcp reject with tcp reset");
            t.Line("reject with icmpx type port-unreachable");
            t.Close();
        }

        ctx.Add(ObjectKind.Chain, Names.Input);
        t.Line();
        t.Open($"chain {Names.Input}");
        if (config.Mode == Mode.Guard)
        {
            t.Comment(ctx.AnyReset
                ? "Guard mode only ever drops or refuses; accept here hands the packet on to the host's own firewall."
                : "Guard mode only ever drops; accept here hands the packet on to the host's own firewall.");
            t.Line("type filter hook input priority filter - 10; policy accept;");
            t.Line($"exthdr frag exists jump {Names.Fragments}");
            t.Line($"meta l4proto . th dport vmap @{Names.Dispatch}");
            RotatingDispatchRule(ctx, t);
            if (ctx.AnyProgress)
            {
                t.Line($"{OfAConnection} accept");
                t.Line($"jump {Stray}");
            }
        }
        else
        {
            FirewallInput(ctx, t);
        }

        t.Close();
        if (config.Mode == Mode.Firewall)
        {
            ctx.Add(ObjectKind.Chain, Names.Forward);
            t.Line();
            t.Open($"chain {Names.Forward}");
            t.Line($"type filter hook forward priority filter - 10; policy {(config.Firewall.ForwardAccept ? "accept" : "drop")};");
            t.Close();
        }
    }

    /// <summary>
    /// Guard mode runs without conntrack, so nothing reassembles IPv6 before the input hook, and a rule
    /// cannot match a header that is not in the packet: a first fragment without its TCP or UDP header
    /// would pass every rule and be reassembled into a packet that no rule saw. RFC 7112 requires the
    /// first fragment to carry the whole header chain, so one that does not is dropped.
    /// </summary>
    private static void FragmentsChain(PlanContext ctx, TextBlock t)
    {
        ctx.Add(ObjectKind.Chain, Names.Fragments);
        t.Line();
        t.Open($"chain {Names.Fragments}");
        t.Comment("Nothing reassembles IPv6 before this hook. A later fragment makes no packet without its first: it passes.");
        t.Line("frag frag-off != 0 return");
        t.Comment("A first fragment passes only with its whole TCP or UDP header (RFC 7112): reading its last byte proves it is there.");
        t.Line("meta l4proto tcp @th,152,8 >= 0 return");
        t.Line("meta l4proto udp @th,56,8 >= 0 return");
        t.Comment("Other protocols reach no port of ours; a header chain that nft cannot follow matches none of these.");
        t.Line("meta l4proto != { tcp, udp } return");
        t.Line("drop");
        t.Close();
    }

    private static void FirewallInput(PlanContext ctx, TextBlock t)
    {
        var fw = ctx.Config.Firewall;
        t.Comment("Firewall mode: a complete stealth firewall, policy drop.");
        t.Line("type filter hook input priority filter - 10; policy drop;");
        t.Line("iif \"lo\" accept");
        t.Line("ct state established,related accept");
        t.Line("ct state invalid drop");
        t.Line($"meta l4proto . th dport vmap @{Names.Dispatch}");
        RotatingDispatchRule(ctx, t);
        switch (fw.Icmp)
        {
            case IcmpPolicy.All:
                t.Line("meta l4proto { icmp, ipv6-icmp } accept");
                break;
            case IcmpPolicy.Essential:
                t.Line("icmp type { destination-unreachable, echo-request, parameter-problem, time-exceeded } accept");
                t.Line("icmpv6 type { destination-unreachable, packet-too-big, time-exceeded, parameter-problem, echo-request, nd-router-advert, nd-neighbor-solicit, nd-neighbor-advert } accept");
                t.Line("ip6 saddr fe80::/10 icmpv6 type { mld-listener-query, mld-listener-report, mld-listener-done, mld2-listener-report } accept");
                break;
            case IcmpPolicy.None:
                t.Comment("IPv6 cannot work without neighbour discovery.");
                t.Line("icmpv6 type { nd-router-advert, nd-neighbor-solicit, nd-neighbor-advert } accept");
                break;
        }

        if (ctx.AnyProgress)
        {
            t.Line($"jump {Stray}");
        }

        if (ctx.Config.Firewall.Allow.Count > 0)
        {
            t.Line($"meta l4proto . th dport @{Names.FirewallAllow} accept");
        }

        if (fw.Reject)
        {
            t.Line($"goto {Names.Refuse}");
        }
    }
}
