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
    public ValueTask<bool> KnockAsync(IPEndPoint target, Protocol protocol, CancellationToken cancel)
    {
        cancel.ThrowIfCancellationRequested();
        try
        {
            if (protocol == Protocol.Udp)
            {
                using var udp = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                udp.SendTo([], target);
            }
            else
            {
                SendOneSyn(target);
            }

            return ValueTask.FromResult(true);
        }
        catch (SocketException e) when (IsNoRoute(e.SocketErrorCode))
        {
            return ValueTask.FromResult(false);
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Connects with a non-blocking connect and one select() on the calling thread: no timer, no
    /// socket event thread and no thread-pool hop before the session exists, which keeps the
    /// ProxyCommand's cold start short.
    /// </remarks>
    public Task<ConnectResult> ConnectAsync(IPEndPoint target, TimeSpan timeout, CancellationToken cancel)
    {
        cancel.ThrowIfCancellationRequested();
        var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, Blocking = false };
        try
        {
            var failure = Connect(socket, target, timeout);
            if (failure == ConnectFailure.None)
            {
                socket.Blocking = true;
                return Task.FromResult(new ConnectResult(new SocketConnection(socket), ConnectFailure.None));
            }

            // Closing a socket that is still in SYN-SENT stops its retransmits, so no late SYN
            // lands in the middle of the next knock sequence and resets it.
            socket.Dispose();
            return Task.FromResult(ConnectResult.Failed(failure));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static ConnectFailure Connect(Socket socket, IPEndPoint target, TimeSpan timeout)
    {
        try
        {
            socket.Connect(target);
            return ConnectFailure.None;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
            // Expected: the SYN is out; wait below.
        }
        catch (SocketException e)
        {
            return Failure(e.SocketErrorCode);
        }

        // Windows reports a failed connect in the error set, Unix in the write set: watch both.
        var write = new List<Socket> { socket };
        var error = new List<Socket> { socket };
        var micros = (int)Math.Min(timeout.TotalMicroseconds, int.MaxValue);
        Socket.Select(null, write, error, micros);
        if (write.Count == 0 && error.Count == 0)
        {
            return ConnectFailure.TimedOut;
        }

        var code = (SocketError)(int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
        return code == SocketError.Success ? ConnectFailure.None : Failure(code);
    }

    private static ConnectFailure Failure(SocketError code) => code switch
    {
        SocketError.ConnectionRefused => ConnectFailure.Refused,
        var other when IsNoRoute(other) => ConnectFailure.NoRoute,
        _ => ConnectFailure.TimedOut,
    };

    private static void SendOneSyn(IPEndPoint target)
    {
        // A non-blocking connect puts exactly one SYN on the wire; closing the socket while it is
        // still in SYN-SENT sends nothing more (no RST, no retransmit).
        using var tcp = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
        try
        {
            tcp.Connect(target);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress
            or SocketError.AlreadyInProgress or SocketError.ConnectionRefused)
        {
            // Expected: the SYN is out and the answer does not matter.
        }
    }

    private static bool IsNoRoute(SocketError code) =>
        code is SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.AddressNotAvailable
            or SocketError.AddressFamilyNotSupported;
}
