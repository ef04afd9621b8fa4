using System.CommandLine;
using NftKnock.Client.Network;
using NftKnock.Client.Settings;

namespace NftKnock.Cli;

/// <summary>A client command's symbols: its command, and how to read its values from a parse.</summary>
internal interface IClientSyntax<TArgs>
{
    Command Command { get; }

    TArgs Read(ParseResult parse);
}

/// <summary>The options that knock and connect share, as System.CommandLine symbols.</summary>
internal sealed class ClientOptions
{
    /// <summary><paramref name="syntax"/>'s command, running <paramref name="run"/> on its values.</summary>
    public static Command Bind<TArgs>(
        IClientSyntax<TArgs> syntax,
        Func<TArgs, CliContext, IClientNetwork?, CancellationToken, Task<int>> run,
        CliContext context,
        Func<IClientNetwork>? network)
    {
        syntax.Command.SetAction((parse, cancel) => run(syntax.Read(parse), context, network?.Invoke(), cancel));
        return syntax.Command;
    }

    private readonly Option<bool> ipv4 = new("-4") { Description = "Use IPv4 only." };
    private readonly Option<bool> ipv6 = new("-6") { Description = "Use IPv6 only." };
    private readonly Option<string?> attempts = new("--attempts") { Description = "Knock-and-connect attempts (default 8, at most 20)." };
    private readonly Option<string?> gap = new("--gap") { Description = "Gap between knocks on the first attempt (default 0s: back to back); each retry adds 25ms and sends every knock twice." };
    private readonly Option<string?> connectTimeout = new("--connect-timeout") { Description = "Connect timeout of the first attempt (default 400ms); each retry adds half of it." };
    private readonly Option<string?> backOff = new("--back-off") { Description = "Pause before the second attempt (default 100ms); each retry adds as much again." };
    private readonly Option<string?> profiles = ProfilesOption();

    /// <summary>The --profiles option, shared with ssh-config.</summary>
    public static Option<string?> ProfilesOption() =>
        new("--profiles") { Description = "The profiles file (default ~/.config/nftknock/client.yaml, %APPDATA%\\nftknock\\client.yaml on Windows)." };

    public Option<bool> Verbose { get; } = new("--verbose", "-v") { Description = "Say on stderr what is sent and when." };

    public void AddTo(Command command)
    {
        command.Add(ipv4);
        command.Add(ipv6);
        command.Add(attempts);
        command.Add(gap);
        command.Add(connectTimeout);
        command.Add(backOff);
        command.Add(profiles);
        command.Add(Verbose);
    }

    /// <summary>The options' values in <paramref name="parse"/>.</summary>
    public ClientArgs Read(ParseResult parse) => new(
        parse.GetValue(ipv4),
        parse.GetValue(ipv6),
        parse.GetValue(attempts),
        parse.GetValue(gap),
        parse.GetValue(connectTimeout),
        parse.GetValue(backOff),
        parse.GetValue(profiles),
        parse.GetValue(Verbose));
}
