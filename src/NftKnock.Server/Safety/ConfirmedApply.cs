using System.ComponentModel;
using System.Runtime.InteropServices;
using NftKnock.Server.Nftables;

namespace NftKnock.Server.Safety;

/// <summary>How an apply --confirm ended.</summary>
public enum ConfirmedEnd
{
    /// <summary>The apply itself failed and changed nothing; it said why.</summary>
    NotApplied,

    /// <summary>Confirmed: the new ruleset stays.</summary>
    Kept,

    /// <summary>Refused, interrupted or unconfirmed: the previous table is back.</summary>
    Restored,

    /// <summary>The previous table could not be restored; the new ruleset is still loaded.</summary>
    RestoreFailed,

    /// <summary>Another apply of the table waits for confirmation; nothing was changed.</summary>
    PendingExists,

    /// <summary>The rollback watcher could not be started; nothing was changed.</summary>
    WatcherFailed,
}

/// <summary>How an apply --confirm ended, for the command to say.</summary>
/// <param name="End">What happened.</param>
/// <param name="Detail">What the restore did, or why it failed.</param>
/// <param name="Failure">Why the watcher could not start.</param>
public sealed record ConfirmedOutcome(ConfirmedEnd End, string Detail = "", Exception? Failure = null);

/// <summary>
/// apply --confirm: snapshot the table, arm the rollback watcher, apply, then wait for yes on the
/// terminal, <c>nftknock confirm</c>, a signal or the deadline.
/// </summary>
/// <param name="nft">The nft that applies and restores.</param>
/// <param name="time">The clock the window is counted on.</param>
/// <param name="files">The table's rollback files.</param>
/// <param name="launcher">Starts the rollback watcher.</param>
/// <param name="prompts">Where the prompt and what happens while waiting are said (stderr).</param>
/// <param name="answers">Where yes or no are typed; null when nothing can be typed.</param>
public sealed class ConfirmedApply(INftables nft, TimeProvider time, RollbackFiles files, IWatcherLauncher launcher, TextWriter prompts, Stream? answers)
{
    /// <summary>
    /// Runs <paramref name="apply"/> (true when it landed) under a rollback watcher for <paramref name="window"/>.
    /// <paramref name="locked"/> is released once the apply has landed: the watcher needs the lock to restore.
    /// </summary>
    public async Task<ConfirmedOutcome> RunAsync(TimeSpan window, IDisposable locked, Func<Task<bool>> apply, CancellationToken cancel)
    {
        RollbackSession session;
        try
        {
            session = await RollbackSession.StartAsync(nft, time, files, launcher, window, cancel);
        }
        catch (PendingExistsException)
        {
            return new ConfirmedOutcome(ConfirmedEnd.PendingExists);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException or Win32Exception)
        {
            return new ConfirmedOutcome(ConfirmedEnd.WatcherFailed, Failure: e);
        }

        await using (session)
        {
            var landed = await apply();
            locked.Dispose();
            if (!landed)
            {
                session.Decide(DecisionKind.Keep, ServerTexts.ApplyChangedNothing);
                await session.OutcomeAsync(CancellationToken.None);
                return new ConfirmedOutcome(ConfirmedEnd.NotApplied);
            }

            var outcome = await WaitAsync(session, window);
            return new ConfirmedOutcome(
                outcome.Kind switch { OutcomeKind.Kept => ConfirmedEnd.Kept, OutcomeKind.Restored => ConfirmedEnd.Restored, _ => ConfirmedEnd.RestoreFailed },
                outcome.Detail);
        }
    }

    private async Task<RollbackOutcome> WaitAsync(RollbackSession session, TimeSpan window)
    {
        // The window starts now that the apply has landed. Signals are taken over before the prompt,
        // so whoever sees the prompt can rely on them; not before the apply, or a restore could land
        // before the apply's own batch.
        var deadline = session.Applied(time);
        using var signals = new SignalGuard(session);
        prompts.WriteLine(ServerTexts.ConfirmPrompt(files.Table, window, deadline));
        using var stopReading = new CancellationTokenSource();
        var reading = ReadAnswersAsync(session, stopReading.Token);
        var outcome = await session.OutcomeAsync(CancellationToken.None, () => prompts.WriteLine(ServerTexts.WatcherKilled(files.Table)));
        await stopReading.CancelAsync();
        return outcome;
    }

    private async Task ReadAnswersAsync(RollbackSession session, CancellationToken stop)
    {
        if (answers is null)
        {
            return;
        }

        // Not disposed: closing the reader would close standard input, and a read may still be pending.
        var reader = new StreamReader(answers, leaveOpen: true);
        try
        {
            while (await reader.ReadLineAsync(stop) is { } line)
            {
                switch (line.Trim().ToLowerInvariant())
                {
                    case "yes":
                        session.Decide(DecisionKind.Keep, ServerTexts.ConfirmedOnTerminal);
                        return;
                    case "no":
                        session.Decide(DecisionKind.Restore, ServerTexts.RefusedOnTerminal);
                        return;
                    default:
                        prompts.WriteLine(ServerTexts.AskAgain);
                        break;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Ctrl-C, a lost terminal (SIGHUP) or SIGTERM restore the previous table at once.</summary>
    private sealed class SignalGuard : IDisposable
    {
        private readonly PosixSignalRegistration[] registrations;

        public SignalGuard(RollbackSession session)
        {
            PosixSignalRegistration On(PosixSignal signal, string reason) => PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                session.Decide(DecisionKind.Restore, reason);
            });

            registrations =
            [
                On(PosixSignal.SIGINT, ServerTexts.Interrupted),
                On(PosixSignal.SIGHUP, ServerTexts.TerminalLost),
                On(PosixSignal.SIGTERM, ServerTexts.ApplyTerminated),
            ];
        }

        public void Dispose()
        {
            foreach (var registration in registrations)
            {
                registration.Dispose();
            }
        }
    }
}
