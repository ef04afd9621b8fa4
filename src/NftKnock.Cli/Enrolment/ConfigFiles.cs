using NftKnock.Core.Config;

namespace NftKnock.Cli.Enrolment;

/// <summary>Writes the operator's config and client secrets: never a half-written config, never a secret others could read.</summary>
internal static class ConfigFiles
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Replaces <paramref name="path"/>'s text through a file beside it that is renamed into place, so a crash
    /// leaves the old config or the new one; the new file keeps the old one's mode.
    /// </summary>
    public static void Replace(string path, string text)
    {
        var temp = path + ".nftknock-new";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = File.Exists(path) ? File.GetUnixFileMode(path) : OwnerOnly;
        }

        using (var stream = new FileStream(temp, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, options.UnixCreateMode!.Value);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Creates a secret file owner-only from the start and never over an existing one.</summary>
    public static void CreateSecret(string path, byte[] secret) => CreateOwnerOnly(path, Core.Rotating.RotatingSecret.Format(secret));

    /// <summary>Creates <paramref name="path"/> owner-only from the start (no window where others could read it); never over an existing file.</summary>
    public static void CreateOwnerOnly(string path, string text)
    {
        CreateFolderOf(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        using var writer = new StreamWriter(path, options);
        writer.Write(text);
    }

    /// <summary>Creates the folder <paramref name="path"/> goes in, when missing, for its owner alone.</summary>
    public static void CreateFolderOf(string path)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } dir && !Directory.Exists(dir))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(dir);
            }
            else
            {
                Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
    }

    /// <summary>A secret reader that also knows a secret not written yet, to validate a config before anything is written.</summary>
    public static SecretReader With(string configPath, string newPath, byte[] secret)
    {
        var disk = SecretFiles.Near(configPath);
        return path => SecretFiles.FullPath(configPath, path) == newPath
            ? new SecretFileContent(Core.Rotating.RotatingSecret.Format(secret), null, null)
            : disk(path);
    }
}
