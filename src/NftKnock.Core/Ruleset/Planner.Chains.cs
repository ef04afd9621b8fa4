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

    private static void DoorChains(PlanContext ctx, Door door)
    {
        var n = door.StepCount;

        // A rotating door with clients has a last step per client: the map's entry for a client's last
        // knock names the client, so its grants, replays and log lines are its own. What the last step
        // checks and claims is the same for every client, so it lives once, in the door's bind chain.
        foreach (var shared in door.StepChains().Where(c => c.Client is null))
        {
            ctx.Add(StepChain(ctx, door, shared.Step));
        }

        if (door.Clients.Count > 0)
        {
            ctx.Add(StepChain(ctx, door, n));
        }

        foreach (var client in Holders(door))
        {
            if (client is not null)
            {
                ctx.Add(ClientChain(door, client));
            }

            LogChains(ctx, door, client);
        }

        if (n > 1)
        {
            foreach (var family in Served(door))
            {
                ctx.Add(ResetChain(door, family));
            }
        }

        if (ctx.Config.Audit)
        {
            ctx.Add(AuditChain(door));
        }

        ctx.Add(GuardChain(ctx, door));
    }

    /// <summary>Who a door's grant and log chains are for: each client of a rotating door with clients, else the door alone (null).</summary>
    private static IReadOnlyList<RotatingClient?> Holders(Door door) => door.Clients.Count > 0 ? [.. door.Clients] : [null];

    /// <summary>The door's chain for step <paramref name="k"/>; with clients, the last step is the door's bind chain.</summary>
    private static ChainBuilder StepChain(PlanContext ctx, Door door, int k)
    {
        var n = door.StepCount;
        Step? step = door.Rotating is null ? door.Sequence[k - 1] : null;
        var bind = door.Clients.Count > 0 && k == n;
        var chain = new ChainBuilder(bind ? Names.Bind(door.Name) : door.StepChainOf(k, null).Name, step is { } fixedStep
            ? $"Step {k} of {n}: {fixedStep}."
            : bind
            ? $"Step {k} of {n}, for every client: reached only by a jump from a client's own last step, to which it returns when the knock completed."
            : $"Step {k} of {n}: a rotating UDP knock whose port and token matched @{Names.Rotating}.");
        if (step?.Protocol == Protocol.Tcp)
        {
            chain.Comment("A TCP knock is a connection attempt: a SYN alone. Other segments on a knock port are ours to refuse.");
            chain.Rule($"{NotSyn} {Refusal(door)}");
        }

        chain.Rule($"counter name \"{Names.Counter(door.Name, CounterKind.Knocks)}\"");
        foreach (var family in Served(door))
        {
            StepRules(chain, door, k, family, KnockingTimeout(ctx));
        }

        return chain.Rule(Refusal(door));
    }

    private static void StepRules(ChainBuilder chain, Door door, int k, Families family, TimeSpan knocking)
    {
        var n = door.StepCount;
        var s = Saddr(family);
        var prog = Names.Progress(door.Name, family);
        var timeout = Duration.Format(door.StepTimeout);
        if (n == 1)
        {
            if (door.Rotating is null)
            {
                chain.Rule($"{Nfproto(family)} {Grant(door, family, null)}");
            }
            else
            {
                BindRules(chain, door, family, $"{Nfproto(family)} ", string.Empty);
            }

            return;
        }

        if (k < n)
        {
            var stage = Names.Stage(door.Name, k, family);
            chain.Rule($"{s} @{stage} {Refusal(door)}");
            // Into the knocking set too, for the longest step-timeout of any door: it holds every source some progress set holds.
            var knockingUpdate = $"update @{Names.Knocking(family)} {{ {s} timeout {Duration.Format(knocking)} }}";
            var advance = $"add @{stage} {{ {s} timeout {timeout} }} update @{prog} {{ {s} timeout {timeout} }} {knockingUpdate} {Refusal(door)}";
            if (k == 1)
            {
                // Step 1 restarts: later stages are cleared, whatever the source had done before.
                var clear = string.Concat(Enumerable.Range(2, n - 2).Select(j => $"delete @{Names.Stage(door.Name, j, family)} {{ {s} }} "));
                chain.Rule($"{Nfproto(family)} {clear}{advance}");
                return;
            }

            var previous = Names.Stage(door.Name, k - 1, family);
            chain.Rule($"{s} @{previous} delete @{previous} {{ {s} }} {advance}");
        }
        else
        {
            var previous = Names.Stage(door.Name, n - 1, family);
            var clear = $"delete @{previous} {{ {s} }} delete @{prog} {{ {s} }} ";
            if (door.Rotating is null)
            {
                chain.Rule($"{s} @{previous} {clear}{Grant(door, family, null)}");
            }
            else
            {
                BindRules(chain, door, family, $"{s} @{previous} ", clear);
            }
        }

        chain.Rule($"{s} @{prog} jump {Names.Reset(door.Name, family)}");
    }

    private static ChainBuilder ResetChain(Door door, Families family)
    {
        var s = Saddr(family);
        var stages = string.Concat(Enumerable.Range(1, door.StepCount - 1).Select(j => $"delete @{Names.Stage(door.Name, j, family)} {{ {s} }} "));
        return new ChainBuilder(Names.Reset(door.Name, family), "ICMP is not a new packet: neighbour discovery and errors must not break a knock in flight.")
            .Rule("meta l4proto { icmp, ipv6-icmp } return")
            .Rule($"{stages}delete @{Names.Progress(door.Name, family)} {{ {s} }} counter name \"{Names.Counter(door.Name, CounterKind.Resets)}\"");
    }

    private static ChainBuilder GuardChain(PlanContext ctx, Door door)
    {
        var openFor = Duration.Format(door.OpenFor);
        var chain = new ChainBuilder(Names.Guard(door.Name), $"Protected: {string.Join(", ", door.Protect)}.");
        if (ctx.Config.Mode == Mode.Guard && door.Protect.Any(p => p.Protocol == Protocol.Tcp))
        {
            chain.Comment("Segments with ACK or RST pass without asking conntrack, so expiry never cuts a connection;")
                .Comment("a SYN, and NULL, FIN or Xmas probes, are decided like a new connection.")
                .Rule($"{OfAConnection} accept");
        }

        if (ctx.AnyProgress)
        {
            chain.Rule($"jump {Names.Stray}");
        }

        foreach (var family in AllFamilies.Where(f => door.Allow.Any(p => p.IsIPv4() == (f == Families.IPv4))))
        {
            chain.Rule($"{Saddr(family)} @{Names.Allow(door.Name, family)} accept");
        }

        foreach (var family in Served(door))
        {
            // One grant set per prefix length in use: a source passes if its network of that length was granted.
            foreach (var length in door.GrantLengths(family))
            {
                var s = Masked(family, length);
                var open = Names.Open(door.Name, family, length);
                if (door.Protect.Any(p => p.Protocol == Protocol.Udp))
                {
                    chain.Comment("UDP has no connection: traffic from a granted source keeps its grant alive.")
                        .Rule($"meta l4proto udp {s} @{open} update @{open} {{ {s} timeout {openFor} }} accept");
                }

                if (door.CloseOnConnect)
                {
                    chain.Comment("close-on-connect: the first new connection uses the grant up.")
                        .Rule($"{s} @{open} delete @{open} {{ {s} }} accept");
                }
                else
                {
                    chain.Rule($"{s} @{open} accept");
                }
            }
        }

        return chain.Rule(Unmatched(ctx, door));
    }
}
