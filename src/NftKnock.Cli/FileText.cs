using System.Runtime.InteropServices;
using System.Text;
using NftKnock.Server.Host;

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
            if (Refusal(FileStat.Of(path, MaxBytes)) is { } refused)
            {
                reason = refused;
                return false;
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);

            // Looked at again once open, in case the name was swapped in between.
            if (Refusal(FileStat.Of(stream.SafeFileHandle, MaxBytes)) is { } swapped)
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

    private static string? Refusal(FileKind type) => type switch
    {
        FileKind.Directory => "it is a directory",
        FileKind.Other => "it is not a regular file",
        FileKind.TooLarge => TooLarge,
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
}
