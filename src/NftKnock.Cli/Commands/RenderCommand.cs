using System.CommandLine;
using NftKnock.Core.Ruleset;

namespace NftKnock.Cli.Commands;

/// <summary><c>nftknock render</c>: prints the nft script for a config.</summary>
internal static class RenderCommand
{
    public static Command Create(CliContext context)
    {
        var config = ConfigLoader.Option();
        var command = new Command("render", "Print the nft script that apply would load, for a host without the table.") { config };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(config)!;
            if (ConfigLoader.Load(path, context, quietWarnings: true, readSecrets: false)?.Config is not { } valid)
            {
                return ExitCodes.Usage;
            }

            context.Out.Write(Planner.Plan(valid).FreshScript(ConfigLoader.Header(path)));
            return ExitCodes.Ok;
        });
        return command;
    }
}
