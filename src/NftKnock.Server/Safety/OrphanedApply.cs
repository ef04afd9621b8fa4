using NftKnock.Server.Nftables;

namespace NftKnock.Server.Safety;

/// <summary>What became of a pending apply that nobody watched any more.</summary>
/// <param name="Pending">The pending apply that was found.</param>
/// <param name="Outcome">How it ended now; null when it is still inside its window and waits for confirm.</param>
/// <param name="Deadline">When its window ends (null when its apply never reported that it landed).</param>
public sealed record OrphanResolution(PendingApply Pending, RollbackOutcome? Outcome, DateTimeOffset? Deadline);

/// <summary>
/// A pending apply whose watcher and applier were both killed (SIGKILL, the OOM killer): nobody
/// restores it at the deadline any more. The next command that changes the table finds it and
/// ends it the way the deadline would have: a decision already written is carried out, a window
/// that has passed (or an apply that never landed) restores the snapshot, and only a confirm
/// inside the window keeps the new ruleset. Callers hold the table lock.
/// </summary>
public static class OrphanedApply
{
    /// <summary>The orphaned pending apply, or null when none waits or one is still watched.</summary>
    public static PendingApply? Find(RollbackFiles files) =>
        files.ReadPending() is { } pending && !files.Watched() ? pending : null;

    /// <summary>Ends the orphan when its fate is settled; a confirm inside the window keeps it.</summary>
    public static async Task<OrphanResolution> ResolveAsync(
        INftables nft, TimeProvider time, RollbackFiles files, PendingApply pending, DecisionKind? wanted, CancellationToken cancel = default)
    {
        var watcher = new RollbackWatcher(nft, time, files);
        var decision = files.ReadDecision(pending.Token);
        var deadline = decision?.Kind == DecisionKind.Applied ? decision.Deadline ?? pending.Snapshot.TakenAt + pending.Window : (DateTimeOffset?)null;
        const string Lost = "its rollback watcher was lost";
        cancel.ThrowIfCancellationRequested();
        RollbackOutcome? outcome = decision?.Kind switch
        {
            DecisionKind.Keep => watcher.Keep($"{decision.Reason}, before {Lost}"),
            DecisionKind.Restore => await watcher.RestoreNowAsync(pending, $"{decision.Reason}, after {Lost}"),
            null => await watcher.RestoreNowAsync(pending, $"the apply never reported that it landed and {Lost}"),
            _ when time.GetUtcNow() >= deadline => await watcher.RestoreNowAsync(pending, $"no confirmation before the deadline, and {Lost}"),
            _ when wanted == DecisionKind.Keep => watcher.Keep($"confirmed with nftknock confirm after {Lost}"),
            _ when wanted == DecisionKind.Restore => await watcher.RestoreNowAsync(pending, $"rolled back with nftknock confirm --rollback after {Lost}"),
            _ => null,
        };
        return new OrphanResolution(pending, outcome, deadline);
    }
}
