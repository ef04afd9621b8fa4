using System.Globalization;
using System.Text.RegularExpressions;

namespace NftKnock.Server.Nftables;

/// <summary>Why a call to nft failed.</summary>
public enum NftFailureKind
{
    /// <summary>The nft binary is not installed.</summary>
    NotInstalled,

    /// <summary>The process lacks CAP_NET_ADMIN.</summary>
    PermissionDenied,

    /// <summary>nft refused the script (syntax or kernel error); nothing changed.</summary>
    Refused,
}

/// <summary>A failed nft call, with nft's own stderr and the script that was sent.</summary>
public sealed partial class NftException(NftFailureKind kind, string stderr, string? script)
    : Exception(Describe(kind, stderr))
{
    /// <summary>The kind of failure.</summary>
    public NftFailureKind Kind { get; } = kind;

    /// <summary>What nft printed on stderr.</summary>
    public string Stderr { get; } = stderr;

    /// <summary>The script that was sent, when there was one.</summary>
    public string? Script { get; } = script;

    /// <summary>The 1-based line of <see cref="Script"/> that nft's first error points at, if any.</summary>
    public int? ScriptLine
    {
        get
        {
            var match = ErrorPosition().Match(Stderr);
            return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
        }
    }

    /// <summary>nft's first error line without its file prefix, e.g. <c>Error: syntax error, ...</c>.</summary>
    public string FirstError
    {
        get
        {
            foreach (var line in Stderr.Split('\n'))
            {
                var at = line.IndexOf("Error:", StringComparison.Ordinal);
                if (at >= 0)
                {
                    return line[at..].Trim();
                }
            }

            return Stderr.Trim().Split('\n')[0];
        }
    }

    /// <summary>The script line the error points at, when known.</summary>
    public string? OffendingLine
    {
        get
        {
            if (Script is null || ScriptLine is not { } line)
            {
                return null;
            }

            var lines = Script.Split('\n');
            return line >= 1 && line <= lines.Length ? lines[line - 1].Trim() : null;
        }
    }

    private static string Describe(NftFailureKind kind, string stderr) => kind switch
    {
        NftFailureKind.NotInstalled => "nft is not installed",
        NftFailureKind.PermissionDenied => "nft needs root or CAP_NET_ADMIN",
        _ => $"nft refused: {stderr.Trim()}",
    };

    [GeneratedRegex(@"^[^:\n]*:(\d+):\d+(?:-\d+)?: Error:", RegexOptions.Multiline)]
    private static partial Regex ErrorPosition();
}
