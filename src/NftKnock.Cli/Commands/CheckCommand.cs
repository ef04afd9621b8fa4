using System.CommandLine;
using NftKnock.Core.Diagnostics;
using NftKnock.Core.Ruleset;
using NftKnock.Nftables;

namespace NftKnock.Cli;

/// <summary><c>nftknock check</c>: validates a config and dry-runs its ruleset.</summary>
internal static class CheckCommand
{
    public static Command Create(CliContext context)
    {
        var config = ConfigLoader.Option();
        var json = new Option<bool>("--json") { Description = "Print one JSON document (verdict, diagnostics, dry run) instead of text." };
        var command = new Command("check", "Validate a config; where nft is installed, dry-run the ruleset with nft --check.") { config, json };
        command.SetAction(async (parse, cancel) =>
        {
            var path = parse.GetValue(config)!;
            if (parse.GetValue(json))
            {
                return await CheckJson.RunAsync(context, path, cancel);
            }

            var result = ConfigLoader.Load(path, context, publicSequences: true);
            if (result?.Config is not { } valid)
            {
                return ExitCodes.Usage;
            }

            var warnings = result.Diagnostics.Count(d => d.Severity == Severity.Warning);
            var plan = Planner.Plan(valid);
            string dryRun;
            try
            {
                await new TableService(context.Nftables()).CheckAsync(plan, ConfigLoader.Header(path), cancel);
                dryRun = "nft --check accepts the ruleset";
            }
            catch (NftException e) when (e.Kind == NftFailureKind.Refused)
            {
                context.Error.WriteLine(Texts.NftRefused(e));
                return ExitCodes.Failure;
            }
            catch (NftException e) when (e.Kind == NftFailureKind.NotInstalled)
            {
                dryRun = "nft is not installed, so the dry run was skipped";
            }
            catch (NftException e) when (e.Kind == NftFailureKind.PermissionDenied)
            {
                dryRun = "the dry run needs root, so it was skipped";
            }

            context.Out.WriteLine($"{path}: valid, {Texts.Count(valid.Doors.Count, "door")}, {Texts.Count(warnings, "warning")}; {dryRun}.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
