using System.Globalization;
using NftKnock.Core.Model;
using NftKnock.Core.Ruleset.Model;

namespace NftKnock.Core.Ruleset;

/// <summary>
/// Audit mode: the same table, but a new connection to a protected port that would be refused is counted,
/// logged once per source and let through, so an operator sees who enforcing would lock out.
/// </summary>
public static partial class Planner
{
    /// <summary>How long a source stays noted after its would-drop line: it is logged again after this.</summary>
    public static readonly TimeSpan AuditNoteSpan = TimeSpan.FromDays(1);

    /// <summary>Would-drop lines per second that one door may write over all sources, and the burst: a spoofed flood of sources writes no more.</summary>
    public const int AuditLogRate = 10, AuditLogBurst = 20;

    /// <summary>Whether <paramref name="table"/> (planned or loaded) lets <paramref name="door"/>'s refused connections through: it has the door's audited counter.</summary>
    public static bool Audits(NftTable table, string door) =>
        table.Find<NftCounter>(Names.Counter(door, CounterKind.Audited)) is not null;

    /// <summary>Whether <paramref name="table"/> (planned or loaded) is in audit mode: some door of it has the audited counter.</summary>
    public static bool Audits(NftTable table) =>
        table.Counters.Any(c => Names.TryParse(c.Name, out var o) && o is { Role: DoorRole.Counter, Counter: CounterKind.Audited });

    /// <summary>The sets of sources already logged as would-drop, per family.</summary>
    private static void AuditSets(PlanContext ctx, Door door)
    {
        if (!ctx.Config.Audit)
        {
            return;
        }

        foreach (var family in Served(door))
        {
            ctx.Add(StateSet(Names.Seen(door.Name, family), [KeyField.Saddr(family)], LogSetSize));
        }
    }

    /// <summary>What the guard does last with a connection no grant or allow let through: refuse it, or in audit mode count it and pass it on.</summary>
    private static string Unmatched(PlanContext ctx, Door door) => ctx.Config.Audit
        ? $"counter name \"{Names.Counter(door.Name, CounterKind.Audited)}\" goto {Names.AuditLog(door.Name)}"
        : $"counter name \"{Names.Counter(door.Name, CounterKind.Blocked)}\" {Refusal(door)}";

    private static ChainBuilder AuditChain(Door door)
    {
        // The namespace's own NFLOG group, as every door line: events trusts no other source.
        var to = string.Create(CultureInfo.InvariantCulture, $"group {door.LogGroup ?? LogPrefix.Group}");
        var prefix = NftText.Quoted(new LogPrefix(door.Name, LogKind.WouldDrop).Format());
        var limit = string.Create(CultureInfo.InvariantCulture, $"limit rate {AuditLogRate}/second burst {AuditLogBurst} packets");
        var chain = new ChainBuilder(
            Names.AuditLog(door.Name),
            "Audit mode: enforcing would refuse this connection. A source is logged once a day; a limit over its rate ends its rule, and the connection passes either way.");
        foreach (var family in Served(door))
        {
            var s = Saddr(family);
            var seen = Names.Seen(door.Name, family);
            chain.Rule($"{s} @{seen} accept");
            chain.Rule($"{limit} add @{seen} {{ {s} timeout {Duration.Format(AuditNoteSpan)} }} log prefix \"{prefix}\" {to}");
        }

        return chain.Rule("accept");
    }
}
