using System.Globalization;
using System.Runtime.InteropServices;

namespace NftKnock.Server.Host;

/// <summary>
/// The one rule of when a secret file is unsafe, shared by check, apply, rotate (through the config
/// reader) and doctor: whoever can read a secret can knock, and whoever can write or replace it
/// decides the knocks.
/// </summary>
public static partial class SecretFileSafety
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7ff;
    private const int SIfMt = 0xF000;
    private const int SIfReg = 0x8000;
    private const int SIfLnk = 0xA000;
    private const int SIfDir = 0x4000;
    private const int SIsVtx = 0x200;
    private const int GroupOrOther = 0x3F;
    private const int GroupOrOtherWrite = 0x12;

    /// <summary>
    /// Null when <paramref name="path"/> is safe, or does not exist (reading it says so); else a phrase
    /// saying why not. Unsafe: a symbolic link, not a regular file, owned by another user, any
    /// permission for group or others, or a directory that another user owns or can write to
    /// (without the sticky bit), since they could replace the file.
    /// </summary>
    public static string? Problem(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        try
        {
            return OperatingSystem.IsLinux() ? ProblemFromStatx(path) : ProblemFromMode(path);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return ProblemFromMode(path);
        }
    }

    /// <summary>Where statx is missing (macOS clients, an old libc): the link and the mode, without owners.</summary>
    private static string? ProblemFromMode(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            return "it is a symbolic link";
        }

        return info.Exists && ((int)info.UnixFileMode & GroupOrOther) != 0
            ? Invariant($"its mode {Octal((int)info.UnixFileMode)} lets group or other users read or write it")
            : null;
    }

    private static string? ProblemFromStatx(string path)
    {
        if (Stat(path, follow: false) is not { } file)
        {
            return null;
        }

        var me = GetEuid();
        if ((file.Mode & SIfMt) == SIfLnk)
        {
            return "it is a symbolic link";
        }

        if ((file.Mode & SIfMt) != SIfReg)
        {
            return "it is not a regular file";
        }

        if (file.Uid != me)
        {
            return Invariant($"it is owned by uid {file.Uid}, not by uid {me} that runs nftknock");
        }

        if ((file.Mode & GroupOrOther) != 0)
        {
            return Invariant($"its mode {Octal(file.Mode)} lets group or other users read or write it");
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? "/";
        if (Stat(directory, follow: true) is not { } parent)
        {
            return null;
        }

        if (parent.Uid != me && parent.Uid != 0)
        {
            return Invariant($"its directory {directory} is owned by uid {parent.Uid}, who could replace the file");
        }

        return (parent.Mode & GroupOrOtherWrite) != 0 && (parent.Mode & SIsVtx) == 0
            ? Invariant($"its directory {directory} (mode {Octal(parent.Mode)}) lets other users replace the file")
            : null;
    }

    /// <summary>
    /// Null when <paramref name="directory"/> may hold secrets that nftknock creates: absent (it will be
    /// created owner-only), or a directory owned by root or the user running nftknock that no other user
    /// can write to. Else a phrase saying why not.
    /// </summary>
    public static string? DirectoryProblem(string directory)
    {
        if (!OperatingSystem.IsLinux() || Stat(directory, follow: false) is not { } status)
        {
            return null;
        }

        var me = GetEuid();
        return (status.Mode & SIfMt) != SIfDir ? "it is not a directory"
            : status.Uid != 0 && status.Uid != me ? Invariant($"it is owned by uid {status.Uid}, not by root")
            : (status.Mode & GroupOrOtherWrite) != 0 ? Invariant($"its mode {Octal(status.Mode)} lets other users add or replace files in it")
            : null;
    }

    /// <summary>A file as <see cref="Identity"/> tells it apart: equal only while nothing about it changed.</summary>
    public readonly record struct FileIdentity(uint DeviceMajor, uint DeviceMinor, ulong Inode, ulong Size, long ChangedSeconds, uint ChangedNanoseconds, long ModifiedSeconds, uint ModifiedNanoseconds);

    /// <summary>A file's mode bits (type included) and owner.</summary>
    internal readonly record struct FileStatus(int Mode, uint Uid);

    /// <summary>lstat (or stat when <paramref name="follow"/>) through statx; null when the path does not exist.</summary>
    internal static FileStatus? Stat(string path, bool follow)
    {
        // struct statx has the same layout on every architecture: stx_uid at 20, stx_mode (u16) at 28.
        var buffer = new byte[256];
        if (Statx(AtFdCwd, path, follow ? 0 : AtSymlinkNoFollow, StatxBasicStats, buffer) != 0)
        {
            return null;
        }

        return new FileStatus(BitConverter.ToUInt16(buffer, 28), BitConverter.ToUInt32(buffer, 20));
    }

    /// <summary>
    /// What changes whenever a file's content, mode, owner or place does: its device and inode, size,
    /// and change and modification times (statx; <paramref name="follow"/> as stat, else as lstat). Null
    /// when the path does not exist or statx is missing, so that nothing unknown counts as unchanged.
    /// </summary>
    public static FileIdentity? Identity(string path, bool follow)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var buffer = new byte[256];
        try
        {
            if (Statx(AtFdCwd, path, follow ? 0 : AtSymlinkNoFollow, StatxBasicStats, buffer) != 0)
            {
                return null;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }

        // struct statx: stx_ino at 32, stx_size at 40, stx_ctime at 96, stx_mtime at 112 (seconds, then
        // nanoseconds), stx_dev_major and stx_dev_minor at 136 and 140.
        return new FileIdentity(
            BitConverter.ToUInt32(buffer, 136), BitConverter.ToUInt32(buffer, 140), BitConverter.ToUInt64(buffer, 32), BitConverter.ToUInt64(buffer, 40),
            BitConverter.ToInt64(buffer, 96), BitConverter.ToUInt32(buffer, 104), BitConverter.ToInt64(buffer, 112), BitConverter.ToUInt32(buffer, 120));
    }

    /// <summary>A mode as <c>0755</c>.</summary>
    internal static string Octal(int mode) => "0" + Convert.ToString(mode & 0xFFF, 8).PadLeft(3, '0');

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, [Out] byte[] buffer);

    /// <summary>The effective user id.</summary>
    [LibraryImport("libc", EntryPoint = "geteuid")]
    internal static partial uint GetEuid();
}
