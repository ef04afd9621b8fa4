using NftKnock.Cli.Commands;
using NftKnock.Client.Settings;

namespace NftKnock.Cli;

/// <summary>
/// Reads the common forms of a <c>connect</c> command line without building the command tree.
/// connect is the ProxyCommand, started cold before every ssh session, and System.CommandLine's
/// tree of every command costs it more than the knock itself. Anything this reader is not sure of
/// (help, an unknown or repeated option, <c>--opt=value</c>, a response file, a missing argument)
/// gives null, and the full parser takes the command line, errors and all.
/// It pays on Windows and macOS, whose builds start under the JIT: about 15 ms of CPU per connect
/// (40 ms against 52-59 with the full parser, ReadyToRun build). The NativeAOT Linux binary builds
/// the tree in well under a millisecond, so there the two paths measure the same.
/// </summary>
internal static class QuickConnect
{
    /// <summary>The values of a plain connect command line, or null to leave it to the full parser.</summary>
    public static ConnectArgs? TryParse(IReadOnlyList<string> args)
    {
        if (args.Count < 3 || args[0] != "connect")
        {
            return null;
        }

        var given = new ClientArgs();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var positional = new List<string>(args.Count);
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
                positional.Add(token);
                continue;
            }

            if (!seen.Add(Canonical(token)))
            {
                return null;
            }

            switch (token)
            {
                case "-4":
                    given = given with { IPv4 = true };
                    break;
                case "-6":
                    given = given with { IPv6 = true };
                    break;
                case "-v" or "--verbose":
                    given = given with { Verbose = true };
                    break;
                case "--attempts" or "--gap" or "--connect-timeout" or "--back-off" or "--profiles":
                    if (i + 1 >= args.Count || args[i + 1] is not { Length: > 0 } value || value[0] is '-' or '@')
                    {
                        return null;
                    }

                    i++;
                    given = With(given, token, value);
                    break;
                default:
                    return null;
            }

            // A flag may take true or false after it; leave that form to the full parser.
            if (token is "-4" or "-6" or "-v" or "--verbose" && i + 1 < args.Count && bool.TryParse(args[i + 1], out _))
            {
                return null;
            }
        }

        return positional.Count < 2 ? null : new ConnectArgs(positional[0], positional[1], [.. positional.Skip(2)], given);
    }

    private static string Canonical(string option) => option == "-v" ? "--verbose" : option;

    private static ClientArgs With(ClientArgs given, string option, string value) => option switch
    {
        "--attempts" => given with { Attempts = value },
        "--gap" => given with { Gap = value },
        "--connect-timeout" => given with { ConnectTimeout = value },
        "--back-off" => given with { BackOff = value },
        _ => given with { Profiles = value },
    };
}
