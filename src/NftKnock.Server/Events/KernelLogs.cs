namespace NftKnock.Server.Events;

/// <summary>Chooses the kernel log to read, and reads nftknock's events from it.</summary>
public static class KernelLogs
{
    /// <summary>
    /// The log for <paramref name="source"/>: for <see cref="LogSource.Auto"/>, journald when its socket
    /// exists (journald then reads /dev/kmsg itself, and keeps what the ring buffer has overwritten),
    /// else /dev/kmsg.
    /// </summary>
    public static IKernelLog Open(LogSource source, TimeProvider time, Func<string, bool>? exists = null)
    {
        exists ??= File.Exists;
        var journal = source == LogSource.Journal || (source == LogSource.Auto && exists(JournalLog.Socket));
        return journal ? new JournalLog() : new KmsgLog(time);
    }

    /// <summary>nftknock's grants and refused replays in <paramref name="log"/>, in the log's order; other lines are skipped.</summary>
    public static async IAsyncEnumerable<KnockEvent> EventsAsync(
        IKernelLog log,
        DateTimeOffset? since,
        bool follow,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancel)
    {
        await foreach (var record in log.ReadAsync(since, follow, cancel))
        {
            if ((since is null || record.Time >= since) && LogLine.TryParse(record, out var knock))
            {
                yield return knock;
            }
        }
    }
}
