using NftKnock.Core.Config;
using NftKnock.Server.Host;

namespace NftKnock.Cli;

/// <summary>
/// The config a running <c>nftknock rotate</c> read last, with its secrets, kept while nothing it was read
/// from changed: the config file, every secret file it named, and their folders (whose owner and mode
/// decide whether a secret is safe). A wake then looks at those files instead of reading and parsing
/// them: at 1,000 clients 1,000 secret files and the YAML, most of a wake's own CPU. Any change, or any
/// file that cannot be looked at, reads everything afresh, and only a config without errors is kept.
/// What the reader makes of the files depends on nothing else: the clock only words warnings, which
/// rotate does not print.
/// </summary>
/// <param name="keep">False for a single wake (<c>rotate --once</c>): nothing is kept, so no file is looked at twice.</param>
internal sealed class ConfigCache(bool keep)
{
    private (string Path, ConfigResult Result, List<(string Path, bool Follow, SecretFileSafety.FileIdentity? Identity)> Files)? kept;

    /// <summary>Loads the config at <paramref name="path"/> as <see cref="ConfigLoader.Load(string, CliContext, bool, bool)"/> does, quietly, or returns the one kept.</summary>
    public ConfigResult? Load(string path, CliContext context)
    {
        if (!keep)
        {
            return ConfigLoader.Load(path, context, quietWarnings: true);
        }

        if (kept is { } last && last.Path == path && last.Files.All(f => f.Identity is { } known && SecretFileSafety.Identity(f.Path, f.Follow) == known))
        {
            return last.Result;
        }

        kept = null;

        // Each file is looked at before it is read: a change in between reads it again at the next wake.
        List<(string, bool, SecretFileSafety.FileIdentity?)> files = [(path, true, SecretFileSafety.Identity(path, follow: true))];
        var folders = new HashSet<string>(StringComparer.Ordinal);
        var secrets = SecretFiles.Near(path);
        var result = ConfigLoader.Load(path, context, quietWarnings: true, secret =>
        {
            var full = SecretFiles.FullPath(path, secret);
            var folder = Path.GetDirectoryName(Path.GetFullPath(full)) ?? "/";
            files.Add((full, false, SecretFileSafety.Identity(full, follow: false)));
            if (folders.Add(folder))
            {
                files.Add((folder, true, SecretFileSafety.Identity(folder, follow: true)));
            }

            return secrets(secret);
        });
        if (result?.Config is not null)
        {
            kept = (path, result, files);
        }

        return result;
    }
}
