using NftKnock.Core.Ruleset;

namespace NftKnock.Nftables;

/// <summary>What an apply did.</summary>
/// <param name="Created">The table did not exist before.</param>
/// <param name="Recreated">A set changed type, so the table was recreated and grants dropped.</param>
/// <param name="GrantsKept">Granted sources that survived the re-apply.</param>
public sealed record ApplyResult(bool Created, bool Recreated, int GrantsKept);

/// <summary>Apply, read and remove our table: always one batch, never another table.</summary>
public sealed class TableService(INftables nft)
{
    /// <summary>Reads our table; null when it does not exist.</summary>
    public async Task<TableState?> ReadAsync(string table, CancellationToken cancel = default)
    {
        var json = await nft.ListTableAsync(table, json: true, cancel);
        return json is null ? null : NftJson.ReadTable(json);
    }

    /// <summary>Brings the table to <paramref name="plan"/> in one atomic batch.</summary>
    public async Task<ApplyResult> ApplyAsync(RulesetPlan plan, string header, CancellationToken cancel = default)
    {
        var current = await ReadAsync(plan.Table, cancel);
        ThrowIfForeign(current);
        var script = ApplyScript.Build(plan, current, header, out var recreated);
        await nft.RunAsync(script, checkOnly: false, cancel);
        var grants = recreated || current is null ? 0 : CountGrants(plan, current);
        return new ApplyResult(current is null, recreated, grants);
    }

    /// <summary>Dry-runs the batch that apply would send, against the current kernel state.</summary>
    public async Task CheckAsync(RulesetPlan plan, string header, CancellationToken cancel = default)
    {
        TableState? current;
        try
        {
            current = await ReadAsync(plan.Table, cancel);
        }
        catch (NftException e) when (e.Kind == NftFailureKind.PermissionDenied)
        {
            current = null;
        }

        await nft.RunAsync(ApplyScript.Build(plan, current, header, out _), checkOnly: true, cancel);
    }

    /// <summary>Deletes our table in one batch; false when it was not there.</summary>
    public async Task<bool> RemoveAsync(string table, CancellationToken cancel = default)
    {
        var current = await ReadAsync(table, cancel);
        if (current is null)
        {
            return false;
        }

        ThrowIfForeign(current);

        await nft.RunAsync($"table inet {table} {{}}\ndelete table inet {table}\n", checkOnly: false, cancel);
        return true;
    }

    /// <summary>
    /// True when a table is ours: every table nftknock writes has the dispatch map, and an empty table
    /// holds nothing to lose. Anything else belongs to someone else and is never flushed or deleted.
    /// </summary>
    public static bool IsOurs(TableState state) =>
        state.Sets.ContainsKey(Names.Dispatch) || (state.Sets.Count == 0 && state.Chains.Count == 0 && state.Counters.Count == 0);

    private static void ThrowIfForeign(TableState? state)
    {
        if (state is not null && !IsOurs(state))
        {
            throw new ForeignTableException(state.Table);
        }
    }

    private static int CountGrants(RulesetPlan plan, TableState current) =>
        plan.Objects
            .Where(o => o.Kind == ObjectKind.StatefulSet && o.Name.Contains("_open_", StringComparison.Ordinal))
            .Sum(o => current.Sets.TryGetValue(o.Name, out var set) ? set.Elements.Count : 0);
}
