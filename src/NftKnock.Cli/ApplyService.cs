using NftKnock.Core.Ruleset;
using NftKnock.Server.Rotation;
using NftKnock.Server.Tables;

namespace NftKnock.Cli;

/// <summary>
/// What <c>nftknock apply</c> does, as one service: <c>client add --apply</c> and <c>client revoke --apply</c>
/// go through the same lock, lock-out guard, confirmation and rotating windows.
/// </summary>
internal static class ApplyService
{
    /// <summary>
    /// Loads the config at <paramref name="path"/> and applies it; <paramref name="window"/> asks for confirmation
    /// within it, and <paramref name="audit"/> loads it in audit mode whatever the config's <c>audit:</c> says.
    /// </summary>
    public static async Task<int> RunAsync(CliContext context, string path, TimeSpan? window, bool force, CancellationToken cancel, bool audit = false)
    {
        if (ConfigLoader.Load(path, context)?.Config is not { } loaded)
        {
            return ExitCodes.Usage;
        }

        var valid = audit ? loaded with { Audit = true } : loaded;

        if (!context.IsPrivileged())
        {
            context.Error.WriteLine(Texts.NotRoot("apply"));
            return ExitCodes.NeedsPrivileges;
        }

        // Where the host's DNAT rules send protected ports, read now: a connection straight there is guarded too.
        var nat = await NatRules.ListAsync(context.Nftables(), valid.Table, cancel);
        var plan = Planner.Plan(valid, nat.Targets(valid));
        if (await ApplyConfirmation.RefuseAsync(context, valid, window is not null, force, cancel) is { } refused)
        {
            return refused;
        }

        var rotation = new ApplyRotation(context.Rotation(), valid, plan);
        Task<int> ApplyNow() => Run.Nft(context, async () =>
        {
            var tables = new TableService(context.Nftables());
            var result = await tables.ApplyAsync(plan, ConfigLoader.Header(path), rotation.Fill, cancel);
            await rotation.AppliedAsync(tables, result, cancel);

            var doors = string.Join(", ", valid.Doors.Select(d => d.Name));
            var what = result.Created ? "Created" : "Updated";
            var grants = result.Recreated
                ? " A set changed type, so the table was recreated and current grants were dropped."
                : result.Created ? string.Empty : " Current grants and knocks in progress are kept.";
            context.Out.WriteLine($"{what} table inet {valid.Table} ({valid.Mode.ToString().ToLowerInvariant()} mode): {Texts.Count(valid.Doors.Count, "door")} ({doors}).{grants}");
            if (valid.Audit)
            {
                context.Out.WriteLine(Texts.AppliedAudit);
            }

            if (rotation.Doors.Count > 0)
            {
                context.Out.WriteLine(Texts.AfterApply(rotation.Doors));
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
    }
}
