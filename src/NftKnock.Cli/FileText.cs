using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace NftKnock.Cli;

/// <summary>
/// Reads the files that commands are pointed at (configs, profiles, secrets), turning failures into
/// words for a one-line error. Only regular files are read, and only up to <see cref="MaxBytes"/>:
/// a directory, a FIFO (which would block forever) or a device (/dev/zero never ends) is refused
/// before it is opened.
/// </summary>
internal static class FileText
{
    /// <summary>The largest file read, 1 MiB: a config with a hundred doors is a few dozen kilobytes.</summary>
    public const int MaxBytes = 1 << 20;

    /// <summary>Reads <paramref name="path"/>; false with <paramref name="reason"/> when it cannot.</summary>
    public static bool TryRead(string path, out string text, out string reason)
    {
        text = string.Empty;
        try
        {
            // Looked at before it is opened: opening a FIFO for reading waits for a writer, and no signal ends that wait.
            if (Refusal(Native.Stat(path)) is { } refused)
            {
                reason = refused;
                return false;
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);

            // Looked at again once open, in case the name was swapped in between.
            if (Refusal(Native.Stat(stream.SafeFileHandle)) is { } swapped)
            {
                reason = swapped;
                return false;
            }

            // Sized by the file, so a small profile costs connect's cold start no megabyte; a file
            // that grows while it is read is read on, up to one byte past the cap.
            var bytes = new byte[(stream.CanSeek ? (int)Math.Min(stream.Length, MaxBytes) : MaxBytes) + 1];
            var length = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            if (length == bytes.Length && length <= MaxBytes)
            {
                Array.Resize(ref bytes, MaxBytes + 1);
                length += stream.ReadAtLeast(bytes.AsSpan(length), bytes.Length - length, throwOnEndOfStream: false);
            }

            if (length > MaxBytes)
            {
                reason = TooLarge;
                return false;
            }

            using var reader = new StreamReader(new MemoryStream(bytes, 0, length), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            text = reader.ReadToEnd();
            reason = string.Empty;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            reason = Describe(e);
            return false;
        }
    }

    /// <summary>
    /// Words for why a file could not be read or written, without the exception's message: .NET
    /// built with UseSystemResourceKeys (as nftknock is) prints resource keys such as
    /// <c>IO_FileNotFound_FileName</c> there.
    /// </summary>
    public static string Describe(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "the file does not exist",
        UnauthorizedAccessException => "permission denied",
        PathTooLongException => "the path is too long",
        IOException { HResult: > 0 and < 0x10000 } io when !OperatingSystem.IsWindows() => Errno(io.HResult),
        _ => "the file cannot be read",
    };

    private const string TooLarge = "the file is larger than 1 MiB, too large for nftknock to read";

    private static string? Refusal(Native.FileType type) => type switch
    {
        Native.FileType.Directory => "it is a directory",
        Native.FileType.Other => "it is not a regular file",
        Native.FileType.TooLarge => TooLarge,
        _ => null,
    };

    /// <summary>On Unix the runtime puts errno in HResult; strerror's words, lower-cased like the others.</summary>
    private static string Errno(int errno)
    {
        var text = Marshal.GetPInvokeErrorMessage(errno).TrimEnd('.');
        return text.Length > 1 && char.IsUpper(text[0]) && !char.IsUpper(text[1])
            ? char.ToLowerInvariant(text[0]) + text[1..]
            : text;
    }

    /// <summary>
    /// The file type and size, from the runtime's own stat shim (libSystem.Native, shipped with every
    /// .NET on Linux and macOS and linked into NativeAOT builds): unlike libc's stat, its layout is
    /// the same on every architecture.
    /// </summary>
    internal static class Native
    {
        public enum FileType
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

        private const int TypeMask = 0xF000, DirectoryType = 0x4000, RegularType = 0x8000;

        public static FileType Stat(string path)
        {
            if (OperatingSystem.IsWindows())
            {
                return System.IO.Directory.Exists(path) ? FileType.Directory : FileType.Unknown;
            }

            return SystemNativeStat(path, out var status) == 0 ? Classify(status) : FileType.Unknown;
        }

        public static FileType Stat(SafeFileHandle handle) =>
            OperatingSystem.IsWindows() || SystemNativeFStat(handle, out var status) != 0 ? FileType.Unknown : Classify(status);

        private static FileType Classify(FileStatus status) => (status.Mode & TypeMask) switch
        {
            RegularType => status.Size > MaxBytes ? FileType.TooLarge : FileType.Regular,
            DirectoryType => FileType.Directory,
            _ => FileType.Other,
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
}
