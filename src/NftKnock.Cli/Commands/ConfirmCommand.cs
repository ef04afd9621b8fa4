using System.CommandLine;
using NftKnock.Nftables.Safety;

namespace NftKnock.Cli;

/// <summary><c>nftknock confirm</c>: keeps a ruleset that <c>apply --confirm</c> loaded.</summary>
internal static class ConfirmCommand
{
    public static Command Create(CliContext context)
    {
        var table = new TableOption();
        var command = new Command("confirm", "Keep the ruleset that a running 'apply --confirm' loaded; run it from a new SSH session to prove you can still get in.");
        table.AddTo(command);
        command.SetAction(async (parse, cancel) =>
        {
            // Privileges first: the config that names the table is often readable by root alone.
            if (!context.IsPrivileged())
            {
                context.Error.WriteLine(Texts.NotRoot("confirm"));
                return ExitCodes.NeedsPrivileges;
            }

            if (table.Resolve(parse, context) is not { } name)
            {
                return ExitCodes.Usage;
            }

            var files = ApplyConfirmation.Files(context, name);
            var pending = files.ReadPending();
            if (pending is null && File.Exists(files.Pending))
            {
                // Apply writes the file whole (write, then rename), so one that does not parse was not written by nftknock.
                context.Error.WriteLine(DeployTexts.PendingDamaged(files.Pending));
                return ExitCodes.Failure;
            }

            if (pending is null || !files.WatcherAlive())
            {
                context.Error.WriteLine(DeployTexts.NothingPending(name, files.ReadOutcome()));
                return ExitCodes.Failure;
            }

            RollbackFiles.WriteAtomic(files.Decision, new Decision(pending.Token, DecisionKind.Keep, "confirmed with nftknock confirm").ToText());
            for (var waited = 0; waited < 100 && File.Exists(files.Pending); waited++)
            {
                await Task.Delay(100, cancel);
            }

            if (File.Exists(files.Pending))
            {
                context.Error.WriteLine(DeployTexts.ConfirmTimedOut(name));
                return ExitCodes.Failure;
            }

            var outcome = files.ReadOutcome() ?? string.Empty;
            if (!outcome.Contains("kept:", StringComparison.Ordinal))
            {
                context.Error.WriteLine(DeployTexts.NothingPending(name, outcome));
                return ExitCodes.Failure;
            }

            context.Out.WriteLine(DeployTexts.Kept(name));
            return ExitCodes.Ok;
        });
        return command;
    }
}
