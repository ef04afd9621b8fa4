using System.CommandLine;
using NftKnock.Cli.Commands;

namespace NftKnock.Cli;

/// <summary>The composition root: every command, wired to one context.</summary>
public static class NftKnockApp
{
    /// <summary>Parses and runs a command line; returns the exit code.</summary>
    /// <remarks>Not async itself: a state machine here would hold the full parser's types and load System.CommandLine on the quick path of connect and knock.</remarks>
    public static Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancel = default) =>
        QuickConnect.TryParse(args) is { } connect ? ConnectCommand.RunAsync(connect, context, null, cancel)
        : QuickConnect.TryParseKnock(args) is { } knock ? KnockCommand.RunAsync(knock, context, null, cancel)
        : ParseAndRunAsync(args.Length > 0 && Find(args[0]) is { } named ? Root([named], context) : Build(context), args, context, cancel);

    /// <summary>Parses <paramref name="args"/> with <paramref name="root"/> and runs the command, or reports usage errors.</summary>
    internal static async Task<int> ParseAndRunAsync(RootCommand root, string[] args, CliContext context, CancellationToken cancel)
    {
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

    /// <summary>Builds the root command with every command.</summary>
    public static RootCommand Build(CliContext context) => Root(Commands, context);

    /// <summary>
    /// The commands in the order help lists them. A command line that starts with a command's name
    /// gets a root with only that command: nothing below the root sees its siblings, so parsing,
    /// errors and help read the same, and a client command does not build the server's options.
    /// </summary>
    internal static readonly (string Name, Func<CliContext, Command> Create)[] Commands =
    [
        ("check", CheckCommand.Create),
        ("render", RenderCommand.Create),
        ("apply", ApplyCommand.Create),
        ("status", StatusCommand.Create),
        ("metrics", MetricsCommand.Create),
        ("events", EventsCommand.Create),
        ("remove", RemoveCommand.Create),
        ("knock", context => KnockCommand.Create(context)),
        ("connect", context => ConnectCommand.Create(context)),
        ("ssh-config", SshConfigCommand.Create),
        ("demo", DemoCommand.Create),
        ("confirm", ConfirmCommand.Create),
        (RollbackWatchCommand.Name, RollbackWatchCommand.Create),
        ("doctor", DoctorCommand.Create),
        ("install", InstallCommand.Create),
        ("uninstall", InstallCommand.CreateUninstall),
        ("completion", CompletionCommand.Create),
        ("rotate", RotateCommand.Create),
        ("init", InitCommand.Create),
        ("client", ClientCommand.Create),
        ("import", ImportCommand.Create),
    ];

    private static (string Name, Func<CliContext, Command> Create)? Find(string name)
    {
        foreach (var command in Commands)
        {
            if (command.Name == name)
            {
                return command;
            }
        }

        return null;
    }

    private static RootCommand Root(IEnumerable<(string Name, Func<CliContext, Command> Create)> commands, CliContext context)
    {
        var root = new RootCommand("nftknock: port knocking in nftables, and the client that knocks.");
        foreach (var (_, create) in commands)
        {
            root.Add(create(context));
        }

        return root;
    }
}
