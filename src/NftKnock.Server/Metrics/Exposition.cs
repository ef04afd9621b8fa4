using System.Globalization;
using System.Text;
using NftKnock.Core.Model;
using NftKnock.Core.Ruleset;

namespace NftKnock.Server.Metrics;

/// <summary>
/// Writes a <see cref="MetricsReport"/> in Prometheus' text exposition format (version 0.0.4): one
/// HELP and TYPE line per metric, metrics in ordinal order of names and series in order of their
/// label values, so the same table always gives the same bytes.
/// </summary>
public static class Exposition
{
    /// <summary>The report as exposition text, ending in a newline.</summary>
    public static string Write(MetricsReport report)
    {
        var text = new StringBuilder(4096);
        var doors = report.Doors;
        if (report.Present)
        {
            Family(text, "nftknock_blocked_total", "counter", ServerTexts.MetricBlocked, doors, (d, add) => add(Door(d), d.Counters.GetValueOrDefault(CounterKind.Blocked.Format())));
            Family(text, "nftknock_granted", "gauge", ServerTexts.MetricGranted, doors, (d, add) => PerFamily(d, d.Granted, add));
            Family(text, "nftknock_grants_total", "counter", ServerTexts.MetricGrants, doors, (d, add) => PerClient(d, CounterKind.Grants, c => c.Grants, add));
            Family(text, "nftknock_in_progress", "gauge", ServerTexts.MetricInProgress, doors, (d, add) => PerFamily(d, d.InProgress, add));
            Family(text, "nftknock_knocks_total", "counter", ServerTexts.MetricKnocks, doors, (d, add) => add(Door(d), d.Counters.GetValueOrDefault(CounterKind.Knocks.Format())));
            Family(text, "nftknock_outside_total", "counter", ServerTexts.MetricOutside, doors.Where(d => d.Counters.ContainsKey(CounterKind.Outside.Format())).ToList(), Outside);
            Family(text, "nftknock_replays_total", "counter", ServerTexts.MetricReplays, doors.Where(d => d.Counters.ContainsKey(CounterKind.Replays.Format())).ToList(), (d, add) => PerClient(d, CounterKind.Replays, c => c.Replays, add));
            Family(text, "nftknock_resets_total", "counter", ServerTexts.MetricResets, doors, (d, add) => add(Door(d), d.Counters.GetValueOrDefault(CounterKind.Resets.Format())));
        }

        Header(text, "nftknock_table_present", "gauge", ServerTexts.MetricTablePresent);
        Series(text, "nftknock_table_present", [("table", report.Table)], report.Present ? 1 : 0);
        return text.ToString();
    }

    /// <summary>
    /// A label value as the format wants it inside its quotes: backslash, double quote and line feed
    /// escaped (<c>\\</c>, <c>\"</c>, <c>\n</c>), everything else as it is.
    /// </summary>
    public static string EscapeLabel(string value)
    {
        if (value.AsSpan().IndexOfAny('\\', '"', '\n') < 0)
        {
            return value;
        }

        return value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
    }

    private delegate void Add(IReadOnlyList<(string Name, string Value)> labels, long value);

    private static void Family(StringBuilder text, string name, string type, string help, IReadOnlyList<DoorMetrics> doors, Action<DoorMetrics, Add> series)
    {
        var rows = new List<(IReadOnlyList<(string Name, string Value)> Labels, long Value)>();
        foreach (var door in doors)
        {
            series(door, (labels, value) => rows.Add((labels, value)));
        }

        if (rows.Count == 0)
        {
            return;
        }

        Header(text, name, type, help);
        rows.Sort((a, b) => Compare(a.Labels, b.Labels));
        foreach (var (labels, value) in rows)
        {
            Series(text, name, labels, value);
        }
    }

    private static IReadOnlyList<(string, string)> Door(DoorMetrics door) => [("door", door.Name)];

    /// <summary>One series per client for a door with clients, none without a client label; the door's total otherwise.</summary>
    private static void PerClient(DoorMetrics door, CounterKind kind, Func<Status.ClientCounts, long> count, Add add)
    {
        if (door.Clients.Count == 0)
        {
            add(Door(door), door.Counters.GetValueOrDefault(kind.Format()));
            return;
        }

        foreach (var client in door.Clients)
        {
            add([("door", door.Name), ("client", client.Name)], count(client));
        }
    }

    /// <summary>Per client for the clients of a door that have a time limit of their own; the door's total for a door without clients.</summary>
    private static void Outside(DoorMetrics door, Add add)
    {
        if (door.Clients.Count == 0)
        {
            add(Door(door), door.Counters.GetValueOrDefault(CounterKind.Outside.Format()));
            return;
        }

        foreach (var client in door.Clients.Where(c => c.Outside is not null))
        {
            add([("door", door.Name), ("client", client.Name)], client.Outside!.Value);
        }
    }

    private static void PerFamily(DoorMetrics door, IReadOnlyDictionary<Families, long> sizes, Add add)
    {
        foreach (var (family, size) in sizes)
        {
            add([("door", door.Name), ("family", family == Families.IPv4 ? "ipv4" : "ipv6")], size);
        }
    }

    private static int Compare(IReadOnlyList<(string Name, string Value)> a, IReadOnlyList<(string Name, string Value)> b)
    {
        for (var i = 0; i < Math.Min(a.Count, b.Count); i++)
        {
            var c = string.CompareOrdinal(a[i].Value, b[i].Value);
            if (c != 0)
            {
                return c;
            }
        }

        return a.Count.CompareTo(b.Count);
    }

    private static void Header(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal))
            .Append("\n# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Series(StringBuilder text, string name, IReadOnlyList<(string Name, string Value)> labels, long value)
    {
        text.Append(name).Append('{');
        for (var i = 0; i < labels.Count; i++)
        {
            text.Append(i == 0 ? string.Empty : ",").Append(labels[i].Name).Append("=\"").Append(EscapeLabel(labels[i].Value)).Append('"');
        }

        text.Append("} ").Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }
}
