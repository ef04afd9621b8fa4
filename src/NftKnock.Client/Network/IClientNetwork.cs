using System.Net;
using NftKnock.Core.Model;

namespace NftKnock.Client.Network;

/// <summary>
/// The client's one seam to the network: name resolution, knocks and the session connection.
/// The real implementation uses ordinary sockets (no raw sockets, no privileges); tests use a fake.
/// </summary>
public interface IClientNetwork
{
    /// <summary>Resolves a name (or parses a literal address) into its addresses, in the resolver's order.</summary>
    /// <exception cref="HostNotFoundException">The name has no address.</exception>
    Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancel);

    /// <summary>Sends one knock: a UDP datagram, or exactly one TCP SYN (connect, then close at once).</summary>
    ValueTask<KnockSend> KnockAsync(IPEndPoint target, Protocol protocol, CancellationToken cancel);

    /// <summary>Opens a TCP connection, giving up after <paramref name="timeout"/>.</summary>
    Task<ConnectResult> ConnectAsync(IPEndPoint target, TimeSpan timeout, CancellationToken cancel);
}

/// <summary>Whether a knock left this machine.</summary>
public enum KnockSend
{
    /// <summary>The packet is on its way.</summary>
    Sent,

    /// <summary>The kernel has no route to the address.</summary>
    NoRoute,

    /// <summary>This machine's own firewall refused to send it.</summary>
    Blocked,
}

/// <summary>Why a connection attempt did not produce a connection.</summary>
public enum ConnectFailure
{
    /// <summary>Connected.</summary>
    None,

    /// <summary>The host answered with a reset.</summary>
    Refused,

    /// <summary>No answer within the connect timeout (a hidden port looks like this).</summary>
    TimedOut,

    /// <summary>The kernel has no route to the address.</summary>
    NoRoute,
}

/// <summary>The outcome of one connection attempt: a connection, or why there is none.</summary>
public readonly record struct ConnectResult(Connection? Connection, ConnectFailure Failure)
{
    /// <summary>A failed attempt.</summary>
    public static ConnectResult Failed(ConnectFailure failure) => new(null, failure);
}

/// <summary>An open session connection: a byte stream that can be half-closed.</summary>
public abstract class Connection : IDisposable
{
    /// <summary>Both directions of the connection.</summary>
    public abstract Stream Stream { get; }

    /// <summary>Tells the peer that no more bytes follow (TCP FIN), keeping the receive side open.</summary>
    public abstract void ShutdownSend();

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the connection.</summary>
    protected abstract void Dispose(bool disposing);
}

/// <summary>A host name that resolves to no address.</summary>
public sealed class HostNotFoundException(string host, string reason) : Exception($"{host}: {reason}")
{
    /// <summary>The name that did not resolve.</summary>
    public string Host { get; } = host;

    /// <summary>The resolver's reason.</summary>
    public string Reason { get; } = reason;
}
