using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using NftKnock.Core.Config;
using NftKnock.Core.Diagnostics;
using NftKnock.Core.Ruleset;
using NftKnock.Nftables;

namespace NftKnock.Cli;

/// <summary>
/// <c>nftknock check --json</c>: the same verdict as check, as one JSON document on stdout
/// (diagnostics included), for scripts and configuration management.
/// </summary>
internal static class CheckJson
{
    public static async Task<int> RunAsync(CliContext context, string path, CancellationToken cancel)
    {
        if (!FileText.TryRead(path, out var text, out var reason))
        {
            context.Out.WriteLine(Write(path, null, [], $"cannot read the file: {reason}"));
            return ExitCodes.Usage;
        }

        var result = PublicSequences.WithWarnings(ConfigReader.Read(text, SecretFiles.Near(path)));
        if (result.Config is not { } valid)
        {
            context.Out.WriteLine(Write(path, null, result.Diagnostics, "skipped: the config has errors"));
            return ExitCodes.Usage;
        }

        string dryRun;
        var code = ExitCodes.Ok;
        try
        {
            await new TableService(context.Nftables()).CheckAsync(Planner.Plan(valid), ConfigLoader.Header(path), cancel);
            dryRun = "accepted";
        }
        catch (NftException e)
        {
            dryRun = e.Kind switch
            {
                NftFailureKind.NotInstalled => "skipped: nft is not installed",
                NftFailureKind.PermissionDenied => "skipped: needs root",
                _ => $"refused: {e.FirstError}",
            };
            code = e.Kind == NftFailureKind.Refused ? ExitCodes.Failure : ExitCodes.Ok;
        }

        context.Out.WriteLine(Write(path, result, result.Diagnostics, dryRun));
        return code;
    }

    private static string Write(string path, ConfigResult? result, IReadOnlyList<Diagnostic> diagnostics, string dryRun)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("path", path);
            w.WriteBoolean("valid", result?.Config is not null);
            w.WriteNumber("doors", result?.Config?.Doors.Count ?? 0);
            w.WriteNumber("errors", diagnostics.Count(d => d.Severity == Severity.Error));
            w.WriteNumber("warnings", diagnostics.Count(d => d.Severity == Severity.Warning));
            w.WriteStartArray("diagnostics");
            foreach (var d in diagnostics)
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
            w.WriteString("dryRun", dryRun);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
