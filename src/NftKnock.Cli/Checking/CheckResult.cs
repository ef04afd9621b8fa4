using NftKnock.Core.Config;
using NftKnock.Core.Diagnostics;
using NftKnock.Core.Model;
using NftKnock.Server.Nftables;

namespace NftKnock.Cli.Checking;

/// <summary>What became of <c>nft --check</c> on the config's ruleset.</summary>
internal enum DryRun
{
    /// <summary>Not run: the config could not be read or has errors.</summary>
    NotRun,

    /// <summary>nft accepted the ruleset.</summary>
    Accepted,

    /// <summary>nft refused the ruleset.</summary>
    Refused,

    /// <summary>Skipped: nft is not installed.</summary>
    NotInstalled,

    /// <summary>Skipped: nft needs root.</summary>
    NeedsRoot,
}

/// <summary>
/// One run of <c>nftknock check</c>: the file, what reading it found, and the dry run.
/// Text and JSON are two renderings of this one result.
/// </summary>
/// <param name="Path">The config as the command line named it.</param>
/// <param name="Unreadable">Why the file could not be read, or null when it was read.</param>
/// <param name="Read">The validated config and its diagnostics, or null when the file could not be read.</param>
/// <param name="DryRun">What <c>nft --check</c> made of the ruleset.</param>
/// <param name="Refusal">nft's refusal, when <see cref="DryRun"/> is <see cref="Checking.DryRun.Refused"/>.</param>
internal sealed record CheckResult(string Path, string? Unreadable, ConfigResult? Read, DryRun DryRun, NftException? Refusal = null)
{
    /// <summary>The usable config, or null.</summary>
    public ServerConfig? Config => Read?.Config;

    /// <summary>Every diagnostic, errors and warnings, in the reader's order.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics => Read?.Diagnostics ?? [];

    /// <summary>2 when the config cannot be used, 1 when nft refused its ruleset, else 0.</summary>
    public int ExitCode => Config is null ? ExitCodes.Usage : DryRun == DryRun.Refused ? ExitCodes.Failure : ExitCodes.Ok;

    /// <summary>How many diagnostics have <paramref name="severity"/>.</summary>
    public int Count(Severity severity) => Diagnostics.Count(d => d.Severity == severity);
}
