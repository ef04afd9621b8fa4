using System.Net;
using System.Net.Sockets;
using NftKnock.Core.Model;

namespace NftKnock.Client.Network;

/// <summary>The real network: ordinary UDP and TCP sockets, no privileges needed on any OS.</summary>
public sealed class SocketNetwork : IClientNetwork
{
    /// <inheritdoc/>
    public async Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancel)
    {
        if (IPAddress.TryParse(host, out var literal))
        {
            return [literal];
        }

        try
        {
            var addresses = await Dns.GetHostAddressesAsync(host, cancel);
            if (addresses.Length == 0)
            {
                throw new HostNotFoundException(host, "the name has no address");
            }

            return addresses;
        }
        catch (SocketException e)
        {
            throw new HostNotFoundException(host, e.Message);
        }
        catch (ArgumentException e)
        {
            throw new HostNotFoundException(host, e.Message);
        }
    }

    /// <inheritdoc/>
    public ValueTask<KnockSend> KnockAsync(IPEndPoint target, Protocol protocol, CancellationToken cancel)
    {
        cancel.ThrowIfCancellationRequested();
        try
        {
            if (protocol == Protocol.Udp)
            {
                using var udp = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                udp.SendTo([], target);
                return ValueTask.FromResult(KnockSend.Sent);
            }

            return ValueTask.FromResult(SendOneSyn(target));
        }
        catch (SocketException e)
        {
            return ValueTask.FromResult(Refusal(e.SocketErrorCode));
        }
    }

    /// <inheritdoc/>
    public ValueTask<KnockSend> KnockAsync(IPEndPoint target, ReadOnlyMemory<byte> payload, CancellationToken cancel)
    {
        cancel.ThrowIfCancellationRequested();
        try
        {
            using var udp = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            udp.SendTo(payload.Span, target);
            return ValueTask.FromResult(KnockSend.Sent);
        }
        catch (SocketException e)
        {
            return ValueTask.FromResult(Refusal(e.SocketErrorCode));
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Connects on this thread, without the runtime's asynchronous machinery: its completion goes
    /// through the thread pool, and starting that pool (spinning workers, a gate thread) cost a cold
    /// ProxyCommand about 10 ms between the SYN-ACK and the first byte. On Linux a blocking connect
    /// honours SO_SNDTIMEO, so the timeout needs no second thread; elsewhere the socket connects
    /// without blocking and poll(2) waits for the outcome.
    /// </remarks>
    public Task<ConnectResult> ConnectAsync(IPEndPoint target, TimeSpan timeout, CancellationToken cancel)
    {
        Socket socket;
        try
        {
            socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        }
        catch (SocketException e)
        {
            // A family this machine has switched off (IPv6 disabled) has no route either.
            return Task.FromResult(ConnectResult.Failed(Failure(e.SocketErrorCode)));
        }

        // Closing a socket that is still in SYN-SENT stops its retransmits, so no late SYN lands in
        // the middle of the next knock sequence and resets it; it also ends a blocked connect.
        using var closeOnCancel = cancel.Register(socket.Dispose);
        try
        {
            var connected = OperatingSystem.IsLinux() ? ConnectBlocking(socket, target, timeout) : ConnectPolling(socket, target, timeout, cancel);
            if (!connected)
            {
                socket.Dispose();
                cancel.ThrowIfCancellationRequested();
                return Task.FromResult(ConnectResult.Failed(ConnectFailure.TimedOut));
            }

            return Task.FromResult(new ConnectResult(new SocketConnection(socket), ConnectFailure.None));
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            socket.Dispose();
            cancel.ThrowIfCancellationRequested();
            return Task.FromResult(ConnectResult.Failed(Failure(e is SocketException s ? s.SocketErrorCode : SocketError.OperationAborted)));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>True when connected; false when the timeout passed first. Throws on refusal.</summary>
    private static bool ConnectBlocking(Socket socket, IPEndPoint target, TimeSpan timeout)
    {
        socket.SendTimeout = (int)Math.Max(1, timeout.TotalMilliseconds);
        try
        {
            socket.Connect(target);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.InProgress or SocketError.WouldBlock or SocketError.TimedOut)
        {
            return false;
        }

        socket.SendTimeout = 0;
        return true;
    }

    /// <summary>True when connected; false when the timeout passed or the token was cancelled first. Throws on refusal.</summary>
    private static bool ConnectPolling(Socket socket, IPEndPoint target, TimeSpan timeout, CancellationToken cancel)
    {
        socket.Blocking = false;
        try
        {
            socket.Connect(target);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
            // Under way: the SYN is out.
        }

        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (!cancel.IsCancellationRequested)
        {
            var left = deadline - Environment.TickCount64;
            if (left <= 0)
            {
                return false;
            }

            // Short slices, to notice cancellation.
            var wait = (int)Math.Min(left, 50) * 1000;
            if (socket.Poll(wait, SelectMode.SelectWrite) || socket.Poll(0, SelectMode.SelectError))
            {
                var error = (SocketError)(int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
                if (error != SocketError.Success)
                {
                    throw new SocketException((int)error);
                }

                socket.Blocking = true;
                return true;
            }
        }

        return false;
    }

    private static ConnectFailure Failure(SocketError code) => code switch
    {
        SocketError.ConnectionRefused => ConnectFailure.Refused,
        var other when IsNoRoute(other) => ConnectFailure.NoRoute,
        _ => ConnectFailure.TimedOut,
    };

    /// <summary>
    /// Puts exactly one SYN on the wire: an asynchronous connect sends it inside the connect call,
    /// and closing the socket while it is still in SYN-SENT sends nothing more (no RST, no
    /// retransmit). The asynchronous form also spares the cold process a first exception, which
    /// a non-blocking synchronous connect throws for "in progress" and which costs milliseconds.
    /// </summary>
    private static KnockSend SendOneSyn(IPEndPoint target)
    {
        var tcp = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        var connect = new SocketAsyncEventArgs { RemoteEndPoint = target };
        connect.Completed += static (_, e) => e.Dispose();
        bool pending;
        try
        {
            pending = tcp.ConnectAsync(connect);
        }
        finally
        {
            tcp.Dispose();
        }

        if (pending)
        {
            return KnockSend.Sent;
        }

        var error = connect.SocketError;
        connect.Dispose();
        return error is SocketError.Success or SocketError.ConnectionRefused ? KnockSend.Sent : Refusal(error);
    }

    /// <summary>
    /// Why the kernel would not send a knock: no route, or (EPERM) a local firewall rule. Anything
    /// else counts as sent, like a packet lost on the way: the attempt's connection tells.
    /// </summary>
    private static KnockSend Refusal(SocketError code) =>
        IsNoRoute(code) ? KnockSend.NoRoute
        : code is SocketError.AccessDenied ? KnockSend.Blocked
        : KnockSend.Sent;

    private static bool IsNoRoute(SocketError code) =>
        code is SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.AddressNotAvailable
            or SocketError.AddressFamilyNotSupported;
}
