using System.CommandLine;
using NftKnock.Client;
using NftKnock.Client.Knocking;
using NftKnock.Client.Network;
using NftKnock.Client.Pumping;
using NftKnock.Client.Settings;

namespace NftKnock.Cli.Commands;

/// <summary>A connect command line's values, before any of them is checked.</summary>
internal sealed record ConnectArgs(string Host, string Port, string[] Steps, ClientArgs Options);

/// <summary>
/// <c>nftknock connect</c>: the SSH ProxyCommand. Knocks, connects (retrying with back-off), then
/// copies stdin to the connection and the connection to stdout. Only stderr carries diagnostics.
/// </summary>
internal static class ConnectCommand
{
    public static Command Create(CliContext context, Func<IClientNetwork>? network = null) =>
        ClientOptions.Bind(new ConnectSyntax(), RunAsync, context, network);

    /// <summary>Checks the values, knocks, connects and relays until both directions are done.</summary>
    public static async Task<int> RunAsync(ConnectArgs args, CliContext context, IClientNetwork? network, CancellationToken cancel)
    {
        if (ClientSettings.ServicePort(args.Port, context.Error.WriteLine) is not { } service
            || ProfileFile.Resolve(args.Options, args.Host, args.Steps, context) is not { } target)
        {
            return ExitCodes.Usage;
        }

        var verbose = args.Options.Verbose;
        var client = new KnockClient(network ?? new SocketNetwork(), context.Time, verbose ? context.Error.WriteLine : null);
        var outcome = await client.OpenAsync(target.Request, service, cancel);
        if (outcome.Connection is not { } connection)
        {
            return ClientOutcome.Fail(outcome, target, service, context);
        }

        using (connection)
        {
            var input = context.Input ?? Stream.Null;
            var output = context.OutputStream ?? Stream.Null;
            var result = await StdioPump.RunAsync(input, output, connection, cancel);
            if (verbose)
            {
                context.Error.WriteLine(ClientTexts.SessionEnded(result.Sent, result.Received, result.Reset));
            }

            return result.Reset ? ExitCodes.Failure : ExitCodes.Ok;
        }
    }
}

/// <summary>The connect command's arguments and options, and how to read their values.</summary>
internal sealed class ConnectSyntax : IClientSyntax<ConnectArgs>
{
    private readonly Argument<string> host = new("host") { Description = "The host to knock and connect to (ssh's %h)." };
    private readonly Argument<string> port = new("port") { Description = "The service port (ssh's %p)." };
    private readonly Argument<string[]> steps = new("step") { Description = "Knock steps like 7000/udp 8000/tcp (default: the host's profile).", Arity = ArgumentArity.ZeroOrMore };
    private readonly ClientOptions options = new();

    public ConnectSyntax()
    {
        Command = new Command("connect", "Knock, connect and relay stdin/stdout: use as ProxyCommand nftknock connect %h %p.") { host, port, steps };
        options.AddTo(Command);
    }

    public Command Command { get; }

    public ConnectArgs Read(ParseResult parse) =>
        new(parse.GetValue(host)!, parse.GetValue(port)!, parse.GetValue(steps) ?? [], options.Read(parse));
}
