using NftKnock.Server.Nftables;
using NftKnock.Server.Safety;

namespace NftKnock.Server.Tests.Deploy;

public sealed class RollbackWatcherTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("nkd-watch-").FullName;
    private readonly FakeNftables nft = new();

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private (RollbackWatcher Watcher, RollbackFiles Files, PendingApply Pending) Arm(TimeSpan window, string? snapshot = "table inet nftknock {\n}\n", bool applied = true, int? applier = null)
    {
        var files = new RollbackFiles(dir, "nftknock");
        var now = DateTimeOffset.UtcNow;
        var pending = new PendingApply("t0k3n", window, new TableSnapshot("nftknock", snapshot, now), applier ?? Environment.ProcessId);
        RollbackFiles.WriteAtomic(files.Pending, pending.ToJson());
        if (applied)
        {
            RollbackFiles.WriteAtomic(files.Decision, new Decision(pending.Token, DecisionKind.Applied, "applied").ToText());
        }

        return (new RollbackWatcher(nft, TimeProvider.System, files) { Poll = TimeSpan.FromMilliseconds(20) }, files, pending);
    }

    [Fact]
    public async Task A_confirmation_keeps_the_new_ruleset_and_restores_nothing()
    {
        var (watcher, files, pending) = Arm(TimeSpan.FromSeconds(30));
        RollbackFiles.WriteAtomic(files.Decision, new Decision(pending.Token, DecisionKind.Keep, "confirmed on the terminal").ToText());

        var outcome = await watcher.WatchAsync(pending, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        outcome.ShouldBe(new RollbackOutcome(OutcomeKind.Kept, "confirmed on the terminal"));
        nft.Applied.ShouldBeEmpty();
        File.Exists(files.Pending).ShouldBeFalse();
        files.ReadOutcome()!.ShouldEndWith("table inet nftknock: kept: confirmed on the terminal");
    }

    [Fact]
    public async Task A_confirmation_for_another_apply_does_not_count()
    {
        var (watcher, files, pending) = Arm(TimeSpan.FromMilliseconds(300));
        var watching = watcher.WatchAsync(pending, CancellationToken.None);
        await Task.Delay(100);
        RollbackFiles.WriteAtomic(files.Decision, new Decision("stale", DecisionKind.Keep, "old").ToText());

        var outcome = await watching.WaitAsync(TimeSpan.FromSeconds(10));

        outcome.Kind.ShouldBe(OutcomeKind.Restored);
        nft.Applied.ShouldHaveSingleItem().ShouldContain("delete table inet nftknock\ntable inet nftknock {");
    }

    [Fact]
    public async Task No_confirmation_by_the_deadline_restores_the_snapshot()
    {
        var (watcher, _, pending) = Arm(TimeSpan.FromMilliseconds(200));

        var outcome = await watcher.WatchAsync(pending, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        outcome.ShouldBe(new RollbackOutcome(OutcomeKind.Restored, "restored the table as it was before (no confirmation before the deadline)"));
        nft.Applied.ShouldHaveSingleItem().ShouldEndWith("table inet nftknock {}\ndelete table inet nftknock\ntable inet nftknock {\n}\n");
    }

    [Fact]
    public async Task A_table_that_did_not_exist_is_removed_again()
    {
        var (watcher, _, pending) = Arm(TimeSpan.FromMilliseconds(100), snapshot: null);

        var outcome = await watcher.WatchAsync(pending, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        outcome.Detail.ShouldStartWith("removed the table, which did not exist before");
        nft.Applied.ShouldHaveSingleItem().ShouldEndWith("table inet nftknock {}\ndelete table inet nftknock\n");
    }

    [Fact]
    public async Task A_restore_decision_restores_at_once_with_its_reason()
    {
        var (watcher, files, pending) = Arm(TimeSpan.FromMinutes(10));
        RollbackFiles.WriteAtomic(files.Decision, new Decision(pending.Token, DecisionKind.Restore, "interrupted with Ctrl-C").ToText());

        var outcome = await watcher.WatchAsync(pending, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));

        outcome.Detail.ShouldBe("restored the table as it was before (interrupted with Ctrl-C)");
    }

    [Fact]
    public async Task Terminating_the_watcher_restores_rather_than_leaving_an_unconfirmed_ruleset()
    {
        var (watcher, _, pending) = Arm(TimeSpan.FromMinutes(10));
        using var terminate = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        var outcome = await watcher.WatchAsync(pending, terminate.Token).WaitAsync(TimeSpan.FromSeconds(5));

        outcome.Kind.ShouldBe(OutcomeKind.Restored);
        nft.Applied.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_restore_nft_refuses_is_reported_as_failed()
    {
        var (watcher, _, pending) = Arm(TimeSpan.FromMilliseconds(50));
        nft.Refuse = script => new NftException(NftFailureKind.Refused, "Error: No such file or directory\n", script);

        var outcome = await watcher.WatchAsync(pending, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        outcome.ShouldBe(new RollbackOutcome(OutcomeKind.RestoreFailed, "could not restore (no confirmation before the deadline): Error: No such file or directory"));
    }

    [Fact]
    public async Task The_window_starts_only_once_the_apply_has_landed()
    {
        var (watcher, files, pending) = Arm(TimeSpan.FromMilliseconds(100), applied: false);

        var watching = watcher.WatchAsync(pending, CancellationToken.None);
        await Task.Delay(400);

        watching.IsCompleted.ShouldBeFalse();
        nft.Applied.ShouldBeEmpty();
        RollbackFiles.WriteAtomic(files.Decision, new Decision(pending.Token, DecisionKind.Applied, "applied").ToText());
        (await watching.WaitAsync(TimeSpan.FromSeconds(5))).Detail.ShouldBe("restored the table as it was before (no confirmation before the deadline)");
    }

    [Fact]
    public async Task An_applier_that_dies_before_its_apply_landed_gets_the_snapshot_restored()
    {
        var (watcher, _, pending) = Arm(TimeSpan.FromMinutes(10), applied: false, applier: int.MaxValue - 1);

        var outcome = await watcher.WatchAsync(pending, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        outcome.Detail.ShouldBe("restored the table as it was before (the applying process ended before its apply was done)");
    }

    [Fact]
    public void Outcome_lines_read_back()
    {
        foreach (var outcome in new[] { new RollbackOutcome(OutcomeKind.Kept, "a"), new RollbackOutcome(OutcomeKind.Restored, "b: c"), new RollbackOutcome(OutcomeKind.RestoreFailed, "d") })
        {
            RollbackOutcome.Parse(outcome.ToLine()).ShouldBe(outcome);
        }

        RollbackOutcome.Parse("armed").ShouldBeNull();
    }
}
