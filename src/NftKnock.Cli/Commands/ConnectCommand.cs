using System.CommandLine;
using NftKnock.Client;
using NftKnock.Client.Knocking;
using NftKnock.Client.Network;
using NftKnock.Client.Pumping;

namespace NftKnock.Cli;

/// <summary>
/// <c>nftknock connect</c>: the SSH ProxyCommand. Knocks, connects (retrying with back-off), then
/// copies stdin to the connection and the connection to stdout. Only stderr carries diagnostics.
/// </summary>
internal static class ConnectCommand
{
    public static Command Create(CliContext context, Func<IClientNetwork>? network = null)
    {
        var host = new Argument<string>("host") { Description = "The host to knock and connect to (ssh's %h)." };
        var port = new Argument<string>("port") { Description = "The service port (ssh's %p)." };
        var steps = new Argument<string[]>("step") { Description = "Knock steps like 7000/udp 8000/tcp (default: the host's profile).", Arity = ArgumentArity.ZeroOrMore };
        var options = new ClientOptions();
        var command = new Command("connect", "Knock, connect and relay stdin/stdout: use as ProxyCommand nftknock connect %h %p.") { host, port, steps };
        options.AddTo(command);
        command.SetAction(async (parse, cancel) =>
        {
            var name = parse.GetValue(host)!;
            if (ClientOptions.Port(parse.GetValue(port)!, context) is not { } service
                || options.Resolve(parse, name, parse.GetValue(steps) ?? [], context) is not { } target)
            {
                return ExitCodes.Usage;
            }

            var verbose = parse.GetValue(options.Verbose);
            var client = new KnockClient(network?.Invoke() ?? new SocketNetwork(), context.Time, verbose ? context.Error.WriteLine : null);
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
        });
        return command;
    }
}
