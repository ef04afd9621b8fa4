using NftKnock.Core.Model;
using NftKnock.Core.Rotating;
using NftKnock.Core.Ruleset;
using NftKnock.Server.Nftables;
using NftKnock.Server.Safety;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Rotation;

/// <summary>How one rotation ended.</summary>
public enum RotationResult
{
    /// <summary>The knocks of the loaded doors were written.</summary>
    Wrote,

    /// <summary>Another command holds the table lock.</summary>
    Busy,

    /// <summary>The table is not loaded.</summary>
    TableMissing,

    /// <summary>None of the config's rotating doors is loaded.</summary>
    NothingLoaded,
}

/// <summary>One rotation: what happened, when to wake next, and which doors got how many knocks.</summary>
public sealed record RotationOutcome(RotationResult Result, DateTimeOffset At, DateTimeOffset Next, IReadOnlyList<string> Doors, int Knocks);

/// <summary>
/// Keeps rotating doors' knocks current from what the table has LOADED: the config gives the secrets,
/// the table decides which doors and clients are served. Keep one instance for a running rotate, so
/// that a warning about what is not loaded is said once per change, not once per period.
/// </summary>
public sealed class RotationService(INftables nft, RotationHost host, RollbackFiles files)
{
    private string? warned;

    /// <summary>Writes windows t-1, t and t+1 of every loaded door of <paramref name="config"/> (which has rotating doors).</summary>
    public async Task<RotationOutcome> WakeAsync(ServerConfig config, CancellationToken cancel)
    {
        var now = host.Time.GetUtcNow();
        var doors = config.Doors.Where(d => d.Rotating is not null).ToList();
        var next = RotationScript.NextBoundary(doors, now);
        using var locked = await TableLock.AcquireAsync(files, TimeSpan.FromSeconds(2), cancel);
        if (locked is null)
        {
            return new(RotationResult.Busy, now, now + TimeSpan.FromSeconds(1), [], 0);
        }

        var table = await ReadAsync(config.Table, doors, cancel);
        if (table is null)
        {
            return new(RotationResult.TableMissing, now, next, [], 0);
        }

        var loaded = LoadedRotation.Of(doors, table);
        Warn(loaded.Warnings);
        if (loaded.Doors.Count == 0)
        {
            return new(RotationResult.NothingLoaded, now, next, [], 0);
        }

        // Without the record of served windows, the table's map and claims say what it served: one full listing.
        var guard = RotationGuard.Open(host, config.Table, loaded.Doors, now);
        var full = guard.Known ? null : await new TableService(nft).ReadAsync(config.Table, cancel);
        guard.Decide(table.Handle, loaded: full ?? table);
        guard.Save(table.Handle, TablePrint.Of(table));
        await nft.FillAsync(config.Table, guard.Fill(), cancel);
        return new(RotationResult.Wrote, now, next, loaded.Doors.Select(d => d.Name).ToList(), guard.Knocks);
    }

    /// <summary>
    /// The table as rotate needs it: which doors and clients are loaded, and the table's handle. Reading
    /// every rule or grant each period would grow with the number of clients and the door's traffic, so the
    /// chains come from one narrow listing (not the rotating map: at 1,000 clients its 9,000 knocks cost nft
    /// more than the chains), and the handle from the record of served windows while the table's print is
    /// the one saved with it. Otherwise (a first wake, an apply since, a recreated table, a client loaded
    /// that the config no longer names) one listing of every object.
    /// </summary>
    private async Task<TableReading?> ReadAsync(string name, IReadOnlyList<Door> doors, CancellationToken cancel)
    {
        var tables = new TableService(nft);
        var outline = await tables.ReadOutlineAsync(name, [("map", Names.Dispatch)], cancel);
        if (outline is not null && !LoadedRotation.HasUnconfigured(doors, outline) && RotationGuard.HandleFor(host, name, TablePrint.Of(outline)) is { } handle)
        {
            return outline with { Handle = handle };
        }

        return await tables.ReadStructureAsync(name, cancel);
    }

    private void Warn(IReadOnlyList<string> warnings)
    {
        var now = string.Join('\n', warnings);
        if (now == warned)
        {
            return;
        }

        warned = now;
        foreach (var warning in warnings)
        {
            host.Error.WriteLine(warning);
        }
    }
}
