using System.Globalization;
using NftKnock.Cli.Checking;
using NftKnock.Core.Diagnostics;
using NftKnock.Server;
using NftKnock.Server.Nftables;

namespace NftKnock.Cli;

/// <summary>User-facing sentences of the commands, kept in one place.</summary>
internal static partial class Texts
{
    public const string NeedsRoot = "nftknock: {0} changes or reads the firewall and needs root or CAP_NET_ADMIN. Run it with sudo.";

    public static string Count(int n, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{n} {noun}{(n == 1 ? string.Empty : "s")}");

    public static string NotRoot(string command) => string.Format(CultureInfo.InvariantCulture, NeedsRoot, command);

    public static string NftRefused(NftException e)
    {
        var at = e.ScriptLine is { } line
            ? string.Create(CultureInfo.InvariantCulture, $" at line {line} of the generated script ({e.OffendingLine})")
            : string.Empty;
        return $"nftknock: nft refused the ruleset{at}: {e.FirstError} Nothing was changed; run nftknock render to see the script.";
    }

    /// <summary>The config that would name the table cannot be read.</summary>
    public static string CannotReadTableConfig(string path, string reason) =>
        Visible.Escape($"nftknock: cannot read {path}: {reason}. Name the table with --table, or the config with -c FILE.");

    /// <summary>The config named with -c cannot be read.</summary>
    public static string CannotReadConfig(string path, string reason) =>
        Visible.Escape($"nftknock: cannot read {path}: {reason}. Pass the config with -c FILE.");

    public static string NftMissing() =>
        "nftknock: nft is not installed. Install it (apt-get install nftables) and try again.";

    public const string NftPermissionDenied = "nftknock: nft was refused permission. Run nftknock with sudo (root or CAP_NET_ADMIN).";

    /// <summary>nft failed outside a script (a listing).</summary>
    public static string NftFailed(NftException e) => $"nftknock: nft failed: {e.FirstError}";

    public static string ForeignTable(string table) =>
        $"nftknock: table inet {table} exists and was not made by nftknock, so it is left untouched. Set table: to another name in the config.";

    public static string NftOutputUnreadable(string reason) =>
        $"nftknock: cannot read nft's output: {reason}. {ServerTexts.ListingUnreadableFix}";

    /// <summary>status of a table that is not there.</summary>
    public static string NoTable(string table) => $"nftknock: there is no table inet {table}. Run nftknock apply first.";

    /// <summary>The rollback watcher cannot read its pending apply.</summary>
    public static string PendingUnreadable(string path, string reason) => $"nftknock: cannot read the pending apply {path}: {reason}";

    /// <summary>The rollback watcher's pending apply names a table outside the grammar.</summary>
    public static string PendingBadTable(string path) => $"nftknock: the pending apply {path} names an invalid table; nothing was restored.";

    public const string InstallNeedsBinary = "nftknock: install copies a self-contained nftknock binary, and this one runs under dotnet or cannot be found. Run install from the published binary (packaging/build.sh), or pass --binary PATH.";

    /// <summary>install and uninstall on Windows.</summary>
    public static string LinuxOnly(string command) => $"nftknock: {command} is for Linux servers.";

    /// <summary>An install step failed; <paramref name="reason"/> is a full sentence.</summary>
    public static string InstallStepFailed(string reason) => $"nftknock: {reason} Nothing after this step was done.";

    /// <summary>check's verdict on a usable config.</summary>
    public static string CheckValid(string path, int doors, int warnings, string dryRun) =>
        Visible.Escape($"{path}: valid, {Count(doors, "door")}, {Count(warnings, "warning")}; {dryRun}.");

    /// <summary>check's dry run, as the end of its verdict.</summary>
    public static string DryRun(DryRun dryRun) => dryRun switch
    {
        Checking.DryRun.Accepted => "nft --check accepts the ruleset",
        Checking.DryRun.NotInstalled => "nft is not installed, so the dry run was skipped",
        Checking.DryRun.NeedsRoot => "the dry run needs root, so it was skipped",
        _ => throw new ArgumentOutOfRangeException(nameof(dryRun), dryRun, "a refused or skipped dry run has no verdict"),
    };
}
