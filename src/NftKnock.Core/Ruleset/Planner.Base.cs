using NftKnock.Core.Model;
using NftKnock.Core.Ruleset.Model;

namespace NftKnock.Core.Ruleset;

public static partial class Planner
{
    private static void BaseChains(PlanContext ctx)
    {
        var config = ctx.Config;
        if (ctx.AnyProgress)
        {
            var stray = new ChainBuilder(Names.Stray, "Any other new packet from a source part-way through a sequence costs it all progress: sweeps fail.")
                .Comment("A source part-way through no sequence costs one lookup, however many doors there are.");
            foreach (var family in AllFamilies.Where(f => ctx.Objects.Any(o => o.Name == Names.Knocking(f))))
            {
                stray.Rule($"{Saddr(family)} != @{Names.Knocking(family)} return");
            }

            foreach (var door in config.Doors.Where(d => d.StepCount > 1))
            {
                foreach (var family in Served(door))
                {
                    stray.Rule($"{Saddr(family)} @{Names.Progress(door.Name, family)} jump {Names.Reset(door.Name, family)}");
                }
            }

            ctx.Add(stray);
        }

        if (config.Mode == Mode.Guard)
        {
            ctx.Add(FragmentsChain());
        }

        if (ctx.AnyReset)
        {
            ctx.Add(new ChainBuilder(Names.Refuse, "Answer like a closed host.")
                .Comment("The kernel's closed ports answer no broadcast, multicast or anycast destination: nor does this.")
                .Rule("fib daddr type { broadcast, multicast, anycast } drop")
                .Comment("Nothing local nor routed: the kernel's own answer for that route (an ICMP no-route, or nothing) comes instead.")
                .Rule("fib daddr type { unreachable, blackhole, prohibit } return")
                .Rule("meta l4proto tcp reject with tcp reset")
                .Rule("reject with icmpx type port-unreachable"));
        }

        ctx.Add(config.Mode == Mode.Guard ? GuardInput(ctx) : FirewallInput(ctx));
        if (config.Mode == Mode.Firewall)
        {
            ctx.Add(ForwardChain(ctx));
        }
        else if (config.Doors.Count > 0)
        {
            ctx.Add(GuardForward(ctx));
        }
    }

    private static ChainBuilder GuardInput(PlanContext ctx)
    {
        var input = new ChainBuilder(Names.Input, ctx.AnyReset
            ? "Guard mode only ever drops or refuses; accept here hands the packet on to the host's own firewall."
            : "Guard mode only ever drops; accept here hands the packet on to the host's own firewall.")
        {
            Hook = new NftHook("input", "filter - 10", "accept"),
        };
        input.Rule($"exthdr frag exists jump {Names.Fragments}");
        input.Rule($"meta l4proto . th dport vmap @{Names.Dispatch}");
        if (ctx.Config.Doors.Count > 0)
        {
            // Past the knock ports, a segment of a connection is decided here: every guard would accept it first.
            input.Comment("A segment of a connection: every guard passes it first, and it resets no knock.")
                .Rule($"{OfAConnection} accept");
        }

        RotatingDispatchRule(ctx, input);
        if (ctx.Config.Doors.Count > 0)
        {
            // Delivered here, whichever address or policy route brought it: the port the client addressed decides.
            DnatRules(ctx, input);
            input.Rule($"meta l4proto . th dport vmap @{Names.Protected}");
        }

        if (ctx.AnyProgress)
        {
            input.Rule($"jump {Names.Stray}");
        }

        return input;
    }

    /// <summary>
    /// Guard mode runs without conntrack, so nothing reassembles IPv6 before the input hook, and a rule
    /// cannot match a header that is not in the packet: a first fragment without its TCP or UDP header
    /// would pass every rule and be reassembled into a packet that no rule saw. RFC 7112 requires the
    /// first fragment to carry the whole header chain, so one that does not is dropped.
    /// </summary>
    private static ChainBuilder FragmentsChain() =>
        new ChainBuilder(Names.Fragments, "Nothing reassembles IPv6 before this hook. A later fragment makes no packet without its first: it passes.")
            .Rule("frag frag-off != 0 return")
            .Comment("A first fragment passes only with its whole TCP or UDP header (RFC 7112): reading its last byte proves it is there.")
            .Rule("meta l4proto tcp @th,152,8 >= 0 return")
            .Rule("meta l4proto udp @th,56,8 >= 0 return")
            .Comment("Other protocols reach no port of ours; a header chain that nft cannot follow matches none of these.")
            .Rule("meta l4proto != { tcp, udp } return")
            .Rule("drop");

    private static ChainBuilder FirewallInput(PlanContext ctx)
    {
        var fw = ctx.Config.Firewall;
        var input = new ChainBuilder(Names.Input, "Firewall mode: a complete stealth firewall, policy drop.")
        {
            Hook = new NftHook("input", "filter - 10", "drop"),
        };
        input.Rule("iif \"lo\" accept")
            .Rule("ct state established,related accept")
            .Rule("ct state invalid drop")
            .Rule($"meta l4proto . th dport vmap @{Names.Dispatch}");
        RotatingDispatchRule(ctx, input);
        switch (fw.Icmp)
        {
            case IcmpPolicy.All:
                input.Rule("meta l4proto { icmp, ipv6-icmp } accept");
                break;
            case IcmpPolicy.Essential:
                input.Rule("icmp type { destination-unreachable, echo-request, parameter-problem, time-exceeded } accept");
                input.Rule("icmpv6 type { destination-unreachable, packet-too-big, time-exceeded, parameter-problem, echo-request, nd-router-advert, nd-neighbor-solicit, nd-neighbor-advert } accept");
                input.Rule("ip6 saddr fe80::/10 icmpv6 type { mld-listener-query, mld-listener-report, mld-listener-done, mld2-listener-report } accept");
                break;
            case IcmpPolicy.None:
                input.Comment("IPv6 cannot work without neighbour discovery.");
                input.Rule("icmpv6 type { nd-router-advert, nd-neighbor-solicit, nd-neighbor-advert } accept");
                break;
        }

        if (ctx.AnyProgress)
        {
            input.Rule($"jump {Names.Stray}");
        }

        if (fw.Allow.Count > 0)
        {
            input.Rule($"meta l4proto . th dport @{Names.FirewallAllow} accept");
        }

        if (fw.Reject)
        {
            input.Rule($"goto {Names.Refuse}");
        }

        return input;
    }
}
