using System.Security.Cryptography;
using NftKnock.Server.Nftables;

namespace NftKnock.Server.Safety;

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
    private readonly INftables nft;
    private readonly TimeProvider time;
    private readonly RollbackFiles files;
    private readonly IWatcherHandle watcher;
    private readonly IDisposable watching;

    private RollbackSession(INftables nft, TimeProvider time, RollbackFiles files, PendingApply pending, IWatcherHandle watcher, IDisposable watching)
    {
        this.nft = nft;
        this.time = time;
        this.files = files;
        Pending = pending;
        this.watcher = watcher;
        this.watching = watching;
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
        if (files.ReadPending() is { } waiting && files.Watched())
        {
            throw new PendingExistsException(waiting);
        }

        files.Clear();
        var snapshot = await new SnapshotService(nft, time).TakeAsync(files.Table, cancel);
        var pending = new PendingApply(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), window, snapshot, Environment.ProcessId);

        // The applier watches too, from before its watcher starts until the end: if the watcher is
        // killed, the applier takes over, and the pending apply is orphaned only when both are gone.
        var watching = files.Watch();
        IWatcherHandle watcher;
        try
        {
            RollbackFiles.WriteAtomic(files.Pending, pending.ToJson());
            watcher = await launcher.StartAsync(files.Pending, cancel);
        }
        catch
        {
            watching.Dispose();
            files.Clear();
            throw;
        }

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
            watching.Dispose();
            files.Clear();
            throw new InvalidOperationException($"the rollback watcher did not start ({first ?? "no answer"})");
        }

        return new RollbackSession(nft, time, files, pending, watcher, watching);
    }

    /// <summary>Tells the watcher the apply has landed; returns the deadline it now counts to.</summary>
    public DateTimeOffset Applied(TimeProvider time)
    {
        var deadline = time.GetUtcNow() + Pending.Window;
        RollbackFiles.WriteAtomic(files.Decision, Decision.Applied(Pending.Token, deadline).ToText());
        return deadline;
    }

    /// <summary>Tells the watcher to keep the new ruleset or to restore the snapshot now.</summary>
    public void Decide(DecisionKind kind, string reason) =>
        RollbackFiles.WriteAtomic(files.Decision, new Decision(Pending.Token, kind, reason).ToText());

    /// <summary>
    /// Waits for the watcher to report how the pending apply ended. When the watcher dies first
    /// (SIGKILL, the OOM killer), this process says so through <paramref name="watcherLost"/> and
    /// watches the rest of the window itself: the snapshot still comes back at the same deadline.
    /// </summary>
    public async Task<RollbackOutcome> OutcomeAsync(CancellationToken cancel = default, Action? watcherLost = null)
    {
        while (true)
        {
            var line = await watcher.ReadLineAsync(cancel);
            if (line is null && files.ReadPending()?.Token == Pending.Token)
            {
                watcherLost?.Invoke();
                return await new RollbackWatcher(nft, time, files).WatchAsync(Pending, cancel);
            }

            if (line is null)
            {
                // The watcher is gone without telling us; its outcome file says what it did.
                var written = files.ReadOutcome();
                var at = written?.IndexOf("table inet", StringComparison.Ordinal) ?? -1;
                var colon = at < 0 ? -1 : written!.IndexOf(": ", at, StringComparison.Ordinal);
                return (colon < 0 ? null : RollbackOutcome.Parse(written![(colon + 2)..]))
                    ?? new RollbackOutcome(OutcomeKind.RestoreFailed, ServerTexts.WatcherSilent);
            }

            if (RollbackOutcome.Parse(line) is { } outcome)
            {
                return outcome;
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        watching.Dispose();
        return watcher.DisposeAsync();
    }
}
