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
    public async Task<ConnectResult> ConnectAsync(IPEndPoint target, TimeSpan timeout, CancellationToken cancel)
    {
        Socket socket;
        try
        {
            socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        }
        catch (SocketException e)
        {
            // A family this machine has switched off (IPv6 disabled) has no route either.
            return ConnectResult.Failed(Failure(e.SocketErrorCode));
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(target, deadline.Token);
            return new ConnectResult(new SocketConnection(socket), ConnectFailure.None);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            // Closing a socket that is still in SYN-SENT stops its retransmits, so no late SYN
            // lands in the middle of the next knock sequence and resets it.
            socket.Dispose();
            return ConnectResult.Failed(ConnectFailure.TimedOut);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            return ConnectResult.Failed(Failure(e.SocketErrorCode));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
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
