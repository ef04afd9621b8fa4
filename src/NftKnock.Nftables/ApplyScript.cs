using System.Text;
using NftKnock.Core.Ruleset;

namespace NftKnock.Nftables;

/// <summary>The one batch that moves our table from its current state to a plan.</summary>
public static class ApplyScript
{
    /// <summary>
    /// Builds the batch. Stateful sets and counters that the plan keeps survive (so do grants);
    /// everything else is deleted and declared afresh. <paramref name="recreated"/> is true when a
    /// kept set changed type, which forces the whole table to be recreated and grants dropped.
    /// </summary>
    public static string Build(RulesetPlan plan, TableState? current, string header, out bool recreated)
    {
        var table = plan.Table;
        var text = new StringBuilder(header);
        text.Append("table inet ").Append(table).Append(" {}\n");
        recreated = current is not null && TypeChanged(plan, current);
        if (current is null || recreated)
        {
            text.Append(current is null ? "flush" : "delete").Append(" table inet ").Append(table).Append('\n');
            return text.Append('\n').Append(plan.Body).ToString();
        }

        // flush table empties every chain but keeps set elements, so grants survive the re-apply.
        text.Append("flush table inet ").Append(table).Append('\n');
        var planned = plan.Objects.ToDictionary(o => o.Name, StringComparer.Ordinal);

        // Maps first: their verdicts reference chains, which cannot go while referenced.
        foreach (var set in current.Sets.Values.OrderBy(s => s.IsMap ? 0 : 1).ThenBy(s => s.Name, StringComparer.Ordinal))
        {
            var keep = planned.TryGetValue(set.Name, out var p) && p.Kind == ObjectKind.StatefulSet && !set.IsMap;
            if (!keep)
            {
                text.Append(set.IsMap ? "delete map inet " : "delete set inet ").Append(table).Append(' ').Append(set.Name).Append('\n');
            }
        }

        foreach (var chain in current.Chains)
        {
            text.Append("delete chain inet ").Append(table).Append(' ').Append(chain).Append('\n');
        }

        foreach (var counter in current.Counters.Keys)
        {
            if (!planned.TryGetValue(counter, out var p) || p.Kind != ObjectKind.Counter)
            {
                text.Append("delete counter inet ").Append(table).Append(' ').Append(counter).Append('\n');
            }
        }

        return text.Append('\n').Append(plan.Body).ToString();
    }

    private static bool TypeChanged(RulesetPlan plan, TableState current) =>
        plan.Objects.Any(o => o.Kind == ObjectKind.StatefulSet
            && current.Sets.TryGetValue(o.Name, out var set)
            && (set.IsMap || set.Type != o.Type || !set.Flags.Contains("timeout")));
}
