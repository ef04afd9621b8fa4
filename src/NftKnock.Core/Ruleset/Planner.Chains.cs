using NftKnock.Core.Model;

namespace NftKnock.Core.Ruleset;

public static partial class Planner
{
    /// <summary>Anything but a SYN alone: not a TCP knock.</summary>
    private const string NotSyn = "tcp flags & (fin | syn | rst | ack) != syn";

    /// <summary>
    /// A segment of a connection that exists: ACK, or a RST, which opens none. A SYN and segments with
    /// neither (NULL, FIN and Xmas probes) belong to no connection, so they are decided like a new one.
    /// </summary>
    private const string OfAConnection = "tcp flags & (ack | rst) != 0";

    private static void DoorChains(PlanContext ctx, Door door, TextBlock t)
    {
        var n = door.StepCount;
        for (var k = 1; k <= n; k++)
        {
            StepChain(ctx, door, k, t);
        }

        if (door.Rotating is not null)
        {
            foreach (var family in Families(door))
            {
                BindChain(ctx, door, family, t);
            }
        }

        if (n > 1)
        {
            foreach (var family in Families(door))
            {
                ResetChain(ctx, door, family, t);
            }
        }

        GuardChain(ctx, door, t);
    }

    private static void StepChain(PlanContext ctx, Door door, int k, TextBlock t)
    {
        var n = door.StepCount;
        Step? step = door.Rotating is null ? door.Sequence[k - 1] : null;
        var name = Names.StepChain(door.Name, k);
        var timeout = Duration.Format(door.StepTimeout);
        ctx.Add(ObjectKind.Chain, name);
        t.Line();
        t.Open($"chain {name}");
        t.Comment(step is { } fixedStep
            ? $"Step {k} of {n}: {fixedStep}."
            : $"Step {k} of {n}: a rotating UDP knock whose port and token matched @{Names.Rotating}.");
        if (step?.Protocol == Protocol.Tcp)
        {
            t.Comment("A TCP knock is a connection attempt: a SYN alone. Other segments on a knock port are ours to refuse.");
            t.Line($"{NotSyn} {Refusal(door)}");
        }

        t.Line($"counter name \"{Names.Counter(door.Name, "knocks")}\"");
        foreach (var family in Families(door))
        {
            var s = Saddr(family);
            var prog = Names.Progress(door.Name, family);
            if (n == 1)
            {
                t.Line($"{Nfproto(family)} {Finish(ctx, door, family)}");
                continue;
            }

            if (k < n)
            {
                var stage = Names.Stage(door.Name, k, family);
                t.Line($"{s} @{stage} {Refusal(door)}");
                var advance = $"add @{stage} {{ {s} timeout {timeout} }} update @{prog} {{ {s} timeout {timeout} }} {Refusal(door)}";
                if (k == 1)
                {
                    // Step 1 restarts: later stages are cleared, whatever the source had done before.
                    var clear = string.Concat(Enumerable.Range(2, n - 2).Select(j => $"delete @{Names.Stage(door.Name, j, family)} {{ {s} }} "));
                    t.Line($"{Nfproto(family)} {clear}{advance}");
                    continue;
                }

                var previous = Names.Stage(door.Name, k - 1, family);
                t.Line($"{s} @{previous} delete @{previous} {{ {s} }} {advance}");
            }
            else
            {
                var previous = Names.Stage(door.Name, n - 1, family);
                t.Line($"{s} @{previous} delete @{previous} {{ {s} }} delete @{prog} {{ {s} }} {Finish(ctx, door, family)}");
            }

            t.Line($"{s} @{prog} jump {Names.Reset(door.Name, family)}");
        }

        t.Line(Refusal(door));
        t.Close();
    }

    private static string Grant(PlanContext ctx, Door door, AddressFamily family, string prefix)
    {
        // update restarts a running grant's timeout; add leaves it as it is.
        var verb = door.Refresh == Refresh.Update ? "update" : "add";
        var log = door.Log ? $" log prefix \"nftknock {door.Name} open: \"" : string.Empty;
        return $"{prefix}{verb} @{Names.Open(door.Name, family)} {{ {Saddr(family)} timeout {Duration.Format(door.OpenFor)} }} "
            + $"counter name \"{Names.Counter(door.Name, "grants")}\"{log} {Refusal(door)}";
    }

    private static void ResetChain(PlanContext ctx, Door door, AddressFamily family, TextBlock t)
    {
        var name = Names.Reset(door.Name, family);
        var s = Saddr(family);
        ctx.Add(ObjectKind.Chain, name);
        t.Line();
        t.Open($"chain {name}");
        t.Comment("ICMP is not a new packet: neighbour discovery and errors must not break a knock in flight.");
        t.Line("meta l4proto { icmp, ipv6-icmp } return");
        var stages = string.Concat(Enumerable.Range(1, door.StepCount - 1).Select(j => $"delete @{Names.Stage(door.Name, j, family)} {{ {s} }} "));
        t.Line($"{stages}delete @{Names.Progress(door.Name, family)} {{ {s} }} counter name \"{Names.Counter(door.Name, "resets")}\"");
        t.Close();
    }

    private static void GuardChain(PlanContext ctx, Door door, TextBlock t)
    {
        var name = Names.Guard(door.Name);
        var openFor = Duration.Format(door.OpenFor);
        ctx.Add(ObjectKind.Chain, name);
        t.Line();
        t.Open($"chain {name}");
        t.Comment($"Protected: {string.Join(", ", door.Protect)}.");
        if (ctx.Config.Mode == Mode.Guard && door.Protect.Any(p => p.Protocol == Protocol.Tcp))
        {
            t.Comment("Segments with ACK or RST pass without conntrack, so expiry never cuts a connection;");
            t.Comment("a SYN, and NULL, FIN or Xmas probes, are decided like a new connection.");
            t.Line($"{OfAConnection} accept");
        }

        if (ctx.AnyProgress)
        {
            t.Line($"jump {Stray}");
        }

        foreach (var family in AllFamilies)
        {
            if (door.Allow.Any(p => p.IsIPv4() == (family == AddressFamily.IPv4)))
            {
                t.Line($"{Saddr(family)} @{Names.Allow(door.Name, family)} accept");
            }
        }

        foreach (var family in Families(door))
        {
            var s = Saddr(family);
            var open = Names.Open(door.Name, family);
            if (door.Protect.Any(p => p.Protocol == Protocol.Udp))
            {
                t.Comment("UDP has no connection: traffic from a granted source keeps its grant alive.");
                t.Line($"meta l4proto udp {s} @{open} update @{open} {{ {s} timeout {openFor} }} accept");
            }

            if (door.CloseOnConnect)
            {
                t.Comment("close-on-connect: the first new connection uses the grant up.");
                t.Line($"{s} @{open} delete @{open} {{ {s} }} accept");
            }
            else
            {
                t.Line($"{s} @{open} accept");
            }
        }

        t.Line($"counter name \"{Names.Counter(door.Name, "blocked")}\" {Refusal(door)}");
        t.Close();
    }
}
