using NftKnock.Server.Nftables;

namespace NftKnock.Server.Tables;

/// <summary>A set of ports as sorted, disjoint intervals: what a rule's destination port match lets through.</summary>
internal sealed class PortSet
{
    private PortSet(List<(int First, int Last)> intervals) => Intervals = intervals;

    /// <summary>Every port.</summary>
    public static PortSet All { get; } = new([(1, 65535)]);

    /// <summary>The intervals, sorted and disjoint.</summary>
    public IReadOnlyList<(int First, int Last)> Intervals { get; }

    /// <summary>The set of <paramref name="intervals"/>, in any order, overlapping or not.</summary>
    public static PortSet Of(IEnumerable<(int First, int Last)> intervals)
    {
        var merged = new List<(int First, int Last)>();
        foreach (var (first, last) in intervals.Where(i => i.First <= i.Last).OrderBy(i => i.First))
        {
            if (merged.Count > 0 && first <= merged[^1].Last + 1)
            {
                merged[^1] = (merged[^1].First, Math.Max(merged[^1].Last, last));
            }
            else
            {
                merged.Add((first, last));
            }
        }

        return new PortSet(merged);
    }

    /// <summary>
    /// The ports of a match's right side as nft's JSON writes it: <c>8080</c>, <c>{"range": [6000, 6100]}</c>,
    /// <c>{"set": [5353, {"range": ...}]}</c>. Null for what names no ports here (<c>@set</c>, a map, an expression).
    /// </summary>
    public static PortSet? Read(JsonValue right)
    {
        var intervals = new List<(int, int)>();
        return Collect(right, intervals) ? Of(intervals) : null;
    }

    private static bool Collect(JsonValue value, List<(int, int)> intervals)
    {
        switch (value.Kind)
        {
            case JsonKind.Number when value.TryGetInt32(out var port):
                intervals.Add((port, port));
                return true;
            case JsonKind.Array:
                return value.Items.All(v => Collect(v, intervals));
            case JsonKind.Object when value.TryGetProperty("set", out var set):
                return Collect(set, intervals);
            case JsonKind.Object when value.TryGetProperty("range", out var range) && range.Items.Count == 2
                && range.Items[0].TryGetInt32(out var first) && range.Items[1].TryGetInt32(out var last):
                intervals.Add((first, last));
                return true;
            default:
                return false;
        }
    }

    /// <summary>Whether a port from <paramref name="first"/> to <paramref name="last"/> is in the set.</summary>
    public bool Overlaps(int first, int last) => Intervals.Any(i => i.First <= last && first <= i.Last);

    /// <summary>The ports in both sets.</summary>
    public PortSet Intersect(PortSet other) =>
        Of(Intervals.SelectMany(a => other.Intervals.Select(b => (Math.Max(a.First, b.First), Math.Min(a.Last, b.Last)))));

    /// <summary>The ports of this set that are in none of <paramref name="removed"/>.</summary>
    public PortSet Except(IEnumerable<(int First, int Last)> removed)
    {
        var result = Intervals.ToList();
        foreach (var (first, last) in removed)
        {
            var next = new List<(int First, int Last)>();
            foreach (var i in result)
            {
                if (i.Last < first || last < i.First)
                {
                    next.Add(i);
                    continue;
                }

                next.Add((i.First, first - 1));
                next.Add((last + 1, i.Last));
            }

            result = next;
        }

        return Of(result);
    }
}
