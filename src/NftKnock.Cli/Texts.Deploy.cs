using System.Globalization;
using NftKnock.Core.Diagnostics;
using NftKnock.Server.Safety;

namespace NftKnock.Cli;

/// <summary>User-facing sentences of apply --confirm, confirm, the lock-out guard, doctor and install.</summary>
internal static partial class Texts
{
    public static string Lockout(Lockout lockout, string table)
    {
        var client = lockout.Session.Client;
        var port = lockout.Session.ServerPort.ToString(CultureInfo.InvariantCulture);
        var why = lockout.Door is { } door
            ? $"door {door} would hide port {port}/tcp from {client}: the address is not in doors.{door}.allow and holds no grant"
            : $"firewall mode would drop new connections to port {port}/tcp from {client}: no door protects it and firewall.allow does not open it";
        return $"nftknock: refusing to apply table inet {table}: you are logged in over SSH from {client} to port {port}, and {why}. "
            + "This session would survive, but a new one from this address would be dropped until you knock, so one mistake here locks you out. "
            + $"Run 'nftknock apply --confirm 60s' and confirm from a second, freshly knocked SSH session (nothing is kept unless you do), "
            + $"add {client} to the door's allow list, or pass --force if you are sure you can get back in. Nothing was changed.";
    }

    public static string Kept(string table) => $"Confirmed: table inet {table} keeps the new ruleset.";

    public static string Restored(string table, string detail) => $"nftknock: table inet {table}: {detail}.";

    public static string RestoreFailed(string table, string detail) =>
        $"nftknock: table inet {table}: {detail}. The new ruleset is still loaded: check it with nftknock status, then run nftknock remove or apply a config that lets you in.";

    public static string PendingRefused(string table, string command, DateTimeOffset? deadline, bool orphaned) =>
        $"nftknock: refusing to {command} table inet {table}: an apply --confirm is waiting for confirmation"
        + (deadline is { } d ? $" until {d.ToLocalTime():HH:mm:ss}" : string.Empty)
        + (orphaned
            ? ", and its rollback watcher was killed, so nothing restores the previous table by itself. "
            : ", and its rollback would undo this. ")
        + "Run nftknock confirm to keep that ruleset, or nftknock confirm --rollback to restore the previous table now, then run this again. Nothing was changed.";

    public static string UnsafeDirectory(string path, string problem, string variable) =>
        Visible.Escape($"nftknock: {path} is not safe for nftknock's files: {problem}; nothing was changed. Point {variable} at a directory that only root owns and can write to, or unset it.");

    public static string Busy(string table) =>
        $"nftknock: another nftknock command is changing table inet {table}; nothing was changed. Run this one again when it has finished.";

    public static string OrphanEnded(string table, RollbackOutcome outcome) => outcome.Kind switch
    {
        OutcomeKind.Kept => $"nftknock: table inet {table}: kept the ruleset of an unconfirmed apply ({outcome.Detail}).",
        OutcomeKind.Restored => $"nftknock: table inet {table}: an unconfirmed apply had lost its rollback watcher: {outcome.Detail}.",
        _ => RestoreFailed(table, outcome.Detail),
    };

    public static string RolledBack(string table) => $"Rolled back: table inet {table} is back to its state before the apply.";

    public static string WatcherFailed(string why) => $"nftknock: cannot start the rollback watcher: {why}. Nothing was changed.";

    public static string PendingDamaged(string path) =>
        $"nftknock: {path} is damaged, so there is no apply to confirm. If no nftknock apply --confirm is running, remove it (rm {path}) and apply again.";

    public static string NothingPending(string table, string? last) => last is null
        ? $"nftknock: no apply of table inet {table} is waiting for confirmation."
        : $"nftknock: no apply of table inet {table} is waiting for confirmation; the last one ended: {last}";

    public static string ConfirmTimedOut(string table) =>
        $"nftknock: the rollback watcher of table inet {table} did not answer; run nftknock status to see which ruleset is loaded.";
}
