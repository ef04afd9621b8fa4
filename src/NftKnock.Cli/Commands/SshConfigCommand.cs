using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using NftKnock.Client;
using NftKnock.Client.Network;
using NftKnock.Client.Profiles;
using NftKnock.Client.Settings;

namespace NftKnock.Cli.Commands;

/// <summary><c>nftknock ssh-config</c>: prints an ssh_config stanza that connects through the client.</summary>
internal static partial class SshConfigCommand
{
    public static Command Create(CliContext context)
    {
        var host = new Argument<string>("host") { Description = "The host (or ssh Host pattern) the stanza is for." };
        var steps = new Argument<string[]>("step") { Description = "Knock steps to put in the ProxyCommand, where ps shows them to every local user (needs --sequence-in-command; default: none, the profile has them).", Arity = ArgumentArity.ZeroOrMore };
        var inline = new Option<bool>("--sequence-in-command") { Description = "Accept knock steps in the ProxyCommand although every local user can read them there." };
        var program = new Option<string>("--program") { Description = "How ssh should run nftknock (a bare name is found on PATH).", DefaultValueFactory = _ => "nftknock" };
        var port = new Option<string?>("--port") { Description = "Add a Port line (default: the host's profile port, if any)." };
        var profiles = ClientOptions.ProfilesOption();
        var command = new Command("ssh-config", "Print an ssh_config stanza whose ProxyCommand knocks with nftknock connect.") { host, steps, program, port, profiles, inline };
        command.SetAction(parse =>
        {
            var name = parse.GetValue(host)!;
            var programText = parse.GetValue(program)!;
            var stepTexts = parse.GetValue(steps) ?? [];
            if (InputProblem(name, programText, stepTexts, parse.GetValue(inline)) is { } problem)
            {
                context.Error.WriteLine(problem);
                return ExitCodes.Usage;
            }

            if (ProxyCommand(programText, stepTexts, context) is not { } proxy)
            {
                return ExitCodes.Usage;
            }

            int? portNumber = null;
            if (parse.GetValue(port) is { } portText && (portNumber = ClientSettings.ServicePort(portText, context.Error.WriteLine)) is null)
            {
                return ExitCodes.Usage;
            }

            if (ProfileFile.Load(parse.GetValue(profiles), context) is not { } loaded)
            {
                return ExitCodes.Usage;
            }

            var profile = loaded.Set.Find(name);
            if (profile is null && stepTexts.Length == 0 && !HostPattern.IsGlob(name))
            {
                // The stanza is still printed: the profile may be added after it.
                context.Error.WriteLine(ClientTexts.NoProfileFor(name, loaded.Path ?? "client.yaml"));
            }

            portNumber ??= profile?.Port;

            context.Out.Write(Stanza(name, portNumber, proxy));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The line that says what is wrong with the host, the program or the steps; null when all three will do.</summary>
    private static string? InputProblem(string name, string program, string[] steps, bool inline) =>
        HostProblem(name) is { } problem ? Texts.Problem(problem.Text)
        : program.Length == 0 || program.Any(char.IsControl) ? ClientTexts.BadProgram(program)
        : steps.Length > 0 && !inline ? ClientTexts.StepsInProxyCommand(name)
        : null;

    /// <summary>The ProxyCommand's words: the program, <c>connect %h %p</c> and the steps; null after saying which step is wrong.</summary>
    private static string? ProxyCommand(string program, string[] steps, CliContext context)
    {
        var proxy = new StringBuilder(ProxyWord(program)).Append(" connect %h %p");
        foreach (var text in steps)
        {
            if (!Core.Model.Step.TryParse(text, out var step))
            {
                context.Error.WriteLine(ClientTexts.BadStep(text));
                return null;
            }

            proxy.Append(' ').Append(step.ToString());
        }

        return proxy.ToString();
    }

    /// <summary>The stanza for <paramref name="name"/>: import prints the same one.</summary>
    internal static string Stanza(string name, int? port, string proxy)
    {
        var stanza = new StringBuilder();
        stanza.Append("Host ").Append(name).Append('\n');
        if (port is { } p)
        {
            stanza.Append("    Port ").Append(p.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        return stanza.Append("    ProxyCommand ").Append(proxy).Append('\n').ToString();
    }

    /// <summary>Null for a host name or pattern that ssh_config can take as one word; else why not.</summary>
    private static Core.Diagnostics.Message? HostProblem(string name) =>
        !HostPattern.IsValid(name) ? ClientTexts.BadHostPattern(name)
        : HostPattern.IsGlob(name) ? null
        : HostAddress.Problem(name);

    /// <summary>
    /// The program as one word for ProxyCommand: ssh expands %-tokens, then hands the line to the
    /// shell, so % is doubled and anything but a plain path is single-quoted.
    /// </summary>
    internal static string ProxyWord(string program)
    {
        var word = PlainWord().IsMatch(program) ? program : "'" + program.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
        return word.Replace("%", "%%", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^[A-Za-z0-9/_.+-]+\z")]
    private static partial Regex PlainWord();
}
