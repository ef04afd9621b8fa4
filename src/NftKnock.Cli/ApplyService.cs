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
    /// within it. What was applied is said on <paramref name="summary"/> (stdout unless a caller prints JSON there).
    /// </summary>
    public static async Task<int> RunAsync(CliContext context, string path, TimeSpan? window, bool force, CancellationToken cancel, TextWriter? summary = null)
    {
        summary ??= context.Out;
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
            summary.WriteLine($"{what} table inet {valid.Table} ({valid.Mode.ToString().ToLowerInvariant()} mode): {Texts.Count(valid.Doors.Count, "door")} ({doors}).{grants}");
            if (rotation.Doors.Count > 0)
            {
                summary.WriteLine(Texts.AfterApply(rotation.Doors));
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
