using System.CommandLine;
using NftKnock.Core.Config;
using NftKnock.Core.Diagnostics;
using NftKnock.Core.Model;
using NftKnock.Core.Ruleset;

namespace NftKnock.Cli;

/// <summary>Reads the server config named by -c and reports its diagnostics on stderr.</summary>
internal static class ConfigLoader
{
    public static Option<string> Option() => new("--config", "-c")
    {
        Description = "The server config.",
        DefaultValueFactory = _ => ServerConfig.DefaultPath,
    };

    /// <summary>The header every generated script starts with.</summary>
    public static string Header(string path) => ScriptHeader.For(path);

    /// <summary>
    /// Loads and validates; prints every diagnostic; null (exit 2) when unusable. Rotating doors'
    /// secret files are read too unless <paramref name="readSecrets"/> is false (render needs none).
    /// </summary>
    public static ConfigResult? Load(string path, CliContext context, bool quietWarnings = false, bool readSecrets = true) =>
        Load(path, context, quietWarnings, readSecrets ? SecretFiles.Near(path) : null);

    /// <summary>As <see cref="Load(string, CliContext, bool, bool)"/>, reading secret files through <paramref name="secrets"/> (null: none).</summary>
    public static ConfigResult? Load(string path, CliContext context, bool quietWarnings, SecretReader? secrets)
    {
        var result = Read(path, secrets, context.Time.GetUtcNow(), out var reason);
        if (result is null)
        {
            context.Error.WriteLine(Texts.CannotReadConfig(path, reason!));
            return null;
        }

        foreach (var diagnostic in result.Diagnostics)
        {
            if (!quietWarnings || diagnostic.Severity == Severity.Error)
            {
                context.Error.WriteLine(diagnostic.Format(path));
            }
        }

        return result;
    }

    /// <summary>
    /// Reads and validates without printing; null with <paramref name="reason"/> when the file cannot be
    /// read. Limits that expired before <paramref name="now"/> are warned about.
    /// </summary>
    public static ConfigResult? Read(string path, bool readSecrets, DateTimeOffset now, out string? reason) =>
        Read(path, readSecrets ? SecretFiles.Near(path) : null, now, out reason);

    private static ConfigResult? Read(string path, SecretReader? secrets, DateTimeOffset now, out string? reason)
    {
        if (!FileText.TryRead(path, out var text, out reason))
        {
            return null;
        }

        return ConfigReader.Read(text, secrets, now);
    }
}
