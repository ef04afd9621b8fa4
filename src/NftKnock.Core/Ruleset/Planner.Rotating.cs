using NftKnock.Core.Model;
using NftKnock.Core.Ruleset.Model;

namespace NftKnock.Core.Ruleset;

/// <summary>The parts of the plan that only rotating doors have. Their knocks are written by rotate, not planned.</summary>
public static partial class Planner
{
    /// <summary>How long a completed window stays owned: no step of a window is valid longer than three periods.</summary>
    public static TimeSpan OwnershipSpan(RotatingDoor rotating) => rotating.Period * 3;

    private static string SequenceText(Door door) => door.Rotating is { } r
        ? $"{r.Knocks} rotating knocks in {Duration.Format(r.Period)} windows, ports {r.Ports.PortsText}"
        : string.Join(" ", door.Sequence);

    private static void RotatingMap(PlanContext ctx)
    {
        if (!ctx.AnyRotating)
        {
            return;
        }

        ctx.Section(
            "Rotating knocks: UDP port and 8-byte payload token of the current windows, written by apply and rotate.",
            "Every element has a timeout, so the doors fail closed when rotation stops.");
        ctx.Add(new NftMap(Names.Rotating, [KeyField.UdpDport, KeyField.Token]) { Flags = SetFlags.Timeout });
    }

    private static void RotatingDispatchRule(PlanContext ctx, ChainBuilder input)
    {
        if (ctx.AnyRotating)
        {
            // @th,64,64 is the 8 bytes after the UDP header: a datagram without the right token matches nothing.
            // Only UDP to a rotating door's port range pays for reading it and for the lookup.
            input.Rule($"udp dport {RotatingPorts(ctx)} udp dport . @th,64,64 vmap @{Names.Rotating}");
        }
    }

    /// <summary>The ports rotating knocks are drawn from, overlapping ranges merged: <c>10000-65000</c> or <c>{ 7000-7999, 9000-9999 }</c>.</summary>
    private static string RotatingPorts(PlanContext ctx)
    {
        var merged = new List<PortRange>();
        foreach (var range in ctx.Config.Doors.Select(d => d.Rotating?.Ports).OfType<PortRange>().OrderBy(r => r.First))
        {
            if (merged.Count > 0 && range.First <= merged[^1].Last + 1)
            {
                merged[^1] = merged[^1] with { Last = Math.Max(merged[^1].Last, range.Last) };
            }
            else
            {
                merged.Add(range);
            }
        }

        return merged.Count == 1 ? merged[0].PortsText : $"{{ {string.Join(", ", merged.Select(r => r.PortsText))} }}";
    }

    private static void OwnerSets(PlanContext ctx, Door door)
    {
        // One claims set for both families: a window completed over IPv4 is claimed on IPv6 as well, so a
        // captured IPv4 knock cannot be replayed over IPv6 (the token is the same on both). Owners stay per
        // family, since an address is of one family.
        ctx.Add(StateSet(Names.Claims(door.Name), [KeyField.Token], GrantSetSize));
        foreach (var family in Served(door))
        {
            ctx.Add(StateSet(Names.Owners(door.Name, family), [KeyField.Token, KeyField.Saddr(family)], GrantSetSize));
        }
    }

    /// <summary>
    /// The rules of a rotating door's last step for <paramref name="family"/>, in the step chain itself: the
    /// token names the window, whose first address owns it while it is valid and may knock it again; any
    /// other address is replaying a captured knock. <paramref name="completes"/> matches a source that has
    /// done every earlier step (for a one-knock door, only the family) and <paramref name="clear"/> clears
    /// its progress: each rule matches and clears in the same pass, so a rule whose set statement fails
    /// (a full set ends a rule) falls through to rules that can no longer match. With clients, the rules
    /// sit in the door's bind chain and return instead: the client's chain that jumped here grants or
    /// refuses by whether the source owns the token now.
    /// </summary>
    private static void BindRules(ChainBuilder chain, Door door, Families family, string completes, string clear)
    {
        var s = Saddr(family);
        var span = Duration.Format(OwnershipSpan(door.Rotating!));
        var claims = Names.Claims(door.Name);
        var owners = Names.Owners(door.Name, family);
        var shared = door.Clients.Count > 0;
        var grant = shared ? "return" : Grant(door, family, null);
        var replay = shared ? "return" : $"{Counted(door, CounterKind.Replays, null)} {(door.Log ? $"goto {Names.ReplayLog(door.Name)}" : Refusal(door))}";
        chain.Comment("The last knock's token names the window. Its first address owns it while it is valid and may knock it again.")
            .Rule($"{completes}@th,64,64 . {s} @{owners} {clear}{grant}")
            .Comment("Any other address is replaying a captured knock.")
            .Rule($"{completes}@th,64,64 @{claims} {clear}{replay}")
            .Rule($"{completes}{clear}add @{claims} {{ @th,64,64 timeout {span} }} add @{owners} {{ @th,64,64 . {s} timeout {span} }} {grant}");
    }

    /// <summary>
    /// A client's own last step, the target of the rotating map's entries for its last knock: the door's
    /// bind chain checks and claims, and returns here only for a completed knock. The source then owns the
    /// token (a grant) or does not (a replay), and the client's counters and log lines say which.
    /// </summary>
    private static ChainBuilder ClientChain(Door door, RotatingClient client)
    {
        var n = door.StepCount;
        var chain = new ChainBuilder(
            door.StepChainOf(n, client.Name).Name,
            $"Step {n} of {n} of client {NftText.Comment(client.Name)}: a rotating UDP knock whose port and token matched @{Names.Rotating}.");
        chain.Rule($"jump {Names.Bind(door.Name)}");
        foreach (var family in Served(door))
        {
            var owned = $"@th,64,64 . {Saddr(family)} @{Names.Owners(door.Name, family)}";
            var notOwned = $"@th,64,64 . {Saddr(family)} != @{Names.Owners(door.Name, family)}";
            chain.Rule($"{owned} {Grant(door, family, client)}")
                .Rule($"{notOwned} {Counted(door, CounterKind.Replays, client)}{Logged(door, family, LogKind.Replay, client)}");
        }

        return chain.Rule(Refusal(door));
    }
}
