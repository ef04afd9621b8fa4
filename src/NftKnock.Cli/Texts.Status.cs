using System.Globalization;
using NftKnock.Core.Diagnostics;
using NftKnock.Server.Doctor;

namespace NftKnock.Cli;

/// <summary>User-facing lines of status and doctor, and the command line's own.</summary>
internal static partial class Texts
{
    public static string UsageError(string message) => $"nftknock: {message} Run 'nftknock --help' for usage.";

    public static string Problem(string text) => $"nftknock: {text}";

    public static string StatusTable(string table, int doors) => $"table inet {table}: {Count(doors, "door")}";

    /// <summary>Status's warning for a table in audit mode, under its first line.</summary>
    public const string StatusAudit =
        "AUDIT MODE: protected ports let every new connection through. Those enforcing would refuse are counted (audited) and logged once a day per source (nftknock events, kind would-drop). Run nftknock apply --confirm 60s without --audit to enforce.";

    /// <summary>What apply says after loading a table in audit mode.</summary>
    public const string AppliedAudit =
        "AUDIT MODE: nothing is refused yet. Connections without a grant are let through, counted and logged as would-drop; watch nftknock events, then apply without --audit (and without audit: true) to enforce.";

    public static string StatusDoor(string name, IEnumerable<string> protect, int steps, IEnumerable<KeyValuePair<string, long>> counters) =>
        $"door {name}: protects {string.Join(", ", protect)}; {Count(steps, "step")}; {string.Join(", ", counters.Select(c => $"{c.Key} {c.Value.ToString(CultureInfo.InvariantCulture)}"))}";

    /// <summary>One client of a rotating door; the name comes from the table, so it is shown escaped.</summary>
    public static string StatusClient(string name, long grants, long replays, long? outside = null) =>
        Visible.Escape(string.Create(CultureInfo.InvariantCulture, $"  client {name}: grants {grants}, replays {replays}{(outside is { } o ? $", outside {o}" : string.Empty)}"));

    /// <summary>Until when a rotating door's knocks are loaded: rotate renews them every period.</summary>
    public static string StatusKnocksUntil(DateTimeOffset until) =>
        $"  rotating knocks loaded until {Server.ServerTexts.Stamp(until)} (nftknock rotate renews them each period)";

    public const string StatusKnocksExpired = "  rotating knocks all expired: nobody can knock in. Start nftknock rotate (systemctl start nftknock-rotate.service).";

    public const string StatusIdle = "  no grants and no knocks in progress";

    public const string StatusOpen = "open";

    public static string StatusStep(int stage, int steps) =>
        $"step {stage.ToString(CultureInfo.InvariantCulture)} of {steps.ToString(CultureInfo.InvariantCulture)}";

    public static string StatusHidden(int open, int inProgress, int hidden) =>
        $"  {open} open and {inProgress} in progress in all; {hidden} not shown (nftknock status --json lists every one).";

    public const string ColumnSource = "source";

    public const string ColumnState = "state";

    public const string ColumnLeft = "time left";

    public const string ConfigCheck = "config";

    public static string ConfigMissing(string path) => $"{path} does not exist";

    public const string ConfigMissingFix = "Write a config (see /usr/share/doc/nftknock/nftknock.yaml) or pass -c FILE.";

    public static string ConfigValid(string path, int doors) => $"{path}: valid, {Count(doors, "door")}";

    public static string ConfigUnusable(string path) => $"{path} cannot be used";

    public static string ConfigUnusableFix(string path) => $"Fix the errors that nftknock check -c {path} reports.";

    public static string DoctorLine(DoctorCheck check, int width) =>
        $"{check.Status.ToString().ToUpperInvariant(),-4}  {check.Name.PadRight(width)}  {check.Detail}.{(check.Fix is null ? string.Empty : $" Fix: {check.Fix}")}";

    public static string DoctorSummary(int passed, int warnings, int failed) => $"doctor: {passed} passed, {warnings} warnings, {failed} failed.";
}
