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

    /// <summary>Knocked and connected; the outcome carries the connection.</summary>
    Connected,

    /// <summary>The name has no address.</summary>
    Unresolvable,

    /// <summary>The name has no address of the family that -4/-6 asked for.</summary>
    NoAddressOfFamily,

    /// <summary>The kernel has no route to any candidate address.</summary>
    NoRoute,

    /// <summary>This machine's firewall refused to send the knocks.</summary>
    Blocked,

    /// <summary>Every attempt knocked, but the port never accepted the connection.</summary>
    NeverOpened,
}

/// <summary>The result of <see cref="KnockClient"/>: a status, the address used and, when connected, the connection.</summary>
public sealed record KnockOutcome(KnockStatus Status, IPAddress? Address, int Attempts, Connection? Connection, string? Detail = null);
