using NftKnock.Core.Model;

namespace NftKnock.Core.Ruleset;

/// <summary>The parts of the plan that only rotating doors have. Their knocks are written by rotate, not planned.</summary>
public static partial class Planner
{
    /// <summary>How long a completed window stays owned: no step of a window is valid longer than three periods.</summary>
    public static TimeSpan OwnershipSpan(RotatingDoor rotating) => rotating.Period * 3;

    private static string SequenceText(Door door) => door.Rotating is { } r
        ? $"{r.Knocks} rotating knocks in {Duration.Format(r.Period)} windows, ports {r.Ports.PortsText}"
        : string.Join(" ", door.Sequence);

    private static void RotatingMap(PlanContext ctx, TextBlock t)
    {
        if (!ctx.AnyRotating)
        {
            return;
        }

        ctx.Add(ObjectKind.Map, Names.Rotating);
        t.Line();
        t.Comment("Rotating knocks: UDP port and 8-byte payload token of the current windows, written by apply and rotate.");
        t.Comment("Every element has a timeout, so the doors fail closed when rotation stops.");
        t.Open($"map {Names.Rotating}");
        t.Line("typeof udp dport . @th,64,64 : verdict");
        t.Line("flags timeout");
        t.Close();
    }

    private static void RotatingDispatchRule(PlanContext ctx, TextBlock t)
    {
        if (ctx.AnyRotating)
        {
            // @th,64,64 is the 8 bytes after the UDP header: a datagram without the right token matches nothing.
            t.Line($"udp dport . @th,64,64 vmap @{Names.Rotating}");
        }
    }

    private static void OwnerSets(PlanContext ctx, Door door, TextBlock t)
    {
        var claims = Names.Claims(door.Name);
        ctx.Add(ObjectKind.StatefulSet, claims, "integer");
        t.Open($"set {claims}");
        t.Line("typeof @th,64,64");
        t.Line($"size {GrantSetSize}");
        t.Line("flags dynamic,timeout");
        t.Close();
        foreach (var family in Families(door))
        {
            var owners = Names.Owners(door.Name, family);
            ctx.Add(ObjectKind.StatefulSet, owners, family == AddressFamily.IPv4 ? "integer . ipv4_addr" : "integer . ipv6_addr");
            t.Open($"set {owners}");
            t.Line($"typeof @th,64,64 . {Saddr(family)}");
            t.Line($"size {GrantSetSize}");
            t.Line("flags dynamic,timeout");
            t.Close();
        }
    }

    /// <summary>What the last step does: a static door grants, a rotating door first checks who owns the window.</summary>
    private static string Finish(PlanContext ctx, Door door, AddressFamily family) =>
        door.Rotating is null ? Grant(ctx, door, family, string.Empty) : $"goto {Names.Bind(door.Name, family)}";

    private static void BindChain(PlanContext ctx, Door door, AddressFamily family, TextBlock t)
    {
        var name = Names.Bind(door.Name, family);
        var s = Saddr(family);
        var span = Duration.Format(OwnershipSpan(door.Rotating!));
        var claims = Names.Claims(door.Name);
        var owners = Names.Owners(door.Name, family);
        ctx.Add(ObjectKind.Chain, name);
        t.Line();
        t.Open($"chain {name}");
        t.Comment("The last step's token names the window. Its first address owns it while it is valid and may knock it again.");
        t.Line($"@th,64,64 . {s} @{owners} {Grant(ctx, door, family, string.Empty)}");
        t.Comment("Any other address is replaying a captured knock.");
        t.Line($"@th,64,64 @{claims} counter name \"{Names.Counter(door.Name, Names.Replays)}\" {Refusal(door)}");
        t.Line($"add @{claims} {{ @th,64,64 timeout {span} }} add @{owners} {{ @th,64,64 . {s} timeout {span} }} {Grant(ctx, door, family, string.Empty)}");
        t.Close();
    }
}
