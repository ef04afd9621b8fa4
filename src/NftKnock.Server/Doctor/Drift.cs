using NftKnock.Core.Model;
using NftKnock.Core.Ruleset;
using NftKnock.Core.Ruleset.Model;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Doctor;

/// <summary>
/// Compares the loaded table with the one the config plans, object by object: what is missing or extra,
/// what is declared differently (key types, flags, hook, priority, policy, rule counts, comments, the
/// config's elements), and the entries of every map whose entries come from the config.
/// </summary>
public static class Drift
{
    /// <summary>The check's name.</summary>
    public const string Name = ServerTexts.CheckNames.Table;

    /// <summary>
    /// Warns when the table is not loaded, fails when it differs from the config and <paramref name="published"/>,
    /// the DNAT targets of protected ports that the host's nat rules have now.
    /// </summary>
    public static DoctorCheck Check(ServerConfig config, TableReading? live, IReadOnlyList<PublishedTarget>? published = null)
    {
        var table = ServerTexts.DriftTable(config.Table);
        if (live is null)
        {
            return DoctorCheck.Warn(Name, ServerTexts.TableNotLoaded(table), ServerTexts.TableNotLoadedFix);
        }

        // Audit or enforcing is how the table was applied (apply --audit), not drift: the audit check reports it.
        var plan = Planner.Plan(config with { Audit = Planner.Audits(live.Model) }, published).Model;
        var planned = plan.Objects.ToDictionary(Describe, StringComparer.Ordinal);
        var present = live.Model.Objects.ToDictionary(Describe, StringComparer.Ordinal);
        var problems = new List<string>();
        Report(problems, ServerTexts.DriftKinds.Missing, planned.Keys.Except(present.Keys, StringComparer.Ordinal));
        Report(problems, ServerTexts.DriftKinds.Extra, present.Keys.Except(planned.Keys, StringComparer.Ordinal));
        Report(problems, ServerTexts.DriftKinds.Changed, planned.Where(p => present.TryGetValue(p.Key, out var l) && !Same(p.Value, l, live)).Select(p => p.Key));

        var entries = 0;
        foreach (var map in plan.Maps.Where(FromConfig))
        {
            var want = Entries(map);
            var have = live.Model.Find<NftMap>(map.Name) is { } loaded ? Entries(loaded) : want;
            entries += want.Count;
            Report(problems, ServerTexts.DriftKinds.EntriesMissing(map.Name), want.Except(have, StringComparer.Ordinal));
            Report(problems, ServerTexts.DriftKinds.EntriesExtra(map.Name), have.Except(want, StringComparer.Ordinal));
        }

        return problems.Count == 0
            ? DoctorCheck.Pass(Name, ServerTexts.TableMatches(table, plan.Objects.Count, entries))
            : DoctorCheck.Fail(Name, ServerTexts.TableDiffers(table, problems), ServerTexts.TableDiffersFix);
    }

    /// <summary>A map's entries come from the config unless they time out (the rotating map's knocks are written by rotate).</summary>
    private static bool FromConfig(NftMap map) => !map.Flags.HasFlag(SetFlags.Timeout);

    /// <summary>Whether the loaded object is declared as planned. Rules are compared by count: the listing keeps them opaque.</summary>
    private static bool Same(NftObject planned, NftObject loaded, TableReading live) => (planned, loaded) switch
    {
        (NftSet p, NftSet l) => p.JsonType == l.JsonType && Declared(p.Flags) == Declared(l.Flags)
            && (p.Kind == SetKind.Stateful || Elements(p.Elements).SetEquals(Elements(l.Elements))),
        (NftMap p, NftMap l) => KeyField.JsonTypeOf(p.Key) == KeyField.JsonTypeOf(l.Key) && Declared(p.Flags) == Declared(l.Flags),
        (NftChain p, NftChain l) => (p.Hook is null ? l.Hook is null : l.Hook is not null && p.Hook.SameAs(l.Hook))
            && p.Rules.Count == (live.ChainState.TryGetValue(l.Name, out var chain) ? chain.Rules.Count : 0),
        (NftCounter p, NftCounter l) => p.Comment == l.Comment,
        _ => false,
    };

    /// <summary>The flags a listing shows: nft infers <c>dynamic</c> from how a set is used, so it is left out.</summary>
    private static SetFlags Declared(SetFlags flags) => flags & ~SetFlags.Dynamic;

    /// <summary>A set's elements with host prefixes written as addresses, as nft lists them.</summary>
    private static HashSet<string> Elements(IEnumerable<string> elements) =>
        elements.Select(e => e.EndsWith("/32", StringComparison.Ordinal) || e.EndsWith("/128", StringComparison.Ordinal) ? e[..e.LastIndexOf('/')] : e)
            .ToHashSet(StringComparer.Ordinal);

    private static HashSet<string> Entries(NftMap map) =>
        map.Elements.Select(e => $"{string.Join(" . ", e.Key)} : {e.Verdict.Chain}").ToHashSet(StringComparer.Ordinal);

    private static string Describe(NftObject o) => $"{o.Keyword} {o.Name}";

    private static void Report(List<string> problems, string what, IEnumerable<string> names)
    {
        var list = names.Order(StringComparer.Ordinal).ToList();
        if (list.Count > 0)
        {
            problems.Add(ServerTexts.DriftProblem(what, list));
        }
    }
}
