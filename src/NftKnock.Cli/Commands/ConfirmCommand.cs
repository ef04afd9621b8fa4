using System.CommandLine;
using NftKnock.Server;
using NftKnock.Server.Safety;

namespace NftKnock.Cli.Commands;

/// <summary><c>nftknock confirm</c>: keeps (or with --rollback, undoes) a ruleset that <c>apply --confirm</c> loaded.</summary>
internal static class ConfirmCommand
{
    public static Command Create(CliContext context)
    {
        var table = new TableOption();
        var rollback = new Option<bool>("--rollback") { Description = "Restore the previous table now instead of keeping the new ruleset." };
        var command = new Command("confirm", "Keep the ruleset that a running 'apply --confirm' loaded; run it from a new SSH session to prove you can still get in.") { rollback };
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

            return await ConfirmAsync(context, name, parse.GetValue(rollback) ? DecisionKind.Restore : DecisionKind.Keep, cancel);
        });
        return command;
    }

    /// <summary>Finds the pending apply under the table lock, then ends it: through its watcher, or here when it has none.</summary>
    private static async Task<int> ConfirmAsync(CliContext context, string name, DecisionKind wanted, CancellationToken cancel)
    {
        var files = ApplyConfirmation.Files(context, name);
        PendingApply? pending;
        using (var locked = await ApplyConfirmation.LockAsync(context, name, cancel))
        {
            if (locked is null)
            {
                return ExitCodes.Failure;
            }

            pending = files.ReadPending();
            if (pending is null && File.Exists(files.Pending))
            {
                // Apply writes the file whole (write, then rename), so one that does not parse was not written by nftknock.
                context.Error.WriteLine(Texts.PendingDamaged(files.Pending));
                return ExitCodes.Failure;
            }

            if (pending is not null && !files.Watched())
            {
                return await OrphanAsync(context, files, pending, wanted, cancel);
            }
        }

        if (pending is null)
        {
            context.Error.WriteLine(Texts.NothingPending(name, files.ReadOutcome()));
            return ExitCodes.Failure;
        }

        // The lock is free again: the watcher takes it to restore.
        return await TellWatcherAsync(context, files, pending, wanted, cancel);
    }

    /// <summary>Hands the decision to the pending apply's watcher and waits up to 30 s for it to carry it out.</summary>
    private static async Task<int> TellWatcherAsync(CliContext context, RollbackFiles files, PendingApply pending, DecisionKind wanted, CancellationToken cancel)
    {
        var reason = wanted == DecisionKind.Keep ? ServerTexts.ConfirmedWithCommand : ServerTexts.RolledBackWithCommand;
        RollbackFiles.WriteAtomic(files.Decision, new Decision(pending.Token, wanted, reason).ToText());
        for (var waited = 0; waited < 300 && files.ReadPending()?.Token == pending.Token; waited++)
        {
            await Task.Delay(100, cancel);
        }

        if (files.ReadPending()?.Token == pending.Token)
        {
            context.Error.WriteLine(Texts.ConfirmTimedOut(files.Table));
            return ExitCodes.Failure;
        }

        var outcome = files.ReadOutcome() ?? string.Empty;
        if (!outcome.Contains(wanted == DecisionKind.Keep ? "kept: " : "restored: ", StringComparison.Ordinal))
        {
            context.Error.WriteLine(Texts.NothingPending(files.Table, outcome));
            return ExitCodes.Failure;
        }

        context.Out.WriteLine(wanted == DecisionKind.Keep ? Texts.Kept(files.Table) : Texts.RolledBack(files.Table));
        return ExitCodes.Ok;
    }

    /// <summary>Nobody watches the pending apply any more: this command ends it, as asked when the window allows.</summary>
    private static async Task<int> OrphanAsync(CliContext context, RollbackFiles files, PendingApply pending, DecisionKind wanted, CancellationToken cancel)
    {
        var resolved = await OrphanedApply.ResolveAsync(context.Nftables(), context.Time, files, pending, wanted, cancel);
        var outcome = resolved.Outcome!;
        context.Error.WriteLine(Texts.OrphanEnded(files.Table, outcome));
        var done = outcome.Kind == (wanted == DecisionKind.Keep ? OutcomeKind.Kept : OutcomeKind.Restored);
        if (done)
        {
            context.Out.WriteLine(wanted == DecisionKind.Keep ? Texts.Kept(files.Table) : Texts.RolledBack(files.Table));
        }

        return done ? ExitCodes.Ok : ExitCodes.Failure;
    }
}
