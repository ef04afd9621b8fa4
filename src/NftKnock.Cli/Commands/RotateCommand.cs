using System.CommandLine;
using NftKnock.Core.Model;
using NftKnock.Core.Rotating;
using NftKnock.Core.Ruleset;
using NftKnock.Server.Safety;
using NftKnock.Server.Tables;

namespace NftKnock.Cli.Commands;

/// <summary>
/// <c>nftknock rotate</c>: writes the knocks of windows t-1, t and t+1 into the rotating map, once
/// or at every window boundary until stopped. The config is read afresh at each wake, so a
/// removed client is locked out at the next window at the latest.
/// </summary>
internal static class RotateCommand
{
    public static Command Create(CliContext context)
    {
        var config = ConfigLoader.Option();
        var once = new Option<bool>("--once") { Description = "Write the current windows once and exit (for a timer instead of a service)." };
        var command = new Command("rotate", "Keep rotating doors' knocks current: write windows t-1, t and t+1, waking at each window boundary.") { config, once };
        command.SetAction(async (parse, cancel) =>
        {
            var path = parse.GetValue(config)!;
            if (!context.IsPrivileged())
            {
                context.Error.WriteLine(Texts.NotRoot("rotate"));
                return ExitCodes.NeedsPrivileges;
            }

            if (parse.GetValue(once))
            {
                var (code, _) = await WakeAsync(path, context, cancel);
                return code;
            }

            try
            {
                while (true)
                {
                    var (_, next) = await WakeAsync(path, context, cancel);
                    var wait = next - context.Time.GetUtcNow();
                    await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, context.Time, cancel);
                }
            }
            catch (OperationCanceledException)
            {
                context.Error.WriteLine(Texts.Stopped());
                return ExitCodes.Ok;
            }
        });
        return command;
    }

    /// <summary>One rotation: read the config, check the table, write the knocks. Returns the exit code and the next wake.</summary>
    private static async Task<(int Code, DateTimeOffset Next)> WakeAsync(string path, CliContext context, CancellationToken cancel)
    {
        var now = context.Time.GetUtcNow();
        var retry = now + TimeSpan.FromSeconds(5);
        if (ConfigLoader.Load(path, context, quietWarnings: true)?.Config is not { } valid)
        {
            return (ExitCodes.Usage, retry);
        }

        var doors = valid.Doors.Where(d => d.Rotating is not null).ToList();
        if (doors.Count == 0)
        {
            context.Error.WriteLine(Texts.NoRotatingDoors(path));
            return (ExitCodes.Usage, retry);
        }

        var next = RotationScript.NextBoundary(doors, now);
        using var locked = await TableLock.AcquireAsync(ApplyConfirmation.Files(context, valid.Table), TimeSpan.FromSeconds(2), cancel);
        if (locked is null)
        {
            context.Error.WriteLine(Texts.Busy(valid.Table));
            return (ExitCodes.Failure, now + TimeSpan.FromSeconds(1));
        }

        var code = await Run.Nft(context, async () =>
        {
            var nft = context.Nftables();
            // Names are all rotate needs; reading every grant each period would grow with the door's traffic.
            var table = await new TableService(nft).ReadStructureAsync(valid.Table, cancel);
            if (table is null)
            {
                context.Error.WriteLine(Texts.TableMissing(valid.Table));
                return ExitCodes.Failure;
            }

            var loaded = table.HasSet(Names.Rotating) ? doors.Where(d => Loaded(d, table)).ToList() : [];
            foreach (var missing in doors.Except(loaded))
            {
                context.Error.WriteLine(Texts.DoorNotLoaded(missing.Name));
            }

            if (loaded.Count == 0)
            {
                return ExitCodes.Failure;
            }

            var guard = RotationGuard.Plan(context, valid.Table, loaded, table.Handle, now);
            guard.Save(table.Handle);
            await nft.RunAsync(guard.Script(), checkOnly: false, cancel);
            var knocks = loaded.Sum(d => RotationScript.Elements(d, now, guard.Floors[d.Name]).Count);
            context.Out.WriteLine(Texts.Wrote(now, loaded.Select(d => d.Name).ToList(), knocks, next));
            return ExitCodes.Ok;
        });
        return (code, next);
    }

    private static bool Loaded(Door door, TableReading table) =>
        RotationScript.Targets(door).All(table.HasChain);
}
