using System.Runtime.InteropServices;

namespace NftKnock.Server.Host;

/// <summary>
/// A non-blocking nfnetlink socket (NETLINK_NETFILTER) of this network namespace: the calls the NFLOG
/// reader and the nf_tables reader share. Errors are returned as errno values, for the caller to name.
/// </summary>
public sealed partial class NetlinkSocket : IDisposable
{
    /// <summary>EAGAIN: nothing to read yet.</summary>
    public const int Again = 11;

    /// <summary>EINTR.</summary>
    public const int Interrupted = 4;

    private const int Netlink = 16;
    private const int RawNonBlocking = 3 | 0x800 | 0x80000; // SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC
    private const int NetlinkNetfilter = 12;
    private const short PollIn = 1;

    private readonly int fd;

    private NetlinkSocket(int fd) => this.fd = fd;

    /// <summary>Opens and binds a socket (the kernel picks its port id); the errno when it cannot.</summary>
    public static NetlinkSocket? Open(out int errno)
    {
        errno = 0;
        var fd = Socket(Netlink, RawNonBlocking, NetlinkNetfilter);
        if (fd < 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return null;
        }

        var address = new byte[12];
        BitConverter.TryWriteBytes(address.AsSpan(), (ushort)Netlink);
        if (Bind(fd, address, address.Length) < 0)
        {
            errno = Marshal.GetLastPInvokeError();
            _ = Close(fd);
            return null;
        }

        return new NetlinkSocket(fd);
    }

    /// <summary>Sends <paramref name="request"/> to the kernel; 0 or the errno.</summary>
    public int Send(byte[] request) => SendTo(fd, request, request.Length, 0) < 0 ? Marshal.GetLastPInvokeError() : 0;

    /// <summary>
    /// Makes room to send a datagram of <paramref name="bytes"/>: a batch is one datagram. Beyond the
    /// system's limit it takes CAP_NET_ADMIN, which any batch to nf_tables takes anyway. False when refused.
    /// </summary>
    public bool MakeRoomToSend(int bytes)
    {
        const int SocketLevel = 1, SendBuffer = 7, SendBufferForce = 32;
        var size = BitConverter.GetBytes(bytes);
        return SetOption(fd, SocketLevel, SendBufferForce, size, size.Length) == 0 || SetOption(fd, SocketLevel, SendBuffer, size, size.Length) == 0;
    }

    /// <summary>Reads one datagram into <paramref name="buffer"/>: its length, or minus the errno.</summary>
    public int Receive(byte[] buffer)
    {
        var n = Recv(fd, buffer, buffer.Length, 0);
        return n < 0 ? -Marshal.GetLastPInvokeError() : (int)n;
    }

    /// <summary>Waits up to <paramref name="milliseconds"/> for a datagram to read.</summary>
    public void Wait(int milliseconds)
    {
        var descriptor = new PollFd { Fd = fd, Events = PollIn };
        _ = PollFile(ref descriptor, 1, milliseconds);
    }

    /// <summary>The name of interface <paramref name="index"/>; null when there is none.</summary>
    public static string? InterfaceName(int index)
    {
        var name = new byte[16];
        return IndexToName((uint)index, name) == 0 ? null : System.Text.Encoding.UTF8.GetString(name, 0, Math.Max(0, Array.IndexOf(name, (byte)0)));
    }

    /// <inheritdoc/>
    public void Dispose() => _ = Close(fd);

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
    private static partial nint SendTo(int fd, [In] byte[] buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    private static partial int SetOption(int fd, int level, int name, [In] byte[] value, int length);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static partial nint Recv(int fd, [Out] byte[] buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "if_indextoname", SetLastError = true)]
    private static partial nint IndexToName(uint index, [Out] byte[] name);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int PollFile(ref PollFd fds, nuint count, int timeout);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
