namespace NftKnock.Server.Events;

/// <summary>Where the kernel log is read from.</summary>
public enum LogSource
{
    /// <summary>journald when it runs, else the NFLOG group.</summary>
    Auto,

    /// <summary>What nftknock-events.service recorded in journald, through <c>journalctl -o json</c>.</summary>
    Journal,

    /// <summary>The table's NFLOG group, live.</summary>
    Nflog,
}

/// <summary>The one seam to the doors' log lines: records from now back to <c>since</c>, and with follow, new ones as they come.</summary>
public interface IKernelLog
{
    /// <summary>What is read, for messages: <c>journald</c> or <c>NFLOG group N</c>.</summary>
    string Name { get; }

    /// <summary>
    /// The kernel's records of this boot in order, from <paramref name="since"/> on (all when null); with
    /// <paramref name="follow"/>, then new ones until <paramref name="cancel"/> fires.
    /// </summary>
    /// <exception cref="KernelLogException">The log cannot be read.</exception>
    IAsyncEnumerable<KernelRecord> ReadAsync(DateTimeOffset? since, bool follow, CancellationToken cancel);
}

/// <summary>Why the kernel log cannot be read.</summary>
public enum KernelLogFailure
{
    /// <summary>The reader lacks the right (CAP_NET_ADMIN for the group; root or the journal's groups for journald).</summary>
    PermissionDenied,

    /// <summary>The log is not there or its reader failed.</summary>
    Unavailable,
}

/// <summary>The kernel log cannot be read: the kind of failure and the system's own words.</summary>
public sealed class KernelLogException(KernelLogFailure kind, string log, string reason) : Exception($"{log}: {reason}")
{
    /// <summary>The kind of failure.</summary>
    public KernelLogFailure Kind { get; } = kind;

    /// <summary>What was read: <c>journald</c> or <c>NFLOG group N</c>.</summary>
    public string Log { get; } = log;

    /// <summary>The system's own words.</summary>
    public string Reason { get; } = reason;
}
