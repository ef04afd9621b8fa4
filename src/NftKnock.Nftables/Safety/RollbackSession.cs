using System.Security.Cryptography;

namespace NftKnock.Nftables.Safety;

/// <summary>Another apply is still waiting for confirmation on the same table.</summary>
public sealed class PendingExistsException(PendingApply pending) : Exception($"an apply of table inet {pending.Table} is already waiting for confirmation")
{
    /// <summary>The apply that is waiting.</summary>
    public PendingApply Pending { get; } = pending;
}

/// <summary>
/// The applier's side of apply-with-confirmation: snapshot the table, hand the snapshot to a
/// detached watcher, then tell the watcher to keep or restore and hear how it ended.
/// </summary>
public sealed class RollbackSession : IAsyncDisposable
{
    private readonly RollbackFiles files;
    private readonly IWatcherHandle watcher;

    private RollbackSession(RollbackFiles files, PendingApply pending, IWatcherHandle watcher)
    {
        this.files = files;
        Pending = pending;
        this.watcher = watcher;
    }

    /// <summary>The pending apply this session guards.</summary>
    public PendingApply Pending { get; }

    /// <summary>
    /// Snapshots the table and starts the watcher; returns once the watcher is armed, so the caller
    /// may change the table. Throws <see cref="PendingExistsException"/> when another apply waits.
    /// </summary>
    public static async Task<RollbackSession> StartAsync(
        INftables nft, TimeProvider time, RollbackFiles files, IWatcherLauncher launcher, TimeSpan window, CancellationToken cancel = default)
    {
        files.EnsureDirectory();
        if (files.ReadPending() is { } waiting && files.WatcherAlive())
        {
            throw new PendingExistsException(waiting);
        }

        files.Clear();
        var snapshot = await new SnapshotService(nft, time).TakeAsync(files.Table, cancel);
        var pending = new PendingApply(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), window, snapshot, Environment.ProcessId);
        RollbackFiles.WriteAtomic(files.Pending, pending.ToJson());
        var watcher = await launcher.StartAsync(files.Pending, cancel);
        using var armTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        armTimeout.CancelAfter(TimeSpan.FromSeconds(15));
        string? first;
        try
        {
            first = await watcher.ReadLineAsync(armTimeout.Token);
        }
        catch (OperationCanceledException)
        {
            first = null;
        }

        if (first != "armed")
        {
            await watcher.DisposeAsync();
            files.Clear();
            throw new InvalidOperationException($"the rollback watcher did not start ({first ?? "no answer"})");
        }

        return new RollbackSession(files, pending, watcher);
    }

    /// <summary>Tells the watcher the apply has landed; returns the deadline it now counts to.</summary>
    public DateTimeOffset Applied(TimeProvider time)
    {
        Decide(DecisionKind.Applied, "applied");
        return time.GetUtcNow() + Pending.Window;
    }

    /// <summary>Tells the watcher to keep the new ruleset or to restore the snapshot now.</summary>
    public void Decide(DecisionKind kind, string reason) =>
        RollbackFiles.WriteAtomic(files.Decision, new Decision(Pending.Token, kind, reason).ToText());

    /// <summary>Waits for the watcher to report how the pending apply ended.</summary>
    public async Task<RollbackOutcome> OutcomeAsync(CancellationToken cancel = default)
    {
        while (true)
        {
            var line = await watcher.ReadLineAsync(cancel);
            if (line is null)
            {
                // The watcher is gone without telling us; its outcome file says what it did.
                var written = files.ReadOutcome();
                var at = written?.IndexOf("table inet", StringComparison.Ordinal) ?? -1;
                var colon = at < 0 ? -1 : written!.IndexOf(": ", at, StringComparison.Ordinal);
                return (colon < 0 ? null : RollbackOutcome.Parse(written![(colon + 2)..]))
                    ?? new RollbackOutcome(OutcomeKind.RestoreFailed, "the rollback watcher ended without saying what it did");
            }

            if (RollbackOutcome.Parse(line) is { } outcome)
            {
                return outcome;
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => watcher.DisposeAsync();
}
