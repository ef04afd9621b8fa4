using NftKnock.Cli.Commands;
using NftKnock.Client.Settings;

namespace NftKnock.Cli;

/// <summary>
/// Reads the common forms of a <c>connect</c> or <c>knock</c> command line without building the
/// command tree. connect is the ProxyCommand, started cold before every ssh session, and knock
/// runs before a plain ssh; System.CommandLine's tree, its root's name (read by reflection) and
/// its resources cost a cold NativeAOT knock about a tenth of its CPU, more on the JIT builds for
/// Windows and macOS. Anything this reader is not sure of (help, an unknown or repeated option,
/// <c>--opt=value</c>, a response file, a missing argument) gives null, and the full parser takes
/// the command line, errors and all.
/// </summary>
internal static class QuickConnect
{
    /// <summary>The values of a plain connect command line, or null to leave it to the full parser.</summary>
    public static ConnectArgs? TryParse(IReadOnlyList<string> args) =>
        args.Count >= 3 && args[0] == "connect" && Read(args, knock: false) is { Positional.Count: >= 2 } line
            ? new ConnectArgs(line.Positional[0], line.Positional[1], [.. line.Positional.Skip(2)], line.Given)
            : null;

    /// <summary>The values of a plain knock command line, or null to leave it to the full parser.</summary>
    public static KnockArgs? TryParseKnock(IReadOnlyList<string> args) =>
        args.Count >= 2 && args[0] == "knock" && Read(args, knock: true) is { Positional.Count: >= 1 } line
            ? new KnockArgs(line.Positional[0], [.. line.Positional.Skip(1)], line.Check, line.CheckPort, line.Given)
            : null;

    private static Line? Read(IReadOnlyList<string> args, bool knock)
    {
        var line = new Line();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 1; i < args.Count; i++)
        {
            var token = args[i];
            // @file is a response file and /? asks for help: the full parser knows both.
            if (token.Length == 0 || token[0] is '@' or '/')
            {
                return null;
            }

            if (token[0] != '-')
            {
                line.Positional.Add(token);
                continue;
            }

            if (!seen.Add(Canonical(token)) || !TakeOption(args, ref i, line, knock))
            {
                return null;
            }

            // A flag may take true or false after it; leave that form to the full parser.
            if (token is "-4" or "-6" or "-v" or "--verbose" && i + 1 < args.Count && bool.TryParse(args[i + 1], out _))
            {
                return null;
            }
        }

        return line;
    }

    /// <summary>Takes the option at <paramref name="i"/>, and its value (moving past it); false for one the full parser should read.</summary>
    private static bool TakeOption(IReadOnlyList<string> args, ref int i, Line line, bool knock)
    {
        var token = args[i];
        switch (token)
        {
            case "-4":
                line.Given = line.Given with { IPv4 = true };
                return true;
            case "-6":
                line.Given = line.Given with { IPv6 = true };
                return true;
            case "-v" or "--verbose":
                line.Given = line.Given with { Verbose = true };
                return true;
            case "--attempts" or "--gap" or "--connect-timeout" or "--back-off" or "--profiles":
                if (Value(args, i) is not { } value)
                {
                    return false;
                }

                i++;
                line.Given = With(line.Given, token, value);
                return true;
            case "--check" when knock:
                // Its port is optional: the next word is the port unless it is an option.
                line.Check = true;
                if (i + 1 < args.Count && args[i + 1] is { Length: > 0 } next && next[0] is not '-')
                {
                    if (next[0] is '@' or '/')
                    {
                        return false;
                    }

                    line.CheckPort = next;
                    i++;
                }

                return true;
            default:
                return false;
        }
    }

    private static string? Value(IReadOnlyList<string> args, int option) =>
        option + 1 < args.Count && args[option + 1] is { Length: > 0 } value && value[0] is not ('-' or '@') ? value : null;

    private static string Canonical(string option) => option == "-v" ? "--verbose" : option;

    private static ClientArgs With(ClientArgs given, string option, string value) => option switch
    {
        "--attempts" => given with { Attempts = value },
        "--gap" => given with { Gap = value },
        "--connect-timeout" => given with { ConnectTimeout = value },
        "--back-off" => given with { BackOff = value },
        _ => given with { Profiles = value },
    };

    /// <summary>What a command line gave, as the reader goes.</summary>
    private sealed class Line
    {
        public List<string> Positional { get; } = [];

        public ClientArgs Given { get; set; } = new();

        public bool Check { get; set; }

        public string? CheckPort { get; set; }
    }
}
