using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace NftKnock.Server.Events;

/// <summary>
/// The kernel log every unit test shares: records a test put in before reading (the backlog), and
/// with follow, records it adds later, until the reader is cancelled. It filters on since as the real
/// logs do, and can fail as they fail.
/// </summary>
public sealed class FakeKernelLog : IKernelLog
{
    private readonly List<KernelRecord> backlog = [];
    private readonly Channel<KernelRecord> later = Channel.CreateUnbounded<KernelRecord>();

    /// <inheritdoc/>
    public string Name { get; init; } = "/dev/kmsg";

    /// <summary>When set, reading fails with it.</summary>
    public KernelLogException? Failure { get; set; }

    /// <summary>The since and follow of every read, in order.</summary>
    public List<(DateTimeOffset? Since, bool Follow)> Reads { get; } = [];

    /// <summary>Adds a record: to the backlog before a read starts, as a new record while one follows.</summary>
    public void Add(DateTimeOffset time, string message)
    {
        var record = new KernelRecord(time, message);
        lock (backlog)
        {
            backlog.Add(record);
        }

        later.Writer.TryWrite(record);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<KernelRecord> ReadAsync(DateTimeOffset? since, bool follow, [EnumeratorCancellation] CancellationToken cancel)
    {
        Reads.Add((since, follow));
        if (Failure is { } failure)
        {
            throw failure;
        }

        List<KernelRecord> now;
        lock (backlog)
        {
            now = [.. backlog];
            while (later.Reader.TryRead(out _))
            {
            }
        }

        foreach (var record in now.Where(r => since is null || r.Time >= since))
        {
            yield return record;
        }

        if (!follow)
        {
            yield break;
        }

        while (!cancel.IsCancellationRequested)
        {
            KernelRecord next;
            try
            {
                next = await later.Reader.ReadAsync(cancel);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }

            yield return next;
        }
    }
}
