using System.CommandLine;
using NftKnock.Cli.Commands;
using NftKnock.Core.Model;
using NftKnock.Server.Host;
using NftKnock.Server.Safety;
using NftKnock.Server.Tables;

namespace NftKnock.Cli;

/// <summary>
/// apply --confirm and --force, the table lock and the lock-out guard as the commands use them:
/// options, messages and exit codes around the server's safety services.
/// </summary>
internal static class ApplyConfirmation
{
    public static Option<TimeSpan?> ConfirmOption() => new("--confirm")
    {
        Description = "Keep the new ruleset only if confirmed (type yes, or run nftknock confirm) within this time, e.g. 60s; otherwise restore the previous table.",
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            if (Duration.TryParse(text, out var window) && window >= TimeSpan.FromSeconds(1) && window <= TimeSpan.FromHours(1))
            {
                return window;
            }

            result.AddError($"--confirm takes a time between 1s and 1h such as 60s or 2m, not '{text}'.");
            return null;
        },
    };

    public static Option<bool> ForceOption() => new("--force")
    {
        Description = "Apply even when the ruleset would hide the SSH port this session came in on.",
    };

    public static RollbackFiles Files(CliContext context, string table) =>
        new(context.Environment(RollbackFiles.DirectoryVariable) ?? RollbackFiles.DefaultDirectory, table);

    /// <summary>Takes the table lock that every command changing the table holds; null (said on stderr) when another keeps it.</summary>
    public static async Task<TableLock?> LockAsync(CliContext context, string table, CancellationToken cancel)
    {
        TableLock? held;
        try
        {
            held = await TableLock.AcquireAsync(Files(context, table), TableLock.DefaultWait, cancel);
        }
        catch (UnsafeDirectoryException e)
        {
            context.Error.WriteLine(Texts.UnsafeDirectory(e.Path, e.Problem, RollbackFiles.DirectoryVariable));
            return null;
        }

        if (held is null)
        {
            context.Error.WriteLine(Texts.Busy(table));
        }

        return held;
    }

    /// <summary>
    /// With the table lock held: a change while an apply --confirm waits would be undone by its rollback,
    /// so it is refused (exit 2). A pending apply nobody watches any more is ended first when its fate
    /// is settled (see <see cref="OrphanedApply"/>). Null when the command may go ahead.
    /// </summary>
    public static async Task<int?> PendingAsync(CliContext context, string table, string command, CancellationToken cancel)
    {
        var files = Files(context, table);
        if (files.ReadPending() is not { } pending)
        {
            return null;
        }

        if (files.Watched())
        {
            context.Error.WriteLine(Texts.PendingRefused(table, command, files.ReadDecision(pending.Token)?.Deadline, orphaned: false));
            return ExitCodes.Usage;
        }

        var resolved = await OrphanedApply.ResolveAsync(context.Nftables(), context.Time, files, pending, wanted: null, cancel);
        if (resolved.Outcome is not { } outcome)
        {
            context.Error.WriteLine(Texts.PendingRefused(table, command, resolved.Deadline, orphaned: true));
            return ExitCodes.Usage;
        }

        context.Error.WriteLine(Texts.OrphanEnded(table, outcome));
        return outcome.Kind == OutcomeKind.RestoreFailed ? ExitCodes.Failure : null;
    }

    /// <summary>The guard: an exit code when the apply must not go ahead, null when it may.</summary>
    public static async Task<int?> RefuseAsync(CliContext context, ServerConfig config, bool confirmed, bool forced, CancellationToken cancel)
    {
        if (confirmed || forced || SshSession.Parse(context.Environment("SSH_CONNECTION")) is not { } session)
        {
            return null;
        }

        var refused = false;
        var code = await Run.Nft(context, async () =>
        {
            var current = await new TableService(context.Nftables()).ReadAsync(config.Table, cancel);
            if (LockoutGuard.Check(config, session, current) is { } lockout)
            {
                context.Error.WriteLine(Texts.Lockout(lockout, config.Table));
                refused = true;
            }

            return ExitCodes.Ok;
        });
        return code != ExitCodes.Ok ? code : refused ? ExitCodes.Usage : null;
    }

    /// <summary>
    /// apply --confirm (<see cref="ConfirmedApply"/>): its outcome said and mapped to an exit code.
    /// <paramref name="locked"/> is released once the apply has landed: the watcher needs the lock to restore.
    /// </summary>
    public static async Task<int> RunAsync(CliContext context, string table, TimeSpan window, TableLock locked, Func<Task<int>> apply, CancellationToken cancel)
    {
        var launcher = context.RollbackWatcher?.Invoke()
            ?? new ProcessWatcherLauncher([.. Demo.SelfProcess.Command(), RollbackWatchCommand.Name], context.Error);
        var confirmed = new ConfirmedApply(context.Nftables(), context.Time, Files(context, table), launcher, context.Error, context.Input);
        var code = ExitCodes.Ok;
        var outcome = await confirmed.RunAsync(window, locked, async () => (code = await apply()) == ExitCodes.Ok, cancel);
        switch (outcome.End)
        {
            case ConfirmedEnd.NotApplied:
                return code;
            case ConfirmedEnd.Kept:
                context.Out.WriteLine(Texts.Kept(table));
                return ExitCodes.Ok;
            case ConfirmedEnd.Restored:
                context.Error.WriteLine(Texts.Restored(table, outcome.Detail));
                return ExitCodes.Failure;
            case ConfirmedEnd.PendingExists:
                context.Error.WriteLine(Texts.PendingRefused(table, "apply", null, orphaned: false));
                return ExitCodes.Usage;
            case ConfirmedEnd.WatcherFailed:
                var e = outcome.Failure!;
                context.Error.WriteLine(Texts.WatcherFailed(e is IOException or UnauthorizedAccessException ? FileText.Describe(e) : e.Message));
                return ExitCodes.Failure;
            default:
                context.Error.WriteLine(Texts.RestoreFailed(table, outcome.Detail));
                return ExitCodes.Failure;
        }
    }
}
