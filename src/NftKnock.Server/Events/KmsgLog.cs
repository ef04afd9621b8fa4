using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace NftKnock.Server.Events;

/// <summary>
/// Reads /dev/kmsg: each read(2) returns one record, a non-blocking read says EAGAIN at the end, and
/// poll(2) says when a new record arrives. Opening it needs root (CAP_SYSLOG) unless
/// kernel.dmesg_restrict is 0. Record times count from boot on the monotonic clock; the boot's wall
/// time is taken once, from the same clock and <paramref name="time"/>.
/// </summary>
/// <param name="time">The wall clock.</param>
/// <param name="path">The device, normally /dev/kmsg.</param>
public sealed partial class KmsgLog(TimeProvider time, string path = KmsgLog.Device) : IKernelLog
{
    /// <summary>The kernel log device.</summary>
    public const string Device = "/dev/kmsg";

    private const int ReadOnlyNonBlocking = 0x800 | 0x80000; // O_RDONLY | O_NONBLOCK | O_CLOEXEC
    private const int Again = 11;
    private const int Interrupted = 4;
    private const int BrokenPipe = 32; // records were overwritten before they were read: go on with the next
    private const int PermissionDenied = 1;
    private const int AccessDenied = 13;
    private const short PollIn = 1;

    /// <inheritdoc/>
    public string Name => Device;

    /// <inheritdoc/>
    public async IAsyncEnumerable<KernelRecord> ReadAsync(DateTimeOffset? since, bool follow, [EnumeratorCancellation] CancellationToken cancel)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new KernelLogException(KernelLogFailure.Unavailable, Device, ServerTexts.NoKmsg);
        }

        var boot = time.GetUtcNow() - Stopwatch.GetElapsedTime(0);
        var fd = Open(path);
        try
        {
            var buffer = new byte[8192];
            while (!cancel.IsCancellationRequested)
            {
                var n = Read(fd, buffer, buffer.Length);
                if (n > 0)
                {
                    if (KernelRecords.TryParseKmsg(Encoding.UTF8.GetString(buffer, 0, (int)n), boot, out var record) && (since is null || record.Time >= since))
                    {
                        yield return record;
                    }

                    continue;
                }

                var errno = n < 0 ? Marshal.GetLastPInvokeError() : Again;
                if (errno is Interrupted or BrokenPipe)
                {
                    continue;
                }

                if (errno != Again)
                {
                    throw new KernelLogException(KernelLogFailure.Unavailable, Device, new System.ComponentModel.Win32Exception(errno).Message);
                }

                if (!follow)
                {
                    yield break;
                }

                // Wait for the next record in short polls, so cancellation is seen within a quarter second.
                await Task.Run(() => Poll(fd, 250), CancellationToken.None);
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    private static int Open(string path)
    {
        var fd = OpenFile(path, ReadOnlyNonBlocking);
        if (fd >= 0)
        {
            return fd;
        }

        var errno = Marshal.GetLastPInvokeError();
        throw new KernelLogException(
            errno is PermissionDenied or AccessDenied ? KernelLogFailure.PermissionDenied : KernelLogFailure.Unavailable,
            Device,
            new System.ComponentModel.Win32Exception(errno).Message);
    }

    private static void Poll(int fd, int milliseconds)
    {
        var descriptor = new PollFd { Fd = fd, Events = PollIn };
        _ = PollFile(ref descriptor, 1, milliseconds);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int OpenFile(string path, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint Read(int fd, [Out] byte[] buffer, nint count);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int PollFile(ref PollFd fds, nuint count, int timeout);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
