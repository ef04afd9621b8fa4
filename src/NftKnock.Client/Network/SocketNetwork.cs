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
    public async Task<ConnectResult> ConnectAsync(IPEndPoint target, TimeSpan timeout, CancellationToken cancel)
    {
        var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
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
            return ConnectResult.Failed(e.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => ConnectFailure.Refused,
                var code when IsNoRoute(code) => ConnectFailure.NoRoute,
                _ => ConnectFailure.TimedOut,
            });
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

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
