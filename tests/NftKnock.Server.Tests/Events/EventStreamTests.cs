using NftKnock.Server.Events;

namespace NftKnock.Server.Tests.Events;

public sealed class EventStreamTests
{
    private const string Fields = "IN=veth0 OUT= SRC=198.18.0.2 DST=198.18.0.1 PROTO=UDP SPT=1 DPT=7000 ";

    [Fact]
    public async Task Since_keeps_the_events_from_that_time_on_and_other_lines_are_skipped()
    {
        var clock = new TestClock();
        var log = new FakeKernelLog();
        log.Add(clock.GetUtcNow() - TimeSpan.FromMinutes(20), "nftknock ssh open: " + Fields);
        log.Add(clock.GetUtcNow() - TimeSpan.FromMinutes(5), "eth0: link up");
        log.Add(clock.GetUtcNow() - TimeSpan.FromMinutes(5), "nftknock ssh replay: " + Fields);
        log.Add(clock.GetUtcNow() - TimeSpan.FromMinutes(1), "nftknock db open client=alice: " + Fields);

        var since = clock.GetUtcNow() - TimeSpan.FromMinutes(10);
        var events = await KernelLogs.EventsAsync(log, since, follow: false, CancellationToken.None).ToListAsync();

        events.Select(e => (e.Kind, e.Door, e.Client)).ShouldBe([(EventKind.Replay, "ssh", null), (EventKind.Grant, "db", "alice")]);
        log.Reads.ShouldBe([(since, false)]);
    }

    [Fact]
    public async Task Follow_prints_the_backlog_then_new_events_until_cancelled()
    {
        var clock = new TestClock();
        var log = new FakeKernelLog();
        log.Add(clock.GetUtcNow(), "nftknock ssh open: " + Fields);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new List<KnockEvent>();

        var reading = Task.Run(async () =>
        {
            await foreach (var knock in KernelLogs.EventsAsync(log, null, follow: true, stop.Token))
            {
                lock (seen)
                {
                    seen.Add(knock);
                }

                if (knock.Door == "db")
                {
                    await stop.CancelAsync();
                }
            }
        });
        await WaitAsync(() => seen.Count == 1);
        log.Add(clock.GetUtcNow() + TimeSpan.FromSeconds(1), "nftknock db open: " + Fields);

        await reading.WaitAsync(TimeSpan.FromSeconds(30));
        seen.Select(e => e.Door).ShouldBe(["ssh", "db"]);
    }

    [Fact]
    public async Task A_log_that_cannot_be_read_says_why()
    {
        var log = new FakeKernelLog { Failure = new KernelLogException(KernelLogFailure.PermissionDenied, "/dev/kmsg", "Operation not permitted") };

        var e = await Should.ThrowAsync<KernelLogException>(async () => await KernelLogs.EventsAsync(log, null, false, CancellationToken.None).ToListAsync());
        e.Kind.ShouldBe(KernelLogFailure.PermissionDenied);
    }

    private static async Task WaitAsync(Func<bool> done)
    {
        // A hang bound, not a speed assertion.
        for (var i = 0; i < 3000 && !done(); i++)
        {
            await Task.Delay(10);
        }

        done().ShouldBeTrue();
    }
}
