using System.CommandLine;
using NftKnock.Cli.Checking;
using NftKnock.Core.Diagnostics;

namespace NftKnock.Cli.Commands;

/// <summary><c>nftknock check</c>: validates a config and dry-runs its ruleset; text or JSON of one result.</summary>
internal static class CheckCommand
{
    public static Command Create(CliContext context)
    {
        var config = ConfigLoader.Option();
        var json = new Option<bool>("--json") { Description = "Print one JSON document (verdict, diagnostics, dry run) instead of text." };
        var command = new Command("check", "Validate a config; where nft is installed, dry-run the ruleset with nft --check.") { config, json };
        command.SetAction(async (parse, cancel) =>
        {
            var result = await CheckService.RunAsync(context, parse.GetValue(config)!, cancel);
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(CheckJson.Write(result));
            }
            else
            {
                Text(result, context);
            }

            return result.ExitCode;
        });
        return command;
    }

    /// <summary>Diagnostics and refusals on stderr, the verdict on stdout.</summary>
    private static void Text(CheckResult result, CliContext context)
    {
        if (result.Unreadable is { } reason)
        {
            context.Error.WriteLine(Texts.CannotReadConfig(result.Path, reason));
            return;
        }

        foreach (var diagnostic in result.Diagnostics)
        {
            context.Error.WriteLine(diagnostic.Format(result.Path));
        }

        if (result.Refusal is { } refusal)
        {
            context.Error.WriteLine(Texts.NftRefused(refusal));
        }
        else if (result.Config is { } valid)
        {
            context.Out.WriteLine(Texts.CheckValid(result.Path, valid.Doors.Count, result.Count(Severity.Warning), Texts.DryRun(result.DryRun)));
        }
    }
}
