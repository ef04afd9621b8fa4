using System.CommandLine;
using NftKnock.Client;
using NftKnock.Client.Knocking;
using NftKnock.Client.Network;
using NftKnock.Client.Settings;

namespace NftKnock.Cli.Commands;

/// <summary>A knock command line's values, before any of them is checked.</summary>
/// <param name="Host">The host to knock.</param>
/// <param name="Steps">Knock steps given on the command line.</param>
/// <param name="Check">Whether --check was given.</param>
/// <param name="CheckPort">--check's port, when it was given one.</param>
/// <param name="Options">The client options.</param>
internal sealed record KnockArgs(string Host, string[] Steps, bool Check, string? CheckPort, ClientArgs Options);

/// <summary>
/// <c>nftknock knock</c>: sends a knock sequence to one address of each family the host has; with
/// --check, verifies that the port opened on each.
/// </summary>
internal static class KnockCommand
{
    public static Command Create(CliContext context, Func<IClientNetwork>? network = null) =>
        ClientOptions.Bind(new KnockSyntax(), RunAsync, context, network);

    /// <summary>Checks the values, knocks, and with --check connects to see the port open.</summary>
    public static async Task<int> RunAsync(KnockArgs args, CliContext context, IClientNetwork? network, CancellationToken cancel)
    {
        var name = args.Host;
        if (ProfileFile.Resolve(args.Options, name, args.Steps, context) is not { } target)
        {
            return ExitCodes.Usage;
        }

        int? port = null;
        if (args.Check)
        {
            if (args.CheckPort is { } portText)
            {
                if ((port = ClientSettings.ServicePort(portText, context.Error.WriteLine)) is null)
                {
                    return ExitCodes.Usage;
                }
            }
            else if ((port = target.Port) is null)
            {
                context.Error.WriteLine(ClientTexts.NoPort(name));
                return ExitCodes.Usage;
            }
        }

        Action<string>? verbose = args.Options.Verbose ? context.Error.WriteLine : null;
        var client = new KnockClient(network ?? new SocketNetwork(), context.Time, verbose);
        var report = await client.KnockAsync(target.Request, port, cancel);
        if (report.Unresolved is { } unresolved)
        {
            return ClientOutcome.Fail(unresolved, target, port, context);
        }

        var done = report.Done;
        foreach (var unrouted in report.Unrouted)
        {
            context.Error.WriteLine(ClientTexts.KnockedOtherFamilyOnly(target.Host, unrouted.Address!, report.PerAddress.First(o => o.Status != KnockStatus.NoRoute).Address!));
        }

        if (report.Failed.Count > 0)
        {
            return ClientOutcome.Fail(report, target, port, context);
        }

        context.Out.WriteLine(port is { } checkPort
            ? ClientTexts.CheckOpen(checkPort, done)
            : ClientTexts.KnockSent(target.Request.Sequence.StepsAt(context.Time.GetUtcNow()).Count, [.. done.Select(o => o.Address!)]));
        return ExitCodes.Ok;
    }
}

/// <summary>The knock command's arguments and options, and how to read their values.</summary>
internal sealed class KnockSyntax : IClientSyntax<KnockArgs>
{
    private readonly Argument<string> host = new("host") { Description = "The host to knock: a name or an address." };
    private readonly Argument<string[]> steps = new("step") { Description = "Knock steps like 7000/udp 8000/tcp (default: the host's profile).", Arity = ArgumentArity.ZeroOrMore };
    private readonly Option<string?> check = new("--check")
    {
        Description = "Then connect to this port (default: the profile's port) to check that it opened, retrying like connect (exit 3 when it never opens).",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private readonly ClientOptions options = new();

    public KnockSyntax()
    {
        Command = new Command("knock", "Send a knock sequence from this machine (no privileges needed).") { host, steps, check };
        options.AddTo(Command);
    }

    public Command Command { get; }

    public KnockArgs Read(ParseResult parse) =>
        new(parse.GetValue(host)!, parse.GetValue(steps) ?? [], parse.GetResult(check) is not null, parse.GetValue(check), options.Read(parse));
}
