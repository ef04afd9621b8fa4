using NftKnock.Server.Nftables;

namespace NftKnock.Server.Safety;

/// <summary>
/// Waits for a pending apply's decision and restores the snapshot at the deadline unless it
/// was confirmed. Runs in its own process, so it works after the applier is gone.
/// </summary>
public sealed class RollbackWatcher(INftables nft, TimeProvider time, RollbackFiles files)
{
    /// <summary>How often the decision file is looked at.</summary>
    public TimeSpan Poll { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long the applier may be gone before its apply landed until the watcher restores anyway.</summary>
    public TimeSpan ApplierGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a restore waits for another command's table lock before it restores regardless.</summary>
    public TimeSpan LockWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Watches until a decision, the deadline or <paramref name="terminate"/> (which restores at once).
    /// The window starts when the applier reports its apply landed, never earlier: a restore that
    /// lands before a slow apply would leave the unconfirmed ruleset in place for good.
    /// </summary>
    public async Task<RollbackOutcome> WatchAsync(PendingApply pending, CancellationToken terminate)
    {
        using var watching = files.Watch(Environment.ProcessId);
        string reason;
        DateTimeOffset? deadline = null;
        DateTimeOffset? applierGone = null;
        while (true)
        {
            var now = time.GetUtcNow();
            var decision = files.ReadDecision(pending.Token);
            if (decision is not null && decision.Kind != DecisionKind.Applied)
            {
                if (decision.Kind == DecisionKind.Keep)
                {
                    return Finish(new RollbackOutcome(OutcomeKind.Kept, decision.Reason));
                }

                reason = decision.Reason;
                break;
            }

            if (decision?.Kind == DecisionKind.Applied)
            {
                // The applier's deadline, so a watcher that takes over counts to the same moment.
                deadline ??= decision.Deadline ?? now + pending.Window;
            }

            if (WhyRestore(pending, now, deadline, ref applierGone, terminate.IsCancellationRequested) is { } why)
            {
                reason = why;
                break;
            }

            try
            {
                await Task.Delay(Poll, time, terminate);
            }
            catch (OperationCanceledException)
            {
            }
        }

        // The restore is the safety net: it waits for a command that holds the table lock, but not for ever.
        using var locked = await TableLock.AcquireAsync(files, LockWait, CancellationToken.None);
        return await RestoreNowAsync(pending, reason);
    }

    /// <summary>
    /// Why to restore now with no decision made: the watcher is stopped, the window has run out, or the
    /// applier ended before its apply landed and stayed gone for <see cref="ApplierGrace"/>
    /// (<paramref name="applierGone"/> remembers when it was first missed). Null: keep watching.
    /// </summary>
    private string? WhyRestore(PendingApply pending, DateTimeOffset now, DateTimeOffset? deadline, ref DateTimeOffset? applierGone, bool terminated)
    {
        if (terminated)
        {
            return ServerTexts.WatcherStopped;
        }

        if (deadline is { } due && now >= due)
        {
            return ServerTexts.NoConfirmation;
        }

        if (deadline is null && !ProcessAlive(pending.ApplierPid))
        {
            applierGone ??= now;
            if (now - applierGone >= ApplierGrace)
            {
                return ServerTexts.ApplierEnded;
            }
        }

        return null;
    }

    /// <summary>Restores the snapshot now and records the outcome; the caller holds the table lock.</summary>
    public async Task<RollbackOutcome> RestoreNowAsync(PendingApply pending, string reason) => Finish(await RestoreAsync(pending, reason));

    /// <summary>Keeps the applied ruleset and records the outcome.</summary>
    public RollbackOutcome Keep(string reason) => Finish(new RollbackOutcome(OutcomeKind.Kept, reason));

    private static bool ProcessAlive(int pid) =>
        pid <= 0 || (Directory.Exists($"/proc/{pid}") && !ReadStat(pid).Contains(") Z ", StringComparison.Ordinal));

    private static string ReadStat(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return ") Z ";
        }
    }

    private async Task<RollbackOutcome> RestoreAsync(PendingApply pending, string reason)
    {
        var snapshots = new SnapshotService(nft, time);
        NftException? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                await snapshots.RestoreAsync(pending.Snapshot);
                return new RollbackOutcome(OutcomeKind.Restored, ServerTexts.Restored(tableExisted: pending.Snapshot.Text is not null, reason));
            }
            catch (NftException e)
            {
                last = e;
                await Task.Delay(TimeSpan.FromMilliseconds(500), time);
            }
        }

        return new RollbackOutcome(OutcomeKind.RestoreFailed, ServerTexts.RestoreFailed(reason, last!.FirstError));
    }

    private RollbackOutcome Finish(RollbackOutcome outcome)
    {
        RollbackFiles.WriteAtomic(files.Outcome, $"{time.GetUtcNow():u} table inet {files.Table}: {outcome.ToLine()}\n");
        files.Clear();
        return outcome;
    }
}
