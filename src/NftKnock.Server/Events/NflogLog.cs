using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace NftKnock.Server.Events;

/// <summary>
/// Reads nftknock's NFLOG group over an nfnetlink_log socket. NFLOG groups belong to the network
/// namespace: only tables loaded in this namespace (which takes CAP_NET_ADMIN over it) can send to the
/// group read here, so a line from another namespace, a user's own included, never arrives. Binding
/// needs CAP_NET_ADMIN, and a group has one reader at a time. Lines are live only: the group keeps no
/// past, so without follow nothing is read.
/// </summary>
/// <param name="time">The wall clock: a packet is stamped when it is read (each is handed over at once).</param>
/// <param name="group">The NFLOG group.</param>
public sealed partial class NflogLog(TimeProvider time, int group) : IKernelLog
{
    private const int Netlink = 16;
    private const int RawNonBlocking = 3 | 0x800 | 0x80000; // SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC
    private const int NetlinkNetfilter = 12;
    private const int Again = 11;
    private const int Interrupted = 4;
    private const int NoBuffers = 105; // the socket overflowed: lines were lost, the next ones still come
    private const int PermissionDenied = 1;
    private const short PollIn = 1;

    /// <inheritdoc/>
    public string Name => $"NFLOG group {group}";

    /// <inheritdoc/>
    public async IAsyncEnumerable<KernelRecord> ReadAsync(DateTimeOffset? since, bool follow, [EnumeratorCancellation] CancellationToken cancel)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new KernelLogException(KernelLogFailure.Unavailable, Name, ServerTexts.NoNflog);
        }

        if (!follow)
        {
            yield break;
        }

        var fd = Open();
        try
        {
            var buffer = new byte[65536];
            while (!cancel.IsCancellationRequested)
            {
                var n = Receive(fd, buffer, buffer.Length, 0);
                if (n < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno is Again)
                    {
                        // Short polls, so cancellation is seen within a quarter second.
                        await Task.Run(() => Poll(fd, 250), CancellationToken.None);
                    }
                    else if (errno is not (Interrupted or NoBuffers))
                    {
                        throw Failure(errno);
                    }

                    continue;
                }

                foreach (var (_, line) in Nflog.Read(buffer, (int)n, InterfaceName))
                {
                    if (line is not null)
                    {
                        yield return new KernelRecord(time.GetUtcNow(), line);
                    }
                }
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>A socket bound to the group; its acknowledgements read, so a refusal (no right, group taken) fails here.</summary>
    private int Open()
    {
        var fd = Socket(Netlink, RawNonBlocking, NetlinkNetfilter);
        if (fd < 0)
        {
            throw Failure(Marshal.GetLastPInvokeError());
        }

        try
        {
            var address = new byte[12];
            BitConverter.TryWriteBytes(address.AsSpan(), (ushort)Netlink);
            var request = Nflog.Bind(group);
            if (Bind(fd, address, address.Length) < 0 || Send(fd, request, request.Length, 0) < 0)
            {
                throw Failure(Marshal.GetLastPInvokeError());
            }

            AwaitAcknowledgements(fd, 3);
            return fd;
        }
        catch
        {
            _ = Close(fd);
            throw;
        }
    }

    private void AwaitAcknowledgements(int fd, int count)
    {
        var buffer = new byte[8192];
        var until = DateTime.UtcNow.AddSeconds(5);
        while (count > 0 && DateTime.UtcNow < until)
        {
            Poll(fd, 250);
            var n = Receive(fd, buffer, buffer.Length, 0);
            if (n < 0)
            {
                continue;
            }

            foreach (var (errno, _) in Nflog.Read(buffer, (int)n, _ => null))
            {
                if (errno is { } e && e != 0)
                {
                    throw Failure(e);
                }

                count -= errno is null ? 0 : 1;
            }
        }

        if (count > 0)
        {
            throw new KernelLogException(KernelLogFailure.Unavailable, Name, ServerTexts.NflogNoAnswer);
        }
    }

    private KernelLogException Failure(int errno) => errno switch
    {
        PermissionDenied => new KernelLogException(KernelLogFailure.PermissionDenied, Name, new System.ComponentModel.Win32Exception(errno).Message),
        16 => new KernelLogException(KernelLogFailure.Unavailable, Name, ServerTexts.NflogTaken), // EBUSY
        _ => new KernelLogException(KernelLogFailure.Unavailable, Name, new System.ComponentModel.Win32Exception(errno).Message),
    };

    private static string? InterfaceName(int index)
    {
        var name = new byte[16];
        return IndexToName((uint)index, name) == 0 ? null : Encoding.UTF8.GetString(name, 0, Math.Max(0, Array.IndexOf(name, (byte)0)));
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

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    private static partial int Bind(int fd, [In] byte[] address, int length);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    private static partial nint Send(int fd, [In] byte[] buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static partial nint Receive(int fd, [Out] byte[] buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "if_indextoname", SetLastError = true)]
    private static partial nint IndexToName(uint index, [Out] byte[] name);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int PollFile(ref PollFd fds, nuint count, int timeout);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
