using NftKnock.Core.Model;
using NftKnock.Core.Ruleset.Model;

namespace NftKnock.Core.Ruleset;

/// <summary>
/// Where protected ports are decided besides the input hook: a port the host publishes by DNAT (Docker's
/// <c>-p 8080:80</c>, a NodePort, a libvirt forward) is forwarded and never reaches input.
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
            ctx.Section("Protected ports go to their guard from prerouting, before any DNAT: a port the host forwards is guarded like its own.");
            ctx.Add(new NftMap(Names.Protected, [KeyField.L4Proto, KeyField.ThDport])
            {
                Flags = AnyRange(ctx) ? SetFlags.Interval : SetFlags.None,
                Elements = doors.SelectMany(GuardEntries).ToList(),
            });
            return;
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
    }

    /// <summary>
    /// Guard mode's decision on protected ports. Priority raw comes before conntrack and before every nat
    /// chain (they must follow conntrack), so the port is the one the client addressed, and no ct
    /// expression is needed: one in our table would switch conntrack on for the whole host.
    /// </summary>
    private static ChainBuilder PreroutingChain() =>
        new ChainBuilder(Names.Prerouting, "Protected ports, delivered here or forwarded after DNAT, are decided once, before any DNAT.")
        {
            Hook = new NftHook("prerouting", "raw", "accept"),
        }.Rule($"meta l4proto . th dport vmap @{Names.Protected}");

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
        var maps = ProtectedByProtocol.Where(p => ctx.Objects.Any(o => o is NftMap m && m.Name == p.Map)).ToList();
        if (maps.Count > 0)
        {
            forward.Rule("ct state established,related accept");
            forward.Comment("Replies from the DNAT target have ct status dnat too: only the original direction is a client's.");
            foreach (var (protocol, map) in maps)
            {
                forward.Rule($"ct status dnat ct direction original meta l4proto {protocol.Name()} ct original proto-dst vmap @{map}");
            }
        }

        return forward.Build();
    }
}
