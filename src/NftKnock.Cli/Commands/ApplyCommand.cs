using System.CommandLine;

namespace NftKnock.Cli.Commands;

/// <summary><c>nftknock apply</c>: loads the config's table in one atomic batch.</summary>
internal static class ApplyCommand
{
    public static Command Create(CliContext context)
    {
        var config = ConfigLoader.Option();
        var confirm = ApplyConfirmation.ConfirmOption();
        var force = ApplyConfirmation.ForceOption();
        var audit = new Option<bool>("--audit")
        {
            Description = "Audit mode: let through, count and log (would-drop) the connections the ruleset would refuse; the next apply without it enforces.",
        };
        var command = new Command("apply", "Load the config's ruleset into our table in one atomic batch; grants survive a re-apply.") { config, confirm, force, audit };
        command.SetAction((parse, cancel) =>
            ApplyService.RunAsync(context, parse.GetValue(config)!, parse.GetValue(confirm), parse.GetValue(force), cancel, parse.GetValue(audit)));
        return command;
    }
}
