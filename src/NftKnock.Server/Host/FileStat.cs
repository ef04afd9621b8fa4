using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace NftKnock.Server.Host;

/// <summary>What a path or an open file is, as far as reading it is concerned.</summary>
public enum FileKind
{
    /// <summary>A regular file within the size cap.</summary>
    Regular,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A FIFO, device or socket.</summary>
    Other,

    /// <summary>A regular file over the size cap.</summary>
    TooLarge,

    /// <summary>Not known: stat failed (opening the file then says why) or not a Unix system.</summary>
    Unknown,
}

/// <summary>
/// The file type and size, from the runtime's own stat shim (libSystem.Native, shipped with every
/// .NET on Linux and macOS and linked into NativeAOT builds): unlike libc's stat, its layout is
/// the same on every architecture.
/// </summary>
public static class FileStat
{
    private const int TypeMask = 0xF000, DirectoryType = 0x4000, RegularType = 0x8000;

    /// <summary>What <paramref name="path"/> is, following links; over <paramref name="maxBytes"/> a regular file is too large.</summary>
    public static FileKind Of(string path, long maxBytes)
    {
        if (OperatingSystem.IsWindows())
        {
            return System.IO.Directory.Exists(path) ? FileKind.Directory : FileKind.Unknown;
        }

        return SystemNativeStat(path, out var status) == 0 ? Classify(status, maxBytes) : FileKind.Unknown;
    }

    /// <summary>What the open file is; over <paramref name="maxBytes"/> a regular file is too large.</summary>
    public static FileKind Of(SafeFileHandle handle, long maxBytes) =>
        OperatingSystem.IsWindows() || SystemNativeFStat(handle, out var status) != 0 ? FileKind.Unknown : Classify(status, maxBytes);

    private static FileKind Classify(FileStatus status, long maxBytes) => (status.Mode & TypeMask) switch
    {
        RegularType => status.Size > maxBytes ? FileKind.TooLarge : FileKind.Regular,
        DirectoryType => FileKind.Directory,
        _ => FileKind.Other,
    };

    // The shim's FileStatus starts with int Flags, int Mode, uint Uid, uint Gid, long Size; the
    // struct is declared larger than the shim's, so a later runtime that adds fields cannot write past it.
    [StructLayout(LayoutKind.Explicit, Size = 512)]
    private struct FileStatus
    {
        [FieldOffset(4)]
        public int Mode;

        [FieldOffset(16)]
        public long Size;
    }

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SystemNativeStat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, out FileStatus status);

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_FStat")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SystemNativeFStat(SafeFileHandle handle, out FileStatus status);
}
