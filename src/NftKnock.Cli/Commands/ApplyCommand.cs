using System.CommandLine;
using NftKnock.Core.Ruleset;
using NftKnock.Core.Ruleset.Model;
using NftKnock.Server.Tables;

namespace NftKnock.Cli.Commands;

/// <summary><c>nftknock apply</c>: loads the config's table in one atomic batch.</summary>
internal static class ApplyCommand
{
    public static Command Create(CliContext context)
    {
        var config = ConfigLoader.Option();
        var confirm = ApplyConfirmation.ConfirmOption();
        var force = ApplyConfirmation.ForceOption();
        var command = new Command("apply", "Load the config's ruleset into our table in one atomic batch; grants survive a re-apply.") { config, confirm, force };
        command.SetAction(async (parse, cancel) =>
        {
            var path = parse.GetValue(config)!;
            if (ConfigLoader.Load(path, context)?.Config is not { } valid)
            {
                return ExitCodes.Usage;
            }

            if (!context.IsPrivileged())
            {
                context.Error.WriteLine(Texts.NotRoot("apply"));
                return ExitCodes.NeedsPrivileges;
            }

            var plan = Planner.Plan(valid);
            var window = parse.GetValue(confirm);
            if (await ApplyConfirmation.RefuseAsync(context, valid, window is not null, parse.GetValue(force), cancel) is { } refused)
            {
                return refused;
            }

            var rotating = valid.Doors.Where(d => d.Rotating is not null).Select(d => d.Name).ToList();
            var now = context.Time.GetUtcNow();
            RotationGuard? guard = null;
            MapFill? Knocks(TableReading? current, bool recreated)
            {
                if (rotating.Count == 0)
                {
                    return null;
                }

                // A table that is created or recreated starts with no claims, and so does a claims set
                // that this apply adds: then only windows never served may go in.
                var claimsKept = current is not null && !recreated && plan.Model.Sets
                    .Where(s => Names.TryParse(s.Name, out var o) && o.Role == DoorRole.Claims)
                    .All(s => current.HasSet(s.Name));
                var handle = claimsKept ? current!.Handle : (long?)null;
                guard = RotationGuard.Plan(context, valid.Table, valid.Doors.Where(d => d.Rotating is not null).ToList(), handle, now);
                guard.Save(handle ?? 0);
                return guard.Fill();
            }

            Task<int> ApplyNow() => Run.Nft(context, async () =>
            {
                var tables = new TableService(context.Nftables());
                var result = await tables.ApplyAsync(plan, ConfigLoader.Header(path), Knocks, cancel);
                if (guard is not null && (result.Created || result.Recreated) && await tables.ReadStructureAsync(valid.Table, cancel) is { } created)
                {
                    guard.Save(created.Handle);
                }

                var doors = string.Join(", ", valid.Doors.Select(d => d.Name));
                var what = result.Created ? "Created" : "Updated";
                var grants = result.Recreated
                    ? " A set changed type, so the table was recreated and current grants were dropped."
                    : result.Created ? string.Empty : " Current grants and knocks in progress are kept.";
                context.Out.WriteLine($"{what} table inet {valid.Table} ({valid.Mode.ToString().ToLowerInvariant()} mode): {Texts.Count(valid.Doors.Count, "door")} ({doors}).{grants}");
                if (rotating.Count > 0)
                {
                    context.Out.WriteLine(Texts.AfterApply(rotating));
                }

                return ExitCodes.Ok;
            });
            // One command at a time changes the table, and never under a pending apply's rollback.
            using var locked = await ApplyConfirmation.LockAsync(context, valid.Table, cancel);
            if (locked is null)
            {
                return ExitCodes.Failure;
            }

            if (await ApplyConfirmation.PendingAsync(context, valid.Table, "apply", cancel) is { } blocked)
            {
                return blocked;
            }

            return window is { } w ? await ApplyConfirmation.RunAsync(context, valid.Table, w, locked, ApplyNow, cancel) : await ApplyNow();
        });
        return command;
    }
}
