using NftKnock.Core.Ruleset;
using NftKnock.Core.Ruleset.Model;
using NftKnock.Server.Nftables;

namespace NftKnock.Server.Tables;

/// <summary>What an apply did.</summary>
/// <param name="Created">The table did not exist before.</param>
/// <param name="Recreated">A set changed type, so the table was recreated and grants dropped.</param>
public sealed record ApplyResult(bool Created, bool Recreated);

/// <summary>Apply, read and remove our table: always one batch, never another table.</summary>
public sealed class TableService(INftables nft)
{
    /// <summary>Reads our table; null when it does not exist.</summary>
    public Task<TableReading?> ReadAsync(string table, CancellationToken cancel = default) =>
        nft.ReadTableJsonAsync(table, static json => NftJson.ReadTable(json.Span), cancel);

    /// <summary>Reads our table for status; null when it does not exist.</summary>
    /// <exception cref="ForeignTableException">A table of that name exists and is not ours.</exception>
    public async Task<TableReading?> ReadOursAsync(string table, CancellationToken cancel = default)
    {
        var state = await ReadAsync(table, cancel);
        ThrowIfForeign(state);
        return state;
    }

    /// <summary>
    /// Reads our table with its sets' elements counted, not read (metrics); null when it does not exist.
    /// One listing, as status reads.
    /// </summary>
    /// <exception cref="ForeignTableException">A table of that name exists and is not ours.</exception>
    public async Task<TableReading?> ReadCountsAsync(string table, CancellationToken cancel = default)
    {
        var state = await nft.ReadTableJsonAsync(table, static json => NftJson.ReadCounts(json.Span), cancel);
        ThrowIfForeign(state);
        return state;
    }

    /// <summary>
    /// Reads our table's objects with their handles, without set elements or rules: what apply, check, remove
    /// and the record of served windows need. Null when it does not exist.
    /// </summary>
    public async Task<TableReading?> ReadStructureAsync(string table, CancellationToken cancel = default)
    {
        var json = await nft.ListTableStructureAsync(table, cancel);

        // The kernel numbers tables from 1: a listing without ours leaves the handle at 0.
        return json is null || NftJson.ReadOutline(System.Text.Encoding.UTF8.GetBytes(json), table) is not { Handle: > 0 } read ? null : read;
    }

    /// <summary>
    /// Reads our table's chains and the named sets and maps, without rules or elements: what rotate needs
    /// to know which doors and clients are loaded, at a cost that does not grow with the number of clients.
    /// The reading has no table handle (0). Null when the table or one of <paramref name="objects"/> is missing.
    /// </summary>
    public async Task<TableReading?> ReadOutlineAsync(string table, IReadOnlyList<(string Keyword, string Name)> objects, CancellationToken cancel = default)
    {
        var json = await nft.ListOutlineAsync(table, objects, cancel);
        return json is null ? null : NftJson.ReadOutline(System.Text.Encoding.UTF8.GetBytes(json), table);
    }

    /// <summary>Brings the table to <paramref name="plan"/> in one atomic batch.</summary>
    public Task<ApplyResult> ApplyAsync(RulesetPlan plan, string header, CancellationToken cancel = default) =>
        ApplyAsync(plan, header, (_, _) => null, cancel);

    /// <summary>
    /// Brings the table to <paramref name="plan"/> and fills a map in the same batch: rotating doors'
    /// current knocks, so a door works the moment apply returns. The fill is made from the table as it
    /// is (null when absent) and whether the batch recreates it, since rotating knocks depend on
    /// whether the table's claims survive.
    /// </summary>
    public async Task<ApplyResult> ApplyAsync(RulesetPlan plan, string header, Func<TableReading?, bool, MapFill?> fill, CancellationToken cancel = default)
    {
        // Only the objects matter here: reading every grant would make apply slow on a busy door.
        var current = await ReadStructureAsync(plan.Table, cancel);
        ThrowIfForeign(current);
        var batch = ApplyScript.Plan(plan, current, header);
        batch = batch with { Fill = fill(current, batch.Start == TableStart.Recreated) };
        await nft.ApplyAsync(batch, checkOnly: false, cancel);
        return new ApplyResult(batch.Start == TableStart.Created, batch.Start == TableStart.Recreated);
    }

    /// <summary>Dry-runs the batch that apply would send, against the current kernel state.</summary>
    public async Task CheckAsync(RulesetPlan plan, string header, CancellationToken cancel = default)
    {
        TableReading? current;
        try
        {
            current = await ReadStructureAsync(plan.Table, cancel);
        }
        catch (NftException e) when (e.Kind == NftFailureKind.PermissionDenied)
        {
            current = null;
        }

        await nft.ApplyAsync(ApplyScript.Plan(plan, current, header), checkOnly: true, cancel);
    }

    /// <summary>Deletes our table in one batch; false when it was not there.</summary>
    public async Task<bool> RemoveAsync(string table, CancellationToken cancel = default)
    {
        var current = await ReadStructureAsync(table, cancel);
        if (current is null)
        {
            return false;
        }

        ThrowIfForeign(current);

        await nft.RunAsync(NftWriter.Preamble(table, keepSets: false), checkOnly: false, cancel);
        return true;
    }

    private static void ThrowIfForeign(TableReading? state)
    {
        if (state is not null && !state.IsOurs)
        {
            throw new ForeignTableException(state.Name);
        }
    }

}
