namespace NftKnock.Server;

/// <summary>How a guarded apply ended: the reasons and outcomes the rollback watcher reports.</summary>
public static partial class ServerTexts
{
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

    /// <summary>An orphan confirmed inside its window.</summary>
    public const string OrphanConfirmed = $"confirmed with nftknock confirm after {WatcherLost}";

    /// <summary>An orphan rolled back inside its window.</summary>
    public const string OrphanRolledBack = $"rolled back with nftknock confirm --rollback after {WatcherLost}";

    private const string WatcherLost = "its rollback watcher was lost";
}
