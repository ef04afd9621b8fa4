using NftKnock.Core.Model;
using NftKnock.Core.Ruleset;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Doctor;

/// <summary>Compares the live table with the one the config plans: object names and dispatch.</summary>
public static class Drift
{
    /// <summary>The check's name.</summary>
    public const string Name = ServerTexts.CheckNames.Table;

    /// <summary>Warns when the table is not loaded, fails when it differs from the config.</summary>
    public static DoctorCheck Check(ServerConfig config, TableState? live)
    {
        var table = ServerTexts.DriftTable(config.Table);
        if (live is null)
        {
            return DoctorCheck.Warn(Name, ServerTexts.TableNotLoaded(table), ServerTexts.TableNotLoadedFix);
        }

        var plan = Planner.Plan(config).Model;
        var planned = plan.Objects.Select(o => Describe(o.Keyword, o.Name)).ToHashSet(StringComparer.Ordinal);
        var present = live.Chains.Select(c => Describe("chain", c))
            .Concat(live.Sets.Values.Select(s => Describe(s.IsMap ? "map" : "set", s.Name)))
            .Concat(live.Counters.Keys.Select(c => Describe("counter", c)))
            .ToHashSet(StringComparer.Ordinal);
        var dispatchPlanned = plan.Maps.Where(m => m.Name is Names.Dispatch or Names.Protected).SelectMany(m => m.Elements)
            .Select(e => $"{string.Join(" . ", e.Key)} : {e.Verdict.Chain}")
            .ToHashSet(StringComparer.Ordinal);
        var dispatchLive = live.Dispatch.Select(d => $"{d.Protocol} . {d.Ports} : {d.Target}").ToHashSet(StringComparer.Ordinal);

        var problems = new List<string>();
        Report(problems, ServerTexts.DriftKinds.Missing, planned.Except(present, StringComparer.Ordinal));
        Report(problems, ServerTexts.DriftKinds.Extra, present.Except(planned, StringComparer.Ordinal));
        Report(problems, ServerTexts.DriftKinds.DispatchMissing, dispatchPlanned.Except(dispatchLive, StringComparer.Ordinal));
        Report(problems, ServerTexts.DriftKinds.DispatchExtra, dispatchLive.Except(dispatchPlanned, StringComparer.Ordinal));
        return problems.Count == 0
            ? DoctorCheck.Pass(Name, ServerTexts.TableMatches(table, plan.Objects.Count, dispatchPlanned.Count))
            : DoctorCheck.Fail(Name, ServerTexts.TableDiffers(table, problems), ServerTexts.TableDiffersFix);
    }

    private static string Describe(string keyword, string name) => $"{keyword} {name}";

    private static void Report(List<string> problems, string what, IEnumerable<string> names)
    {
        var list = names.Order(StringComparer.Ordinal).ToList();
        if (list.Count > 0)
        {
            problems.Add(ServerTexts.DriftProblem(what, list));
        }
    }
}
