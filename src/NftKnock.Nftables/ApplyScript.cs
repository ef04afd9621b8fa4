using System.Text;
using NftKnock.Core.Ruleset;
using NftKnock.Core.Ruleset.Model;

namespace NftKnock.Nftables;

/// <summary>The one batch that moves our table from its current state to a plan.</summary>
public static class ApplyScript
{
    /// <summary>
    /// Builds the batch. Objects the model keeps across applies (stateful sets and counters) survive,
    /// and with them grants; everything else is deleted and declared afresh. <paramref name="recreated"/>
    /// is true when a kept set changed type, which forces the whole table to be recreated and grants dropped.
    /// </summary>
    public static string Build(RulesetPlan plan, TableState? current, string header, out bool recreated)
    {
        var table = plan.Table;
        var text = new StringBuilder(header);
        text.Append("table inet ").Append(table).Append(" {}\n");
        recreated = current is not null && TypeChanged(plan.Model, current);
        if (current is null || recreated)
        {
            text.Append(current is null ? "flush" : "delete").Append(" table inet ").Append(table).Append('\n');
            return text.Append('\n').Append(plan.Body).ToString();
        }

        // flush table empties every chain but keeps set elements, so grants survive the re-apply.
        text.Append("flush table inet ").Append(table).Append('\n');
        var kept = plan.Model.Objects.Where(o => o.KeptAcrossApplies).Select(o => (o.Keyword, o.Name)).ToHashSet();

        // Maps first: their verdicts reference chains, which cannot go while referenced.
        foreach (var set in current.Sets.Values.OrderBy(s => s.IsMap ? 0 : 1).ThenBy(s => s.Name, StringComparer.Ordinal))
        {
            var keyword = set.IsMap ? "map" : "set";
            if (!kept.Contains((keyword, set.Name)))
            {
                text.Append(NftWriter.Delete(table, keyword, set.Name));
            }
        }

        foreach (var chain in current.Chains)
        {
            text.Append(NftWriter.Delete(table, "chain", chain));
        }

        foreach (var counter in current.Counters.Keys.Where(c => !kept.Contains(("counter", c))))
        {
            text.Append(NftWriter.Delete(table, "counter", counter));
        }

        return text.Append('\n').Append(plan.Body).ToString();
    }

    /// <summary>A kept set whose live type or flags differ from the model's cannot be kept: nft would refuse to redeclare it.</summary>
    private static bool TypeChanged(NftTable model, TableState current) =>
        model.Sets.Any(s => s.KeptAcrossApplies
            && current.Sets.TryGetValue(s.Name, out var live)
            && (live.IsMap || live.Type != s.JsonType || (s.Flags.HasFlag(SetFlags.Timeout) && !live.Flags.Contains("timeout"))));
}
