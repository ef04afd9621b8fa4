using NftKnock.Core.Model;

namespace NftKnock.Server.Events;

/// <summary>What a kernel log line of nftknock's says happened.</summary>
public enum EventKind
{
    /// <summary>A source completed a door's knock and was granted (<c>nftknock DOOR open: </c>).</summary>
    Grant,

    /// <summary>A rotating door refused a replayed knock (<c>nftknock DOOR replay: </c>).</summary>
    Replay,

    /// <summary>A door refused a full knock outside its time limit (<c>nftknock DOOR outside: </c>).</summary>
    Outside,

    /// <summary>Audit mode let through a connection that enforcing would refuse (<c>nftknock DOOR would-drop: </c>), once a day per source.</summary>
    WouldDrop,
}

/// <summary>One grant or refused replay, read back from the kernel log.</summary>
/// <param name="Time">When the kernel logged it.</param>
/// <param name="Kind">Grant or replay.</param>
/// <param name="Door">The door.</param>
/// <param name="Client">The rotating door's client whose knock it was; null when the line names none.</param>
/// <param name="Source">The knocking source address, in canonical form.</param>
/// <param name="Family">The source's family.</param>
/// <param name="Interface">The interface the knock came in on; null when the line has none nftknock can show.</param>
/// <param name="Port">The knock's destination port; null when the line has none.</param>
/// <param name="Protocol">The knock's protocol (<c>udp</c>, <c>tcp</c>); null when the line has none.</param>
public sealed record KnockEvent(
    DateTimeOffset Time,
    EventKind Kind,
    string Door,
    string? Client,
    string Source,
    Families Family,
    string? Interface,
    int? Port,
    string? Protocol);

/// <summary>One record of the kernel log: when it was logged, and its text (the first line only).</summary>
public sealed record KernelRecord(DateTimeOffset Time, string Message);
