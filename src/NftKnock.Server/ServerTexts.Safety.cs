using NftKnock.Core.Model;

namespace NftKnock.Server;

/// <summary>A guarded apply: the prompt while it waits, and the reasons and outcomes the rollback watcher reports.</summary>
public static partial class ServerTexts
{
    /// <summary>What apply --confirm asks once the new ruleset is loaded.</summary>
    public static string ConfirmPrompt(string table, TimeSpan window, DateTimeOffset deadline) =>
        $"nftknock: type yes within {Duration.Format(window)} to keep the new ruleset, or run 'nftknock confirm' from another shell "
        + $"(best: a new SSH session that knocked); otherwise table inet {table} goes back to its previous state at {deadline.ToLocalTime():HH:mm:ss}.";

    /// <summary>The answer to anything typed but yes or no.</summary>
    public const string AskAgain = "nftknock: type yes to keep the new ruleset, or no to restore the previous one now.";

    /// <summary>The watcher was killed while apply --confirm waits: the applier restores instead.</summary>
    public static string WatcherKilled(string table) =>
        $"nftknock: the rollback watcher of table inet {table} was killed; this process restores the previous table at the deadline instead, unless you confirm.";

    /// <summary>Why a failed apply keeps the table: it was never changed.</summary>
    public const string ApplyChangedNothing = "the apply changed nothing";

    /// <summary>Why the watcher keeps: yes on the terminal.</summary>
    public const string ConfirmedOnTerminal = "confirmed on the terminal";

    /// <summary>Why the watcher restores: no on the terminal.</summary>
    public const string RefusedOnTerminal = "refused on the terminal";

    /// <summary>Why the watcher restores: SIGINT.</summary>
    public const string Interrupted = "interrupted with Ctrl-C";

    /// <summary>Why the watcher restores: SIGHUP.</summary>
    public const string TerminalLost = "the terminal was lost";

    /// <summary>Why the watcher restores: SIGTERM.</summary>
    public const string ApplyTerminated = "nftknock apply was terminated";

    /// <summary>Why the watcher restored: it was told to stop.</summary>
    public const string WatcherStopped = "the rollback watcher was told to stop";

    /// <summary>Why the watcher restored: the window ended unconfirmed.</summary>
    public const string NoConfirmation = "no confirmation before the deadline";

    /// <summary>Why the watcher restored: the applier died before its apply landed.</summary>
    public const string ApplierEnded = "the applying process ended before its apply was done";

    /// <summary>The watcher ended and left no outcome.</summary>
    public const string WatcherSilent = "the rollback watcher ended without saying what it did";

    /// <summary>What a restore did, and why.</summary>
    public static string Restored(bool tableExisted, string reason) =>
        $"{(tableExisted ? "restored the table as it was before" : "removed the table, which did not exist before")} ({reason})";

    /// <summary>A restore that failed three times.</summary>
    public static string RestoreFailed(string reason, string error) => $"could not restore ({reason}): {error}";

    /// <summary>An orphan's recorded keep, settled before its watcher was lost.</summary>
    public static string OrphanKept(string reason) => $"{reason}, before {WatcherLost}";

    /// <summary>An orphan's recorded restore, carried out after its watcher was lost.</summary>
    public static string OrphanRestored(string reason) => $"{reason}, after {WatcherLost}";

    /// <summary>An orphan whose apply never said it landed.</summary>
    public const string OrphanNeverLanded = $"the apply never reported that it landed and {WatcherLost}";

    /// <summary>An orphan found after its deadline.</summary>
    public const string OrphanPastDeadline = $"no confirmation before the deadline, and {WatcherLost}";

    /// <summary>Why the watcher keeps: nftknock confirm.</summary>
    public const string ConfirmedWithCommand = "confirmed with nftknock confirm";

    /// <summary>Why the watcher restores: nftknock confirm --rollback.</summary>
    public const string RolledBackWithCommand = "rolled back with nftknock confirm --rollback";

    /// <summary>An orphan confirmed inside its window.</summary>
    public const string OrphanConfirmed = $"{ConfirmedWithCommand} after {WatcherLost}";

    /// <summary>An orphan rolled back inside its window.</summary>
    public const string OrphanRolledBack = $"{RolledBackWithCommand} after {WatcherLost}";

    private const string WatcherLost = "its rollback watcher was lost";
}
