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
        cancel.ThrowIfCancellationRequested();
        RollbackOutcome? outcome = decision?.Kind switch
        {
            DecisionKind.Keep => watcher.Keep(ServerTexts.OrphanKept(decision.Reason)),
            DecisionKind.Restore => await watcher.RestoreNowAsync(pending, ServerTexts.OrphanRestored(decision.Reason)),
            null => await watcher.RestoreNowAsync(pending, ServerTexts.OrphanNeverLanded),
            _ when time.GetUtcNow() >= deadline => await watcher.RestoreNowAsync(pending, ServerTexts.OrphanPastDeadline),
            _ when wanted == DecisionKind.Keep => watcher.Keep(ServerTexts.OrphanConfirmed),
            _ when wanted == DecisionKind.Restore => await watcher.RestoreNowAsync(pending, ServerTexts.OrphanRolledBack),
            _ => null,
        };
        return new OrphanResolution(pending, outcome, deadline);
    }
}
