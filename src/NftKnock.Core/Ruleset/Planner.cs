using System.Globalization;
using NftKnock.Core.Model;
using NftKnock.Core.Ruleset.Model;

namespace NftKnock.Core.Ruleset;

/// <summary>
/// Turns a validated config into the table that recognises knocks in the kernel, as a model
/// (<see cref="NftTable"/>) that <see cref="NftWriter"/> renders. Pure and deterministic: the same
/// config always gives the same table.
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

    /// <summary>
    /// Plans the table for <paramref name="config"/>; <paramref name="published"/> are the DNAT targets of
    /// protected ports that the host's nat rules have (none when not read, as for <c>render</c>).
    /// </summary>
    public static RulesetPlan Plan(ServerConfig config, IReadOnlyList<PublishedTarget>? published = null)
    {
        var ctx = new PlanContext(config, published ?? []);
        DeclareCounters(ctx);
        DeclareSets(ctx);
        DeclareDispatch(ctx);
        foreach (var door in config.Doors)
        {
            DoorChains(ctx, door);
        }

        BaseChains(ctx);
        return new RulesetPlan(new NftTable(config.Table, TableComment, ctx.Objects));
    }

    private const string TableComment = "managed by nftknock: edits are lost on the next apply";

    private static void DeclareCounters(PlanContext ctx)
    {
        ctx.Section("Per-door counters, read by nftknock status.");
        foreach (var door in ctx.Config.Doors)
        {
            foreach (var kind in CounterKinds.For(rotating: door.Rotating is not null, audited: ctx.Config.Audit))
            {
                ctx.Add(new NftCounter(Names.Counter(door.Name, kind)));
            }

            // The door's counters count every client; each client's own count carries its name in the comment.
            foreach (var client in door.Clients)
            {
                ctx.Add(new NftCounter(Names.Counter(door.Name, CounterKind.Grants, client.Name)) { Comment = client.Name });
                ctx.Add(new NftCounter(Names.Counter(door.Name, CounterKind.Replays, client.Name)) { Comment = client.Name });
            }

            LimitCounters(ctx, door);
        }
    }

    private static void DeclareSets(PlanContext ctx)
    {
        foreach (var door in ctx.Config.Doors)
        {
            ctx.Section($"Door {door.Name}: {string.Join(", ", door.Protect)} after {SequenceText(door)}.");
            foreach (var family in Served(door))
            {
                var stageSize = StageSetSize(door.StepTimeout);
                for (var k = 1; k < door.StepCount; k++)
                {
                    ctx.Add(StateSet(Names.Stage(door.Name, k, family), [KeyField.Saddr(family)], stageSize));
                }

                if (door.StepCount > 1)
                {
                    ctx.Add(StateSet(Names.Progress(door.Name, family), [KeyField.Saddr(family)], stageSize));
                }

                foreach (var length in door.GrantLengths(family))
                {
                    // A shorter prefix keys the set by the source's network, masked: still an address.
                    ctx.Add(StateSet(Names.Open(door.Name, family, length), [KeyField.Saddr(family)], GrantSetSize));
                }
            }

            if (door.Rotating is not null)
            {
                OwnerSets(ctx, door);
            }

            LogSets(ctx, door);
            AuditSets(ctx, door);

            foreach (var family in AllFamilies)
            {
                var prefixes = door.Allow.Where(p => p.IsIPv4() == (family == Families.IPv4)).ToList();
                if (prefixes.Count > 0)
                {
                    ctx.Add(new NftSet(Names.Allow(door.Name, family), [KeyField.Saddr(family)], SetKind.Static)
                    {
                        Flags = SetFlags.Interval,
                        AutoMerge = true,
                        Elements = prefixes.Select(Prefixes.Format).ToList(),
                    });
                }
            }
        }

        KnockingSets(ctx);
    }

    /// <summary>
    /// The sources part-way through any door's sequence, per family: every step that puts a source in a door's
    /// progress set puts it here too, for the longest step-timeout, so a stray packet of any other source costs
    /// one lookup however many doors there are.
    /// </summary>
    private static void KnockingSets(PlanContext ctx)
    {
        var doors = ctx.Config.Doors.Where(d => d.StepCount > 1).ToList();
        var first = true;
        foreach (var family in AllFamilies.Where(f => doors.Any(d => d.Families.HasFlag(f))))
        {
            if (first)
            {
                ctx.Section("Sources part-way through any door's sequence: one lookup spares every other source the per-door sets.");
                first = false;
            }

            // A flood of step-one knocks at every door at once fits, as it fits each door's own progress set.
            var size = (int)Math.Min(MaxStageSetSize, (long)doors.Count * StageSetSize(KnockingTimeout(ctx)));
            ctx.Add(StateSet(Names.Knocking(family), [KeyField.Saddr(family)], size));
        }
    }

    /// <summary>How long a source stays in the knocking sets after a step: the longest step-timeout of any door, so they hold every door's progress.</summary>
    private static TimeSpan KnockingTimeout(PlanContext ctx) =>
        ctx.Config.Doors.Where(d => d.StepCount > 1).Select(d => d.StepTimeout).DefaultIfEmpty(TimeSpan.Zero).Max();

    /// <summary>A set of live state that rules fill and time out: kept across applies.</summary>
    private static NftSet StateSet(string name, IReadOnlyList<KeyField> key, int size) =>
        new(name, key, SetKind.Stateful) { Size = size, Flags = SetFlags.Dynamic | SetFlags.Timeout };

    private static void DeclareDispatch(PlanContext ctx)
    {
        var entries = new List<MapEntry>();
        foreach (var door in ctx.Config.Doors)
        {
            for (var k = 0; k < door.Sequence.Count; k++)
            {
                var step = door.Sequence[k];
                entries.Add(new MapEntry([step.Protocol.Name(), step.Port.ToString(CultureInfo.InvariantCulture)], Verdict.Goto(door.StepChainOf(k + 1, null).Name)));
            }

            if (ctx.Config.Mode == Mode.Firewall)
            {
                entries.AddRange(GuardEntries(door));
            }
        }

        RotatingMap(ctx);
        ctx.Section(ctx.Config.Mode == Mode.Firewall
            ? "Knock ports go to their step chain, protected ports to their guard; anything else costs this one lookup."
            : "Knock ports go to their step chain; anything else costs this one lookup.");
        ctx.Add(new NftMap(Names.Dispatch, [KeyField.L4Proto, KeyField.ThDport])
        {
            Flags = ctx.Config.Mode == Mode.Firewall && AnyRange(ctx) ? SetFlags.Interval : SetFlags.None,
            Elements = entries,
        });
        ProtectedMaps(ctx);

        var allow = ctx.Config.Firewall.Allow;
        if (ctx.Config.Mode == Mode.Firewall && allow.Count > 0)
        {
            ctx.Add(new NftSet(Names.FirewallAllow, [KeyField.L4Proto, KeyField.ThDport], SetKind.Static)
            {
                Flags = allow.Any(a => !a.IsSingle) ? SetFlags.Interval : SetFlags.None,
                Elements = allow.Select(a => $"{a.Protocol.Name()} . {a.PortsText}").ToList(),
            });
        }
    }

    private static readonly Families[] AllFamilies = [Families.IPv4, Families.IPv6];

    private static IEnumerable<Families> Served(Door door) =>
        AllFamilies.Where(f => door.Families.HasFlag(f));

    private static string Saddr(Families family) => KeyField.Saddr(family).Expression;

    /// <summary>What a knock or a refused connection to <paramref name="door"/> gets: silence, or a closed port's answer.</summary>
    private static string Refusal(Door door) => door.Refuse == Refuse.Reset ? $"goto {Names.Refuse}" : "drop";

    private static string Nfproto(Families family) => family == Families.IPv4 ? "meta nfproto ipv4" : "meta nfproto ipv6";

    /// <summary>Per-plan state: the config and the objects declared so far.</summary>
    private sealed class PlanContext(ServerConfig config, IReadOnlyList<PublishedTarget> published)
    {
        private IReadOnlyList<string>? heading;

        public ServerConfig Config { get; } = config;

        /// <summary>The DNAT targets of protected ports, read from the host's nat rules.</summary>
        public IReadOnlyList<PublishedTarget> Published { get; } = published;

        public List<NftObject> Objects { get; } = [];

        /// <summary>Whether any port answers like a closed one, so the refuse chain is needed.</summary>
        public bool AnyReset => (Config.Mode == Mode.Firewall && Config.Firewall.Reject) || Config.Doors.Any(d => d.Refuse == Refuse.Reset);

        public bool AnyProgress => Config.Doors.Any(d => d.StepCount > 1);

        public bool AnyRotating => Config.Doors.Any(d => d.Rotating is not null);

        /// <summary>Starts a section: the next object is set apart by a blank line and these comments.</summary>
        public void Section(params string[] comments) => heading = comments;

        public void Add(NftObject item)
        {
            Objects.Add(heading is null ? item : item with { Heading = heading });
            heading = null;
        }

        public void Add(ChainBuilder chain) => Add(chain.Build());
    }
}
