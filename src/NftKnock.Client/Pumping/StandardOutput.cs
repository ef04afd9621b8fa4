using System.Runtime.InteropServices;

namespace NftKnock.Client.Pumping;

/// <summary>
/// The process's standard output as a stream whose <see cref="Stream.Dispose()"/> really ends it for
/// the reader. The runtime keeps duplicates of descriptor 1 (its own, and one per console stream), so
/// closing one copy leaves the pipe open and the reader never sees EOF; on Linux every copy is
/// pointed at /dev/null instead, which is the half-close that <c>nc</c> gives its reader.
/// </summary>
public sealed class StandardOutput(Stream inner) : Stream
{
    private bool closed;

    /// <summary>Opens standard output.</summary>
    public static Stream Open() => new StandardOutput(Console.OpenStandardOutput());

    /// <inheritdoc/>
    public override bool CanRead => false;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => !closed;

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc/>
    public override void Flush() => inner.Flush();

    /// <inheritdoc/>
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);

    /// <inheritdoc/>
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.WriteAsync(buffer, cancellationToken);

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !closed)
        {
            closed = true;
            inner.Dispose();
            if (OperatingSystem.IsLinux())
            {
                NullEveryCopy();
            }
        }

        base.Dispose(disposing);
    }

    private static void NullEveryCopy()
    {
        const string fds = "/proc/self/fd";
        try
        {
            var target = new FileInfo($"{fds}/1").LinkTarget;
            // Only pipes and sockets signal EOF on close; when stderr shares the pipe, the
            // reader sees EOF at exit anyway and diagnostics must keep flowing.
            if (target is null || !(target.StartsWith("pipe:", StringComparison.Ordinal) || target.StartsWith("socket:", StringComparison.Ordinal))
                || target == new FileInfo($"{fds}/2").LinkTarget)
            {
                return;
            }

            using var devNull = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.Write);
            var nullFd = (int)devNull.DangerousGetHandle();
            foreach (var entry in Directory.GetFiles(fds))
            {
                if (int.TryParse(Path.GetFileName(entry), out var fd) && fd != nullFd && LinkTarget(entry) == target)
                {
                    // dup2 swaps the copy for /dev/null in place, so the descriptor number stays
                    // valid for whoever holds it and cannot be reused by a new file.
                    _ = Native.Dup2(nullFd, fd);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: without /proc the reader sees EOF when the process exits.
        }
    }

    private static string? LinkTarget(string entry)
    {
        try
        {
            return new FileInfo(entry).LinkTarget;
        }
        catch (IOException)
        {
            // The descriptor was closed while the folder was listed (the listing's own, for one).
            return null;
        }
    }

    private static class Native
    {
        [DllImport("libc", EntryPoint = "dup2", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Dup2(int oldFd, int newFd);
    }
}
