using NftKnock.Core.Model;
using NftKnock.Core.Ruleset;
using NftKnock.Server.Status;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Metrics;

/// <summary>One door's counts for metrics: its counters, per-client counts and how full its sets are.</summary>
/// <param name="Name">The door.</param>
/// <param name="Counters">The door's counters by kind (knocks, grants, resets, blocked, and replays on rotating doors).</param>
/// <param name="Clients">Per-client counts of a rotating door with <c>clients:</c>; empty otherwise.</param>
/// <param name="Granted">Elements of all the door's grant sets, by family, for each family that has one.</param>
/// <param name="InProgress">Elements of the door's progress set, by family; doors with one step have none.</param>
public sealed record DoorMetrics(
    string Name,
    IReadOnlyDictionary<string, long> Counters,
    IReadOnlyList<ClientCounts> Clients,
    IReadOnlyDictionary<Families, long> Granted,
    IReadOnlyDictionary<Families, long> InProgress);

/// <summary>What <c>nftknock metrics</c> exposes: the table's presence and every door's counts.</summary>
/// <param name="Table">The table that was read.</param>
/// <param name="Present">False when the table does not exist; then there are no doors.</param>
/// <param name="Doors">The doors, in ordinal order of names.</param>
public sealed record MetricsReport(string Table, bool Present, IReadOnlyList<DoorMetrics> Doors)
{
    /// <summary>The report for a table that does not exist.</summary>
    public static MetricsReport Absent(string table) => new(table, false, []);

    /// <summary>
    /// Builds the report from the table alone, by the names <see cref="Names"/> gives every object, as
    /// status does; set sizes come from <see cref="LiveSet.Count"/>, so counted listings do.
    /// </summary>
    public static MetricsReport From(TableReading state)
    {
        var doors = new SortedDictionary<string, Builder>(StringComparer.Ordinal);
        foreach (var counter in state.Model.Counters)
        {
            if (Names.TryParse(counter.Name, out var parsed) && parsed is { Role: DoorRole.Counter, Counter: CounterKind.Knocks, Client: null })
            {
                doors[parsed.Door] = new Builder();
            }
        }

        foreach (var set in state.Model.Sets)
        {
            if (!Names.TryParse(set.Name, out var parsed) || parsed.Family is not { } family || !doors.TryGetValue(parsed.Door, out var door))
            {
                continue;
            }

            var sizes = parsed.Role switch
            {
                DoorRole.Open => door.Granted,
                DoorRole.Progress => door.InProgress,
                _ => null,
            };
            if (sizes is not null)
            {
                sizes[family] = sizes.GetValueOrDefault(family) + state.Count(set.Name);
            }
        }

        return new MetricsReport(state.Name, true, [.. doors.Select(d => Door(state, d.Key, d.Value))]);
    }

    private static DoorMetrics Door(TableReading state, string name, Builder built) =>
        new(name, StatusReport.Counters(state, name), StatusReport.Clients(state, name), built.Granted, built.InProgress);

    private sealed class Builder
    {
        public Dictionary<Families, long> Granted { get; } = [];

        public Dictionary<Families, long> InProgress { get; } = [];
    }
}
