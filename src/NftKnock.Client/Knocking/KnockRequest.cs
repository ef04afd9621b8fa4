using System.Net;
using NftKnock.Client.Network;
using NftKnock.Core.Model;

namespace NftKnock.Client.Knocking;

/// <summary>What to knock: the name to resolve, the steps, the family and how hard to try.</summary>
/// <param name="Host">A host name or a literal address.</param>
/// <param name="Sequence">The knock steps.</param>
/// <param name="Family">Which address family to use.</param>
/// <param name="Policy">Attempts, gaps, timeouts and back-off.</param>
public sealed record KnockRequest(string Host, ISequenceSource Sequence, Families Family, RetryPolicy Policy);

/// <summary>How a knock or knock-and-connect ended.</summary>
public enum KnockStatus
{
    /// <summary>The knocks were sent (no connection was asked for).</summary>
    Knocked,

    /// <summary>Knocked and connected; from <see cref="KnockClient.OpenAsync"/> the outcome carries the connection.</summary>
    Connected,

    /// <summary>The name has no address.</summary>
    Unresolvable,

    /// <summary>The name has no address of the family that -4/-6 asked for.</summary>
    NoAddressOfFamily,

    /// <summary>The kernel has no route to the address (to any candidate address, for <see cref="KnockClient.OpenAsync"/>).</summary>
    NoRoute,

    /// <summary>This machine's firewall refused to send the knocks.</summary>
    Blocked,

    /// <summary>Every attempt knocked, but the port never accepted the connection.</summary>
    NeverOpened,
}

/// <summary>The result of <see cref="KnockClient"/>: a status, the address used and, when connected, the connection.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Address">The address of the last attempt.</param>
/// <param name="Attempts">How many attempts were made.</param>
/// <param name="Connection">The connection, when connected by <see cref="KnockClient.OpenAsync"/>.</param>
/// <param name="Detail">Why the name did not resolve, when it did not.</param>
/// <param name="Refused">
/// An attempt's connection was answered with a reset: past a door that drops what it hides, the knock
/// opened it, and nothing listens on the port.
/// </param>
/// <param name="Tried">Every address attempts went to, in the order first tried; empty when only <paramref name="Address"/> was.</param>
public sealed record KnockOutcome(
    KnockStatus Status, IPAddress? Address, int Attempts, Connection? Connection, string? Detail = null, bool Refused = false, IReadOnlyList<IPAddress>? Tried = null)
{
    /// <summary>Every address tried: <see cref="Tried"/>, or the one <see cref="Address"/>.</summary>
    public IReadOnlyList<IPAddress> AddressesTried => Tried is { Count: > 0 } tried ? tried : Address is { } address ? [address] : [];
}

/// <summary>
/// The result of <see cref="KnockClient.KnockAsync"/>: one outcome per address knocked, IPv4 first, or
/// when the host gave no address to knock, the outcome that says why.
/// </summary>
/// <param name="PerAddress">How the knock (and the check, if one was asked for) ended on each address.</param>
/// <param name="Unresolved">Unresolvable or NoAddressOfFamily; null when there were addresses to knock.</param>
public sealed record KnockReport(IReadOnlyList<KnockOutcome> PerAddress, KnockOutcome? Unresolved = null)
{
    /// <summary>The addresses that got what was asked: knocked, or knocked and opened when checked.</summary>
    public IReadOnlyList<KnockOutcome> Done => [.. PerAddress.Where(o => o.Status is KnockStatus.Knocked or KnockStatus.Connected)];

    /// <summary>
    /// Addresses this machine has no route to while another family's knocks went out. ssh cannot use
    /// such a family either (its connect fails at once and it moves on), so they are a note, not a failure.
    /// </summary>
    public IReadOnlyList<KnockOutcome> Unrouted => AnySent ? [.. PerAddress.Where(o => o.Status == KnockStatus.NoRoute)] : [];

    /// <summary>
    /// The addresses that failed: knocks this machine's firewall refused, ports that never opened, and
    /// addresses without a route when no family had one.
    /// </summary>
    public IReadOnlyList<KnockOutcome> Failed =>
        [.. PerAddress.Where(o => o.Status is KnockStatus.Blocked or KnockStatus.NeverOpened || (o.Status == KnockStatus.NoRoute && !AnySent))];

    private bool AnySent => PerAddress.Any(o => o.Status is KnockStatus.Knocked or KnockStatus.Connected or KnockStatus.NeverOpened);
}
