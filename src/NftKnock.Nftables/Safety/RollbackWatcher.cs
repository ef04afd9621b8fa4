namespace NftKnock.Nftables.Safety;

/// <summary>
/// Waits for a pending apply's decision and restores the snapshot at the deadline unless it
/// was confirmed. Runs in its own process, so it works after the applier is gone.
/// </summary>
public sealed class RollbackWatcher(INftables nft, TimeProvider time, RollbackFiles files)
{
    /// <summary>How often the decision file is looked at.</summary>
    public TimeSpan Poll { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Watches until a decision, the deadline or <paramref name="terminate"/> (which restores at once).</summary>
    public async Task<RollbackOutcome> WatchAsync(PendingApply pending, CancellationToken terminate)
    {
        string reason;
        while (true)
        {
            if (files.ReadDecision(pending.Token) is { } decision)
            {
                if (decision.Kind == DecisionKind.Keep)
                {
                    return Finish(new RollbackOutcome(OutcomeKind.Kept, decision.Reason));
                }

                reason = decision.Reason;
                break;
            }

            if (terminate.IsCancellationRequested)
            {
                reason = "the rollback watcher was told to stop";
                break;
            }

            if (time.GetUtcNow() >= pending.Deadline)
            {
                reason = "no confirmation before the deadline";
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

        return Finish(await RestoreAsync(pending, reason));
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
                var what = pending.Snapshot.Text is null ? "removed the table, which did not exist before" : "restored the table as it was before";
                return new RollbackOutcome(OutcomeKind.Restored, $"{what} ({reason})");
            }
            catch (NftException e)
            {
                last = e;
                await Task.Delay(TimeSpan.FromMilliseconds(500), time);
            }
        }

        return new RollbackOutcome(OutcomeKind.RestoreFailed, $"could not restore ({reason}): {last!.FirstError}");
    }

    private RollbackOutcome Finish(RollbackOutcome outcome)
    {
        RollbackFiles.WriteAtomic(files.Outcome, $"{time.GetUtcNow():u} table inet {files.Table}: {outcome.ToLine()}\n");
        files.Clear();
        return outcome;
    }
}
