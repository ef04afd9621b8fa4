using NftKnock.Core.Model;
using NftKnock.Core.Ruleset.Model;

namespace NftKnock.Core.Ruleset;

/// <summary>
/// Where protected ports are decided: after routing and DNAT, so that what the kernel really does with a
/// packet counts. A connection the host delivers is decided in input, one it forwards after DNAT (Docker's
/// <c>-p 8080:80</c>, a NodePort, a VIP's <c>dnat to</c>) in forward, by the port the client addressed; and
/// one that goes straight to a DNAT target, skipping the published port, in forward too.
/// </summary>
public static partial class Planner
{
    private static IEnumerable<MapEntry> GuardEntries(Door door) =>
        door.Protect.Select(range => new MapEntry([range.Protocol.Name(), range.PortsText], Verdict.Goto(Names.Guard(door.Name))));

    private static bool AnyRange(PlanContext ctx) => ctx.Config.Doors.Any(d => d.Protect.Any(r => !r.IsSingle));

    private static readonly (Protocol Protocol, string Map)[] ProtectedByProtocol = [(Protocol.Tcp, Names.ProtectedTcp), (Protocol.Udp, Names.ProtectedUdp)];

    private static void ProtectedMaps(PlanContext ctx)
    {
        var doors = ctx.Config.Doors;
        if (doors.Count == 0)
        {
            return;
        }

        if (ctx.Config.Mode == Mode.Guard)
        {
            ctx.Section("Protected ports go to their guard from the input hook: whatever address a packet was sent to, if the host delivers it, its port decides.");
            ctx.Add(new NftMap(Names.Protected, [KeyField.L4Proto, KeyField.ThDport])
            {
                Flags = AnyRange(ctx) ? SetFlags.Interval : SetFlags.None,
                Elements = doors.SelectMany(GuardEntries).ToList(),
            });
        }

        // ct original proto-dst cannot be part of a concatenation, so each protocol has its own map.
        var first = true;
        foreach (var (protocol, map) in ProtectedByProtocol)
        {
            var entries = doors
                .SelectMany(d => d.Protect.Where(r => r.Protocol == protocol).Select(r => new MapEntry([r.PortsText], Verdict.Goto(Names.Guard(d.Name)))))
                .ToList();
            if (entries.Count > 0)
            {
                if (first)
                {
                    ctx.Section("A DNATed connection goes to the guard of the port it was addressed to, before DNAT rewrote it.");
                    first = false;
                }

                ctx.Add(new NftMap(map, [KeyField.CtOriginalProtoDst])
                {
                    Flags = doors.Any(d => d.Protect.Any(r => r.Protocol == protocol && !r.IsSingle)) ? SetFlags.Interval : SetFlags.None,
                    Elements = entries,
                });
            }
        }

        PublishedMaps(ctx);
    }

    /// <summary>
    /// The targets of protected published ports, as the host's nat rules had them at apply: a connection
    /// straight to one, not through its DNAT, is decided by the door of the port that publishes it.
    /// </summary>
    private static void PublishedMaps(PlanContext ctx)
    {
        if (!GuardsForwarded(ctx))
        {
            return;
        }

        var first = true;
        foreach (var family in AllFamilies)
        {
            var entries = ctx.Published
                .Where(t => t.Family == family && ctx.Config.Doors.Any(d => d.Name == t.Door))
                .Select(t => new MapEntry([t.Address.ToString(), t.Ports.Protocol.Name(), t.Ports.PortsText], Verdict.Goto(Names.Guard(t.Door))))
                .DistinctBy(e => string.Join(" . ", e.Key))
                .ToList();
            if (entries.Count == 0)
            {
                continue;
            }

            if (first)
            {
                ctx.Section("Where the host's DNAT sends protected ports: reached straight, not through the DNAT, the door decides too.");
                first = false;
            }

            ctx.Add(new NftMap(Names.Published(family), [KeyField.Daddr(family), KeyField.L4Proto, KeyField.ThDport])
            {
                Flags = ctx.Published.Any(t => t.Family == family && !t.Ports.IsSingle) ? SetFlags.Interval : SetFlags.None,
                Elements = entries,
            });
        }
    }

    /// <summary>Whether forwarded connections reach the door at all: guard mode, or firewall mode whose forward policy accepts.</summary>
    private static bool GuardsForwarded(PlanContext ctx) => ctx.Config.Mode == Mode.Guard || ctx.Config.Firewall.ForwardAccept;

    /// <summary>The rules that send a DNATed connection to the guard of the port it was addressed to.</summary>
    private static void DnatRules(PlanContext ctx, ChainBuilder chain)
    {
        var maps = ProtectedByProtocol.Where(p => ctx.Objects.Any(o => o is NftMap m && m.Name == p.Map)).ToList();
        if (maps.Count == 0)
        {
            return;
        }

        chain.Comment("Replies from the DNAT target have ct status dnat too: only the original direction is a client's.");
        foreach (var (protocol, map) in maps)
        {
            chain.Rule($"ct status dnat ct direction original meta l4proto {protocol.Name()} ct original proto-dst vmap @{map}");
        }
    }

    /// <summary>The rules that send a connection straight to a DNAT target, not through the DNAT, to the door's guard.</summary>
    private static void PublishedRules(PlanContext ctx, ChainBuilder chain)
    {
        var first = true;
        foreach (var family in AllFamilies.Where(f => ctx.Objects.Any(o => o is NftMap m && m.Name == Names.Published(f))))
        {
            if (first)
            {
                chain.Comment("Straight to where a protected port is published, skipping the published port: the same door decides.");
                first = false;
            }

            chain.Rule($"ct status != dnat {KeyField.Daddr(family).Expression} . meta l4proto . th dport vmap @{Names.Published(family)}");
        }
    }

    /// <summary>
    /// Guard mode's forward hook, policy accept: it only ever drops or refuses. Routed traffic that the
    /// host does not DNAT passes untouched, unless it goes straight to the target of a protected published port.
    /// </summary>
    private static ChainBuilder GuardForward(PlanContext ctx)
    {
        var forward = new ChainBuilder(Names.Forward, "Forwarded after DNAT, the port the client addressed decides; routed traffic the host does not DNAT is not ours.")
        {
            Hook = new NftHook("forward", "filter - 10", "accept"),
        };
        DnatRules(ctx, forward);
        PublishedRules(ctx, forward);
        return forward;
    }

    /// <summary>
    /// Firewall mode's forward hook: its policy is <c>firewall.forward</c>, and a DNATed connection to a
    /// protected port is the door's to decide whatever that policy is.
    /// </summary>
    private static NftChain ForwardChain(PlanContext ctx)
    {
        var fw = ctx.Config.Firewall;
        var forward = new ChainBuilder(Names.Forward)
        {
            Hook = new NftHook("forward", "filter - 10", fw.ForwardAccept ? "accept" : "drop"),
        };
        if (ProtectedByProtocol.Any(p => ctx.Objects.Any(o => o is NftMap m && m.Name == p.Map)))
        {
            forward.Rule("ct state established,related accept");
            DnatRules(ctx, forward);
            PublishedRules(ctx, forward);
        }

        return forward.Build();
    }
}
