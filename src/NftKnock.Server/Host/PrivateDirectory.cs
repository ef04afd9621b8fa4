using System.Globalization;

namespace NftKnock.Server.Host;

/// <summary>
/// The run and state directories (<c>/run/nftknock</c>, <c>/var/lib/nftknock</c>, or where
/// <c>NFTKNOCK_RUN_DIR</c> / <c>NFTKNOCK_STATE_DIR</c> point): whoever can write in them can plant a
/// symbolic link that root then writes through, or replace the records that guard rollbacks and
/// rotating windows. So a directory nftknock creates is 0700 from the start, and one it finds must
/// already be safe: its mode is never changed, since it may be someone else's (a shared /tmp).
/// </summary>
public static class PrivateDirectory
{
    private const int SIfMt = 0xF000;
    private const int SIfDir = 0x4000;
    private const int SIfLnk = 0xA000;
    private const int GroupOrOtherWrite = 0x12;

    /// <summary>Owner-only: the mode a directory nftknock creates has.</summary>
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// Creates <paramref name="path"/> owner-only when it is missing; throws <see cref="UnsafeDirectoryException"/>
    /// when it exists and is a symbolic link, not a directory, owned by another user than the one running
    /// nftknock, or writable by group or others.
    /// </summary>
    public static void Ensure(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        if (Problem(path) is { } problem)
        {
            throw new UnsafeDirectoryException(path, problem);
        }

        if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path, OwnerOnly);
        }
    }

    /// <summary>Null when <paramref name="path"/> is safe or missing; else a phrase saying why not.</summary>
    public static string? Problem(string path)
    {
        if (OperatingSystem.IsWindows() || SecretFileSafety.Stat(path, follow: false) is not { } found)
        {
            return null;
        }

        var me = SecretFileSafety.GetEuid();
        return (found.Mode & SIfMt) switch
        {
            SIfLnk => "it is a symbolic link",
            not SIfDir => "it is not a directory",
            _ when found.Uid != me => Invariant($"it is owned by uid {found.Uid}, not by uid {me} that runs nftknock"),
            _ when (found.Mode & GroupOrOtherWrite) != 0 => Invariant($"its mode {SecretFileSafety.Octal(found.Mode)} lets other users write to it"),
            _ => null,
        };
    }

    /// <summary>
    /// Writes <paramref name="path"/> whole through a new temporary file beside it, created with O_EXCL
    /// (which never follows a symbolic link), flushed, then renamed over the old file: a rename replaces a
    /// planted link itself, never what it points to, and a reader sees the old file or the new one.
    /// </summary>
    public static void WriteAtomic(string path, string text, bool flushToDisk = false)
    {
        var temp = path + ".tmp" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        File.Delete(temp);
        using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            file.Write(System.Text.Encoding.UTF8.GetBytes(text));
            file.Flush(flushToDisk);
        }

        File.Move(temp, path, overwrite: true);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The run or state directory is not safe to keep nftknock's files in.</summary>
public sealed class UnsafeDirectoryException(string path, string problem)
    : IOException($"{path} is not safe for nftknock's files: {problem}")
{
    /// <summary>The directory.</summary>
    public string Path { get; } = path;

    /// <summary>Why it is not safe.</summary>
    public string Problem { get; } = problem;
}
