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
        Description = $"The server config (default {ServerConfig.DefaultPath}).",
        DefaultValueFactory = _ => ServerConfig.DefaultPath,
    };

    /// <summary>The header every generated script starts with.</summary>
    public static string Header(string path) => ScriptHeader.For(path);

    /// <summary>Loads and validates; prints every diagnostic; null (exit 2) when unusable.</summary>
    public static ConfigResult? Load(string path, CliContext context, bool quietWarnings = false)
    {
        if (!FileText.TryRead(path, out var text, out var reason))
        {
            context.Error.WriteLine($"nftknock: cannot read {path}: {reason}. Pass the config with -c FILE.");
            return null;
        }

        var result = ConfigReader.Read(text);
        foreach (var diagnostic in result.Diagnostics)
        {
            if (!quietWarnings || diagnostic.Severity == Severity.Error)
            {
                context.Error.WriteLine(diagnostic.Format(path));
            }
        }

        return result;
    }
}
