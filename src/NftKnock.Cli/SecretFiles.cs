using NftKnock.Core.Config;

namespace NftKnock.Cli;

/// <summary>Reads rotating doors' secret files for the config reader; relative paths start at the config's folder.</summary>
internal static class SecretFiles
{
    private const UnixFileMode Others = UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Where a secret file named in the config at <paramref name="configPath"/> lives.</summary>
    public static string FullPath(string configPath, string path) =>
        Path.IsPathRooted(path) ? path : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(configPath)) ?? ".", path);

    public static SecretReader Near(string configPath) => path =>
    {
        var full = FullPath(configPath, path);
        if (!FileText.TryRead(full, out var text, out var reason))
        {
            return new SecretFileContent(null, reason, false);
        }

        var exposed = !OperatingSystem.IsWindows() && (File.GetUnixFileMode(full) & Others) != 0;
        return new SecretFileContent(text, null, exposed);
    };
}
