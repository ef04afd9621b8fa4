using NftKnock.Core.Ruleset;

namespace NftKnock.Server.Events;

/// <summary>Chooses the kernel log to read, and reads nftknock's events from it.</summary>
public static class KernelLogs
{
    /// <summary>
    /// The log for <paramref name="source"/>: for <see cref="LogSource.Auto"/>, journald when its socket
    /// exists (what nftknock-events.service recorded there, kept across its restarts), else the table's
    /// NFLOG group. Neither the kernel log nor /dev/kmsg is read: with net.netfilter.nf_log_all_netns=1
    /// any user's own network namespace can write lines there that look like the table's.
    /// </summary>
    public static IKernelLog Open(LogSource source, TimeProvider time, Func<string, bool>? exists = null)
    {
        exists ??= File.Exists;
        var running = exists(JournalLog.Socket);
        if (source == LogSource.Journal && !running)
        {
            // journalctl without journald prints no records and exits 0, or waits forever with -f.
            return new UnavailableLog("journald", ServerTexts.JournaldNotRunning(JournalLog.Socket));
        }

        return source == LogSource.Journal || (source == LogSource.Auto && running) ? new JournalLog() : new NflogLog(time, LogPrefix.Group);
    }

    /// <summary>A log that cannot be read, saying why when it is read.</summary>
    private sealed class UnavailableLog(string name, string reason) : IKernelLog
    {
        public string Name => name;

        public IAsyncEnumerable<KernelRecord> ReadAsync(DateTimeOffset? since, bool follow, CancellationToken cancel) =>
            throw new KernelLogException(KernelLogFailure.Unavailable, name, reason);
    }

    /// <summary>nftknock's grants and refused replays in <paramref name="log"/>, in the log's order; other lines are skipped.</summary>
    public static async IAsyncEnumerable<KnockEvent> EventsAsync(
        IKernelLog log,
        DateTimeOffset? since,
        bool follow,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancel)
    {
        await foreach (var (_, knock) in RecordsAsync(log, since, follow, cancel))
        {
            yield return knock;
        }
    }

    /// <summary>The same events, each with the record it was read from.</summary>
    public static async IAsyncEnumerable<(KernelRecord Record, KnockEvent Knock)> RecordsAsync(
        IKernelLog log,
        DateTimeOffset? since,
        bool follow,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancel)
    {
        await foreach (var record in log.ReadAsync(since, follow, cancel))
        {
            if ((since is null || record.Time >= since) && LogLine.TryParse(record, out var knock))
            {
                yield return (record, knock);
            }
        }
    }
}
