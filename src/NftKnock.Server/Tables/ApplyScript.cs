using NftKnock.Core.Ruleset;
using NftKnock.Core.Ruleset.Model;

namespace NftKnock.Server.Tables;

/// <summary>The one batch that moves our table from its current state to a plan.</summary>
public static class ApplyScript
{
    /// <summary>
    /// Plans the batch. Objects the model keeps across applies (stateful sets and counters) survive,
    /// and with them grants; everything else is deleted and declared afresh. A kept set that changed
    /// type forces the whole table to be recreated, and grants dropped.
    /// </summary>
    public static ApplyBatch Plan(RulesetPlan plan, TableReading? current, string header, MapFill? fill = null)
    {
        if (current is null || TypeChanged(plan.Model, current))
        {
            return new ApplyBatch(header, current is null ? TableStart.Created : TableStart.Recreated, [], plan.Model, fill);
        }

        var kept = plan.Model.Objects.Where(o => o.KeptAcrossApplies).Select(o => (o.Keyword, o.Name)).ToHashSet();
        var deletes = new List<(string Keyword, string Name)>();

        // Maps first: their verdicts reference chains, which cannot go while referenced.
        var order = new[] { "map", "set", "chain", "counter" };
        deletes.AddRange(current.Model.Objects
            .OrderBy(o => Array.IndexOf(order, o.Keyword)).ThenBy(o => o.Name, StringComparer.Ordinal)
            .Select(o => (o.Keyword, o.Name)));
        return new ApplyBatch(header, TableStart.Kept, deletes.Where(d => !kept.Contains(d)).ToList(), plan.Model, fill);
    }

    /// <summary>The batch's script; <paramref name="recreated"/> is true when a kept set changed type.</summary>
    public static string Build(RulesetPlan plan, TableReading? current, string header, out bool recreated)
    {
        var batch = Plan(plan, current, header);
        recreated = batch.Start == TableStart.Recreated;
        return batch.Text;
    }

    /// <summary>A kept set whose live type or flags differ from the model's cannot be kept: nft would refuse to redeclare it.</summary>
    private static bool TypeChanged(NftTable model, TableReading current) =>
        model.Sets.Any(s => s.KeptAcrossApplies
            && current.HasSet(s.Name)
            && (current.Model.Find<NftSet>(s.Name) is not { } live || live.JsonType != s.JsonType || (s.Flags.HasFlag(SetFlags.Timeout) && !live.Flags.HasFlag(SetFlags.Timeout))));
}
