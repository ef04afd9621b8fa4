using NftKnock.Core.Model;

namespace NftKnock.Core.Ruleset;

/// <summary>
/// Turns a validated config into the table that recognises knocks in the kernel. Pure and
/// deterministic: the same config always gives the same text.
/// </summary>
public static partial class Planner
{
    /// <summary>Capacity of the grant sets: only a full knock adds to them, so spoofed floods cannot fill them.</summary>
    public const int GrantSetSize = 65536;

    /// <summary>The spoofed step-one rate (packets/s) that stage and progress sets are sized to absorb.</summary>
    public const int FloodRate = 200_000;

    private const int MinStageSetSize = 65536;
    private const int MaxStageSetSize = 1 << 21;

    /// <summary>
    /// Capacity of a door's stage and progress sets: every source that a spoofed flood at
    /// <see cref="FloodRate"/> can insert during one step-timeout fits, so a full set never turns a
    /// legitimate first knock away. Sets grow as elements arrive, so unused capacity costs nothing.
    /// </summary>
    public static int StageSetSize(TimeSpan stepTimeout)
    {
        var needed = (long)Math.Ceiling(FloodRate * stepTimeout.TotalSeconds);
        var size = MinStageSetSize;
        while (size < needed && size < MaxStageSetSize)
        {
            size <<= 1;
        }

        return size;
    }

    /// <summary>Plans the table for <paramref name="config"/>.</summary>
    public static RulesetPlan Plan(ServerConfig config)
    {
        var ctx = new PlanContext(config);
        var t = new TextBlock();
        t.Open($"table inet {config.Table}");
        t.Line("comment \"managed by nftknock: edits are lost on the next apply\"");
        t.Line();
        DeclareCounters(ctx, t);
        DeclareSets(ctx, t);
        DeclareDispatch(ctx, t);
        foreach (var door in config.Doors)
        {
            DoorChains(ctx, door, t);
        }

        BaseChains(ctx, t);
        t.Close();
        return new RulesetPlan(config.Table, ctx.Objects, t.ToString());
    }

    private static void DeclareCounters(PlanContext ctx, TextBlock t)
    {
        t.Comment("Per-door counters, read by nftknock status.");
        foreach (var door in ctx.Config.Doors)
        {
            foreach (var kind in door.Rotating is null ? Names.CounterKinds : Names.CounterKinds.Append(Names.Replays))
            {
                var name = Names.Counter(door.Name, kind);
                ctx.Add(ObjectKind.Counter, name);
                t.Line($"counter {name} {{}}");
            }
        }
    }

    private static void DeclareSets(PlanContext ctx, TextBlock t)
    {
        foreach (var door in ctx.Config.Doors)
        {
            t.Line();
            t.Comment($"Door {door.Name}: {string.Join(", ", door.Protect)} after {SequenceText(door)}.");
            foreach (var family in Families(door))
            {
                var stageSize = StageSetSize(door.StepTimeout);
                for (var k = 1; k < door.StepCount; k++)
                {
                    StateSet(ctx, t, Names.Stage(door.Name, k, family), family, stageSize);
                }

                if (door.StepCount > 1)
                {
                    StateSet(ctx, t, Names.Progress(door.Name, family), family, stageSize);
                }

                StateSet(ctx, t, Names.Open(door.Name, family), family, GrantSetSize);
            }

            if (door.Rotating is not null)
            {
                OwnerSets(ctx, door, t);
            }

            foreach (var family in AllFamilies)
            {
                var prefixes = door.Allow.Where(p => p.IsIPv4() == (family == AddressFamily.IPv4)).ToList();
                if (prefixes.Count == 0)
                {
                    continue;
                }

                var name = Names.Allow(door.Name, family);
                ctx.Add(ObjectKind.StaticSet, name);
                t.Open($"set {name}");
                t.Line($"typeof {Saddr(family)}");
                t.Line("flags interval");
                t.Line("auto-merge");
                t.Line($"elements = {{ {string.Join(", ", prefixes.Select(Prefixes.Format))} }}");
                t.Close();
            }
        }
    }

    private static void StateSet(PlanContext ctx, TextBlock t, string name, AddressFamily family, int size)
    {
        ctx.Add(ObjectKind.StatefulSet, name, family == AddressFamily.IPv4 ? "ipv4_addr" : "ipv6_addr");
        t.Open($"set {name}");
        t.Line($"typeof {Saddr(family)}");
        t.Line($"size {size}");
        t.Line("flags dynamic,timeout");
        t.Close();
    }

    private static void DeclareDispatch(PlanContext ctx, TextBlock t)
    {
        var entries = new List<string>();
        var ranges = false;
        foreach (var door in ctx.Config.Doors)
        {
            for (var k = 0; k < door.Sequence.Count; k++)
            {
                var step = door.Sequence[k];
                entries.Add($"{step.Protocol.Name()} . {step.Port} : goto {Names.StepChain(door.Name, k + 1)}");
            }

            foreach (var range in door.Protect)
            {
                ranges |= !range.IsSingle;
                entries.Add($"{range.Protocol.Name()} . {range.PortsText} : goto {Names.Guard(door.Name)}");
            }
        }

        RotatingMap(ctx, t);
        ctx.Add(ObjectKind.Map, Names.Dispatch);
        t.Line();
        t.Comment("Knock ports go to their step chain, protected ports to their guard; anything else costs this one lookup.");
        t.Open($"map {Names.Dispatch}");
        t.Line("typeof meta l4proto . th dport : verdict");
        if (ranges)
        {
            t.Line("flags interval");
        }

        t.Open("elements =");
        for (var i = 0; i < entries.Count; i++)
        {
            t.Line(entries[i] + (i < entries.Count - 1 ? "," : string.Empty));
        }

        t.Close();
        t.Close();

        var allow = ctx.Config.Firewall.Allow;
        if (ctx.Config.Mode == Mode.Firewall && allow.Count > 0)
        {
            ctx.Add(ObjectKind.StaticSet, Names.FirewallAllow);
            t.Open($"set {Names.FirewallAllow}");
            t.Line("typeof meta l4proto . th dport");
            if (allow.Any(a => !a.IsSingle))
            {
                t.Line("flags interval");
            }

            t.Line($"elements = {{ {string.Join(", ", allow.Select(a => $"{a.Protocol.Name()} . {a.PortsText}"))} }}");
            t.Close();
        }
    }

    private static readonly AddressFamily[] AllFamilies = [AddressFamily.IPv4, AddressFamily.IPv6];

    private static IEnumerable<AddressFamily> Families(Door door) =>
        AllFamilies.Where(f => door.Families.HasFlag(f == AddressFamily.IPv4 ? Model.Families.IPv4 : Model.Families.IPv6));

    private static string Saddr(AddressFamily family) => family == AddressFamily.IPv4 ? "ip saddr" : "ip6 saddr";

    /// <summary>What a knock or a refused connection to <paramref name="door"/> gets: silence, or a closed port's answer.</summary>
    private static string Refusal(Door door) => door.Refuse == Refuse.Reset ? $"goto {Names.Refuse}" : "drop";

    private static string Nfproto(AddressFamily family) => family == AddressFamily.IPv4 ? "meta nfproto ipv4" : "meta nfproto ipv6";

    /// <summary>Per-plan state: the config and the objects declared so far.</summary>
    private sealed class PlanContext(ServerConfig config)
    {
        public ServerConfig Config { get; } = config;

        public List<PlannedObject> Objects { get; } = [];

        /// <summary>Whether any port answers like a closed one, so the refuse chain is needed.</summary>
        public bool AnyReset => (Config.Mode == Mode.Firewall && Config.Firewall.Reject) || Config.Doors.Any(d => d.Refuse == Refuse.Reset);

        public bool AnyProgress => Config.Doors.Any(d => d.StepCount > 1);

        public bool AnyRotating => Config.Doors.Any(d => d.Rotating is not null);

        public void Add(ObjectKind kind, string name, string? type = null) => Objects.Add(new PlannedObject(kind, name, type));
    }
}
