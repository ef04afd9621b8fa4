using System.CommandLine;
using System.Globalization;
using System.Text;

namespace NftKnock.Cli;

/// <summary><c>nftknock ssh-config</c>: prints an ssh_config stanza that connects through the client.</summary>
internal static class SshConfigCommand
{
    public static Command Create(CliContext context)
    {
        var host = new Argument<string>("host") { Description = "The host (or ssh Host pattern) the stanza is for." };
        var steps = new Argument<string[]>("step") { Description = "Knock steps to put in the ProxyCommand (default: none, the profile has them).", Arity = ArgumentArity.ZeroOrMore };
        var program = new Option<string>("--program") { Description = "How ssh should run nftknock (default: nftknock, found on PATH).", DefaultValueFactory = _ => "nftknock" };
        var port = new Option<string?>("--port") { Description = "Add a Port line (default: the host's profile port, if any)." };
        var profiles = ClientOptions.ProfilesOption();
        var command = new Command("ssh-config", "Print an ssh_config stanza whose ProxyCommand knocks with nftknock connect.") { host, steps, program, port, profiles };
        command.SetAction(parse =>
        {
            var name = parse.GetValue(host)!;
            var proxy = new StringBuilder(parse.GetValue(program)).Append(" connect %h %p");
            foreach (var text in parse.GetValue(steps) ?? [])
            {
                if (!Core.Model.Step.TryParse(text, out var step))
                {
                    context.Error.WriteLine(Client.ClientTexts.BadStep(text));
                    return ExitCodes.Usage;
                }

                proxy.Append(' ').Append(step.ToString());
            }

            int? portNumber = null;
            if (parse.GetValue(port) is { } portText && (portNumber = ClientSettings.Port(portText, context)) is null)
            {
                return ExitCodes.Usage;
            }

            if (!ClientSettings.LoadProfiles(parse.GetValue(profiles), context, out var set, out _))
            {
                return ExitCodes.Usage;
            }

            portNumber ??= set.Find(name)?.Port;

            var stanza = new StringBuilder();
            stanza.Append("Host ").Append(name).Append('\n');
            if (portNumber is { } p)
            {
                stanza.Append("    Port ").Append(p.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }

            stanza.Append("    ProxyCommand ").Append(proxy).Append('\n');
            context.Out.Write(stanza.ToString());
            return ExitCodes.Ok;
        });
        return command;
    }
}
