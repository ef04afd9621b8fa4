using System.CommandLine;
using NftKnock.Cli.Deployment;

namespace NftKnock.Cli.Commands;

/// <summary><c>nftknock completion bash|zsh</c>: prints a completion script made from the commands themselves.</summary>
internal static class CompletionCommand
{
    public static Command Create(CliContext context)
    {
        var shell = new Argument<string>("shell") { Description = "bash or zsh." };
        shell.AcceptOnlyFromAmong("bash", "zsh");
        var command = new Command("completion", "Print the bash or zsh completion script (the .deb installs both).") { shell };
        command.SetAction(parse =>
        {
            // The tree is built afresh: completion sees exactly the commands this binary has.
            var root = NftKnockApp.Build(context);
            context.Out.Write(parse.GetValue(shell) == "bash" ? Completion.Bash(root) : Completion.Zsh(root));
            return ExitCodes.Ok;
        });
        return command;
    }
}
