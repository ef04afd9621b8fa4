using System.CommandLine;
using NftKnock.Client;
using NftKnock.Client.Knocking;
using NftKnock.Client.Network;
using NftKnock.Client.Settings;

namespace NftKnock.Cli.Commands;

/// <summary>
/// <c>nftknock knock</c>: sends a knock sequence to one address of each family the host has; with
/// --check, verifies that the port opened on each.
/// </summary>
internal static class KnockCommand
{
    public static Command Create(CliContext context, Func<IClientNetwork>? network = null)
    {
        var host = new Argument<string>("host") { Description = "The host to knock: a name or an address." };
        var steps = new Argument<string[]>("step") { Description = "Knock steps like 7000/udp 8000/tcp (default: the host's profile).", Arity = ArgumentArity.ZeroOrMore };
        var check = new Option<string?>("--check")
        {
            Description = "Then connect to this port (default: the profile's port) to check that it opened, retrying like connect (exit 3 when it never opens).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var options = new ClientOptions();
        var command = new Command("knock", "Send a knock sequence from this machine (no privileges needed).") { host, steps, check };
        options.AddTo(command);
        command.SetAction(async (parse, cancel) =>
        {
            var name = parse.GetValue(host)!;
            var given = options.Read(parse);
            if (ClientSettings.Resolve(given, name, parse.GetValue(steps) ?? [], profiles => ProfileFile.Load(profiles, context), context.Error.WriteLine) is not { } target)
            {
                return ExitCodes.Usage;
            }

            int? port = null;
            if (parse.GetResult(check) is not null)
            {
                if (parse.GetValue(check) is { } portText)
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

            Action<string>? verbose = given.Verbose ? context.Error.WriteLine : null;
            var client = new KnockClient(network?.Invoke() ?? new SocketNetwork(), context.Time, verbose);
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
        });
        return command;
    }
}
