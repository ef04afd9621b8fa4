using NftKnock.Core.Diagnostics;
using NftKnock.Server.Status;

namespace NftKnock.Cli.Checking;

/// <summary>
/// <c>nftknock check --json</c>: a check result as one JSON document on stdout (diagnostics
/// included), for scripts and configuration management.
/// </summary>
internal static class CheckJson
{
    public static string Write(CheckResult result) => JsonOutput.Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("path", result.Path);
        w.WriteBoolean("valid", result.Config is not null);
        w.WriteNumber("doors", result.Config?.Doors.Count ?? 0);
        w.WriteNumber("errors", result.Count(Severity.Error));
        w.WriteNumber("warnings", result.Count(Severity.Warning));
        w.WriteStartArray("diagnostics");
        foreach (var d in result.Diagnostics)
        {
            w.WriteStartObject();
            w.WriteString("severity", d.Severity == Severity.Error ? "error" : "warning");
            w.WriteString("code", d.Code);
            w.WriteString("path", d.Path);
            w.WriteNumber("line", d.Line);
            w.WriteNumber("column", d.Column);
            w.WriteString("message", d.Message);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteString("dryRun", DryRun(result));
        w.WriteEndObject();
    });

    private static string DryRun(CheckResult result) => result switch
    {
        { Unreadable: { } reason } => $"cannot read the file: {reason}",
        { DryRun: Checking.DryRun.Accepted } => "accepted",
        { DryRun: Checking.DryRun.NotInstalled } => "skipped: nft is not installed",
        { DryRun: Checking.DryRun.NeedsRoot } => "skipped: needs root",
        { DryRun: Checking.DryRun.Refused, Refusal: { } e } => $"refused: {e.FirstError}",
        _ => "skipped: the config has errors",
    };
}
