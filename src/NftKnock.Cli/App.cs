using System.CommandLine;
using NftKnock.Cli.Commands;

namespace NftKnock.Cli;

/// <summary>The composition root: every command, wired to one context.</summary>
public static class NftKnockApp
{
    /// <summary>Parses and runs a command line; returns the exit code.</summary>
    /// <remarks>Not async itself: a state machine here would hold the full parser's types and load System.CommandLine on connect's quick path.</remarks>
    public static Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancel = default) =>
        QuickConnect.TryParse(args) is { } connect
            ? ConnectCommand.RunAsync(connect, context, null, cancel)
            : ParseAndRunAsync(args, context, cancel);

    private static async Task<int> ParseAndRunAsync(string[] args, CliContext context, CancellationToken cancel)
    {
        var root = Build(context);
        var parse = root.Parse(args);
        var config = new InvocationConfiguration { Output = context.Out, Error = context.Error };
        if (parse.Errors.Count > 0 && parse.Action is not System.CommandLine.Help.HelpAction)
        {
            foreach (var error in parse.Errors)
            {
                await context.Error.WriteLineAsync(Texts.UsageError(error.Message));
            }

            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(config, cancel);
    }

    /// <summary>Builds the root command.</summary>
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("nftknock: port knocking in nftables, and the client that knocks.");
        root.Add(CheckCommand.Create(context));
        root.Add(RenderCommand.Create(context));
        root.Add(ApplyCommand.Create(context));
        root.Add(StatusCommand.Create(context));
        root.Add(MetricsCommand.Create(context));
        root.Add(EventsCommand.Create(context));
        root.Add(RemoveCommand.Create(context));
        root.Add(KnockCommand.Create(context));
        root.Add(ConnectCommand.Create(context));
        root.Add(SshConfigCommand.Create(context));
        root.Add(DemoCommand.Create(context));
        root.Add(ConfirmCommand.Create(context));
        root.Add(RollbackWatchCommand.Create(context));
        root.Add(DoctorCommand.Create(context));
        root.Add(InstallCommand.Create(context));
        root.Add(InstallCommand.CreateUninstall(context));
        root.Add(CompletionCommand.Create(context));
        root.Add(RotateCommand.Create(context));
        root.Add(InitCommand.Create(context));
        root.Add(ClientCommand.Create(context));
        root.Add(ImportCommand.Create(context));
        return root;
    }
}
