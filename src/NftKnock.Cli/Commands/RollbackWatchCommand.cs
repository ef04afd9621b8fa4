using System.CommandLine;
using System.Runtime.InteropServices;
using NftKnock.Core.Ruleset;
using NftKnock.Server.Host;
using NftKnock.Server.Safety;

namespace NftKnock.Cli.Commands;

/// <summary>
/// The detached rollback watcher that <c>apply --confirm</c> starts (hidden): leaves the
/// applier's session, says armed, and restores the snapshot at the deadline unless confirmed.
/// </summary>
internal static class RollbackWatchCommand
{
    public const string Name = "rollback-watch";

    public static Command Create(CliContext context)
    {
        var pendingPath = new Argument<string>("pending") { Description = "The pending apply file." };
        var command = new Command(Name, "Restore a pending apply's snapshot unless it is confirmed (started by apply --confirm).") { pendingPath };
        command.Hidden = true;
        command.SetAction(async (parse, cancel) =>
        {
            var path = parse.GetValue(pendingPath)!;
            Detach.NewSession();
            var files = new RollbackFiles(Path.GetDirectoryName(Path.GetFullPath(path))!, string.Empty);
            PendingApply pending;
            try
            {
                pending = PendingApply.FromJson(File.ReadAllText(path));
            }
            catch (Exception e) when (e is IOException or FormatException)
            {
                context.Error.WriteLine(Texts.PendingUnreadable(path, e is IOException io ? FileText.Describe(io) : e.Message));
                return ExitCodes.Failure;
            }

            // The table name names files and goes into nft commands: the same grammar as --table.
            if (!NftText.IsTableName(pending.Table))
            {
                context.Error.WriteLine(Texts.PendingBadTable(path));
                return ExitCodes.Failure;
            }

            files = new RollbackFiles(files.Directory, pending.Table);
            using var terminate = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, c => c.Cancel = true);
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => c.Cancel = true);
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
            {
                c.Cancel = true;
                terminate.Cancel();
            });
            Say(context, "armed");
            var outcome = await new RollbackWatcher(context.Nftables(), context.Time, files).WatchAsync(pending, terminate.Token);
            if (!Say(context, outcome.ToLine()))
            {
                Journal($"table inet {pending.Table}: {outcome.ToLine()}");
            }

            return outcome.Kind == OutcomeKind.RestoreFailed ? ExitCodes.Failure : ExitCodes.Ok;
        });
        return command;
    }

    private static bool Say(CliContext context, string line)
    {
        // The applier may be gone (killed, terminal lost): then nobody reads, and that is fine.
        try
        {
            context.Out.WriteLine(line);
            context.Out.Flush();
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>With nobody left to tell, the outcome goes to the system log (journald) as well as the outcome file.</summary>
    private static void Journal(string line)
    {
        try
        {
            using var logger = System.Diagnostics.Process.Start("logger", ["-t", "nftknock", line]);
            logger?.WaitForExit(5000);
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
    }
}
