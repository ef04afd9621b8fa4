using System.CommandLine;
using NftKnock.Server.Host;
using NftKnock.Server.Rotation;
using NftKnock.Server.Safety;

namespace NftKnock.Cli.Commands;

/// <summary>
/// <c>nftknock rotate</c>: writes the knocks of windows t-1, t and t+1 into the rotating map, once
/// or at every window boundary until stopped. The config is read again at a wake once it or a secret file changed;
/// the loaded table decides which doors and clients are written (see <see cref="RotationService"/>).
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

            RotationService? service = null;
            var configs = new ConfigCache(keep: !parse.GetValue(once));
            if (parse.GetValue(once))
            {
                var (code, _, _) = await WakeAsync(path, context, configs, service, cancel);
                return code;
            }

            try
            {
                while (true)
                {
                    // One service for the whole run, so that warnings come once per change.
                    (var _, var next, service) = await WakeAsync(path, context, configs, service, cancel);
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

    /// <summary>
    /// One rotation: read the config (the one kept in <paramref name="configs"/> while its files are
    /// unchanged), then let the service write what is loaded. Returns the exit code and the next wake.
    /// </summary>
    private static async Task<(int Code, DateTimeOffset Next, RotationService? Service)> WakeAsync(
        string path, CliContext context, ConfigCache configs, RotationService? service, CancellationToken cancel)
    {
        var retry = context.Time.GetUtcNow() + TimeSpan.FromSeconds(5);
        if (configs.Load(path, context)?.Config is not { } valid)
        {
            return (ExitCodes.Usage, retry, service);
        }

        if (!valid.Doors.Any(d => d.Rotating is not null))
        {
            context.Error.WriteLine(Texts.NoRotatingDoors(path));
            return (ExitCodes.Usage, retry, service);
        }

        service ??= new RotationService(context.Nftables(), context.Rotation(), ApplyConfirmation.Files(context, valid.Table));
        var next = retry;
        var code = await Run.Nft(context, async () =>
        {
            RotationOutcome outcome;
            try
            {
                outcome = await service.WakeAsync(valid, cancel);
            }
            catch (UnsafeDirectoryException e)
            {
                context.Error.WriteLine(Texts.UnsafeDirectory(e.Path, e.Problem, RollbackFiles.DirectoryVariable));
                return ExitCodes.Usage;
            }

            next = outcome.Next;
            switch (outcome.Result)
            {
                case RotationResult.Wrote:
                    context.Out.WriteLine(Texts.Wrote(outcome.At, outcome.Doors, outcome.Knocks, outcome.Next));
                    return ExitCodes.Ok;
                case RotationResult.Busy:
                    context.Error.WriteLine(Texts.Busy(valid.Table));
                    return ExitCodes.Failure;
                case RotationResult.TableMissing:
                    context.Error.WriteLine(Texts.TableMissing(valid.Table));
                    return ExitCodes.Failure;
                default:
                    return ExitCodes.Failure;
            }
        });
        return (code, next, service);
    }
}
