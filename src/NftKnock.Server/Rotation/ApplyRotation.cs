using NftKnock.Core.Model;
using NftKnock.Core.Ruleset;
using NftKnock.Core.Ruleset.Model;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Rotation;

/// <summary>
/// The rotating knocks apply writes in its own batch, so a rotating door works the moment apply
/// returns, and the served windows it records. Each door decides on its own whether its claims
/// survive the apply: adding or changing one door never holds back another's knocks.
/// </summary>
public sealed class ApplyRotation(RotationHost host, ServerConfig config, RulesetPlan plan)
{
    private readonly IReadOnlyList<Door> doors = config.Doors.Where(d => d.Rotating is not null).ToList();
    private RotationGuard? guard;
    private TableReading? full;
    private TableReading? before;

    /// <summary>The rotating doors' names.</summary>
    public IReadOnlyList<string> Doors => doors.Select(d => d.Name).ToList();

    /// <summary>
    /// Reads the record of served windows before the batch is made; without it, reads the loaded table with its
    /// elements too, since its map and claims then say which windows it served.
    /// </summary>
    public async Task PrepareAsync(TableService tables, CancellationToken cancel)
    {
        if (doors.Count == 0)
        {
            return;
        }

        guard = RotationGuard.Open(host, config.Table, doors, host.Time.GetUtcNow());
        full = guard.Known ? null : await tables.ReadAsync(config.Table, cancel) is { IsOurs: true } read ? read : null;
    }

    /// <summary>
    /// The rotating map's contents for a batch applied over <paramref name="current"/> (null: no table yet);
    /// <paramref name="recreated"/> when the batch deletes and recreates the table. Null without rotating doors.
    /// </summary>
    public MapFill? Fill(TableReading? current, bool recreated)
    {
        if (doors.Count == 0)
        {
            return null;
        }

        // A created or recreated table starts with no claims, and so does a claims set this apply adds:
        // then only that door's windows never served may go in.
        before = current;
        var handle = current is not null && !recreated ? current.Handle : (long?)null;
        bool ClaimsKept(Door door) => current is not null && plan.Model.Sets
            .Where(s => Names.TryParse(s.Name, out var o) && o.Role == DoorRole.Claims && o.Door == door.Name)
            .All(s => current.HasSet(s.Name));
        guard ??= RotationGuard.Open(host, config.Table, doors, host.Time.GetUtcNow());
        guard.Decide(handle, ClaimsKept, current is null ? null : full ?? current);
        guard.Save(handle ?? 0);
        return guard.Fill();
    }

    /// <summary>
    /// After the batch landed: a created or recreated table has a new handle, which the record must name,
    /// and every apply declares the chains afresh, so the record takes the table's new print
    /// (<see cref="TablePrint"/>) and rotate's next wake need not list the whole table.
    /// </summary>
    public async Task AppliedAsync(TableService tables, ApplyResult result, CancellationToken cancel)
    {
        if (guard is null)
        {
            return;
        }

        if (result.Created || result.Recreated || before is null)
        {
            if (await tables.ReadStructureAsync(config.Table, cancel) is { } created)
            {
                guard.Save(created.Handle, TablePrint.Of(created));
            }
        }
        else if (await tables.ReadOutlineAsync(config.Table, [], cancel) is { } chains)
        {
            guard.Save(before.Handle, TablePrint.Of(chains));
        }
    }
}
