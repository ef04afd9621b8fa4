using NftKnock.Core.Config;
using NftKnock.Server.Host;

namespace NftKnock.Cli;

/// <summary>Reads rotating doors' secret files for the config reader; relative paths start at the config's folder.</summary>
internal static class SecretFiles
{
    /// <summary>Where a secret file named in the config at <paramref name="configPath"/> lives.</summary>
    public static string FullPath(string configPath, string path) =>
        Path.IsPathRooted(path) ? path : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(configPath)) ?? ".", path);

    /// <summary>Reads secret files named in <paramref name="configPath"/>, judged by <see cref="SecretFileSafety"/>.</summary>
    public static SecretReader Near(string configPath) => path =>
    {
        var full = FullPath(configPath, path);
        var problem = SecretFileSafety.Problem(full);
        if (!FileText.TryRead(full, out var text, out var reason))
        {
            return new SecretFileContent(null, reason, problem);
        }

        return new SecretFileContent(text, null, problem);
    };
}
