using System.Diagnostics;
using NftKnock.Server.Nftables;
using NftKnock.Server.Safety;

namespace NftKnock.Server.Tests.Deploy;

/// <summary>A pending apply whose watcher (or watcher and applier) died, and the table lock.</summary>
public sealed class OrphanTests : IDisposable
{
    private const string Before = "table inet nftknock {\n}\n";

    private readonly string dir = Directory.CreateTempSubdirectory("nkd-orphan-").FullName;
    private readonly FakeNftables nft = new();

    private RollbackFiles Files => new(dir, "nftknock");

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>A watcher that says armed and dies at once, as under SIGKILL or the OOM killer.</summary>
    private sealed class DyingLauncher : IWatcherLauncher
    {
        public Task<IWatcherHandle> StartAsync(string pendingPath, CancellationToken cancel) => Task.FromResult<IWatcherHandle>(new Handle());

        private sealed class Handle : IWatcherHandle
        {
            private int reads;

            public Task<string?> ReadLineAsync(CancellationToken cancel) => Task.FromResult(Interlocked.Increment(ref reads) == 1 ? "armed" : null);

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    /// <summary>A pending apply left behind by processes that are gone: no one holds the watcher file.</summary>
    private PendingApply Orphan(DateTimeOffset? deadline, DecisionKind? decided = null)
    {
        var pending = new PendingApply("0rphan", TimeSpan.FromMinutes(1), new TableSnapshot("nftknock", Before, DateTimeOffset.UtcNow.AddMinutes(-2)), int.MaxValue - 1);
        Files.EnsureDirectory();
        RollbackFiles.WriteAtomic(Files.Pending, pending.ToJson());
        File.WriteAllText(Files.Watcher, "12345\n");
        if (deadline is { } d)
        {
            RollbackFiles.WriteAtomic(Files.Decision, Decision.Applied(pending.Token, d).ToText());
        }

        if (decided is { } kind)
        {
            RollbackFiles.WriteAtomic(Files.Decision, new Decision(pending.Token, kind, "confirmed on the terminal").ToText());
        }

        return pending;
    }

    [Fact]
    public async Task When_the_watcher_dies_the_applier_restores_the_snapshot_at_the_same_deadline()
    {
        nft.TextTables["nftknock"] = Before;
        await using var session = await RollbackSession.StartAsync(nft, TimeProvider.System, Files, new DyingLauncher(), TimeSpan.FromMilliseconds(600));
        var deadline = session.Applied(TimeProvider.System);
        var told = false;

        var outcome = await session.OutcomeAsync(CancellationToken.None, () => told = true).WaitAsync(TimeSpan.FromSeconds(10));

        told.ShouldBeTrue();
        outcome.ShouldBe(new RollbackOutcome(OutcomeKind.Restored, "restored the table as it was before (no confirmation before the deadline)"));
        DateTimeOffset.UtcNow.ShouldBeGreaterThanOrEqualTo(deadline);
        nft.Applied.ShouldHaveSingleItem().ShouldEndWith("delete table inet nftknock\n" + Before);
        File.Exists(Files.Pending).ShouldBeFalse();
        Files.ReadOutcome()!.ShouldEndWith("restored: restored the table as it was before (no confirmation before the deadline)");
    }

    [Fact]
    public async Task When_the_watcher_dies_a_yes_still_keeps_the_new_ruleset()
    {
        await using var session = await RollbackSession.StartAsync(nft, TimeProvider.System, Files, new DyingLauncher(), TimeSpan.FromMinutes(10));
        session.Applied(TimeProvider.System);
        var outcome = session.OutcomeAsync(CancellationToken.None);
        await Task.Delay(200);

        session.Decide(DecisionKind.Keep, "confirmed on the terminal");

        (await outcome.WaitAsync(TimeSpan.FromSeconds(5))).ShouldBe(new RollbackOutcome(OutcomeKind.Kept, "confirmed on the terminal"));
        nft.Applied.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_pending_apply_is_watched_while_its_applier_lives_even_without_a_watcher()
    {
        await using var session = await RollbackSession.StartAsync(nft, TimeProvider.System, Files, new DyingLauncher(), TimeSpan.FromMinutes(10));

        Files.Watched().ShouldBeTrue();
        OrphanedApply.Find(Files).ShouldBeNull();
    }

    [Fact]
    public async Task The_watch_ends_with_the_process_that_held_it_even_under_sigkill()
    {
        Files.EnsureDirectory();
        File.WriteAllText(Files.Watcher, string.Empty);
        using var holder = Process.Start("flock", ["--no-fork", "--shared", Files.Watcher, "sleep", "30"]);
        for (var i = 0; i < 100 && !Files.Watched(); i++)
        {
            await Task.Delay(20);
        }

        Files.Watched().ShouldBeTrue();
        holder.Kill();
        await holder.WaitForExitAsync();

        Files.Watched().ShouldBeFalse();
    }

    [Fact]
    public async Task An_orphan_that_never_reported_its_apply_is_restored()
    {
        var pending = Orphan(deadline: null);

        var resolved = await OrphanedApply.ResolveAsync(nft, TimeProvider.System, Files, OrphanedApply.Find(Files)!, wanted: null);

        resolved.Outcome.ShouldBe(new RollbackOutcome(OutcomeKind.Restored, "restored the table as it was before (the apply never reported that it landed and its rollback watcher was lost)"));
        nft.Applied.ShouldHaveSingleItem().ShouldEndWith(Before);
        Files.ReadPending().ShouldBeNull();
        pending.Token.ShouldBe("0rphan");
    }

    [Fact]
    public async Task An_orphan_past_its_deadline_is_restored_by_whoever_finds_it()
    {
        Orphan(DateTimeOffset.UtcNow.AddSeconds(-1));

        var resolved = await OrphanedApply.ResolveAsync(nft, TimeProvider.System, Files, OrphanedApply.Find(Files)!, wanted: DecisionKind.Keep);

        resolved.Outcome!.Detail.ShouldBe("restored the table as it was before (no confirmation before the deadline, and its rollback watcher was lost)");
        nft.Applied.Count.ShouldBe(1);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(DecisionKind.Keep, OutcomeKind.Kept)]
    [InlineData(DecisionKind.Restore, OutcomeKind.Restored)]
    public async Task An_orphan_inside_its_window_waits_for_confirm_and_does_what_it_asks(DecisionKind? wanted, OutcomeKind? expected)
    {
        var deadline = DateTimeOffset.UtcNow.AddMinutes(5);
        Orphan(deadline);

        var resolved = await OrphanedApply.ResolveAsync(nft, TimeProvider.System, Files, OrphanedApply.Find(Files)!, wanted);

        (resolved.Outcome?.Kind).ShouldBe(expected);
        resolved.Deadline.ShouldBe(DateTimeOffset.FromUnixTimeMilliseconds(deadline.ToUnixTimeMilliseconds()));
        nft.Applied.Count.ShouldBe(expected == OutcomeKind.Restored ? 1 : 0);
        (Files.ReadPending() is null).ShouldBe(expected is not null);
    }

    [Fact]
    public async Task A_decision_the_dead_watcher_never_carried_out_is_carried_out()
    {
        Orphan(DateTimeOffset.UtcNow.AddSeconds(-5), decided: DecisionKind.Keep);

        var resolved = await OrphanedApply.ResolveAsync(nft, TimeProvider.System, Files, OrphanedApply.Find(Files)!, wanted: null);

        resolved.Outcome.ShouldBe(new RollbackOutcome(OutcomeKind.Kept, "confirmed on the terminal, before its rollback watcher was lost"));
        nft.Applied.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_table_lock_admits_one_holder_and_frees_itself_when_its_holder_is_killed()
    {
        using (var first = await TableLock.AcquireAsync(Files, TimeSpan.Zero))
        {
            first.ShouldNotBeNull();
            (await TableLock.AcquireAsync(Files, TimeSpan.FromMilliseconds(200))).ShouldBeNull();
        }

        using var holder = Process.Start("flock", ["--no-fork", "--exclusive", Files.Lock, "sleep", "30"]);
        for (var i = 0; i < 100 && await TableLock.AcquireAsync(Files, TimeSpan.Zero) is { } free; i++)
        {
            free.Dispose();
            await Task.Delay(20);
        }

        (await TableLock.AcquireAsync(Files, TimeSpan.FromMilliseconds(200))).ShouldBeNull();
        holder.Kill();
        await holder.WaitForExitAsync();
        using var after = await TableLock.AcquireAsync(Files, TimeSpan.FromSeconds(1));
        after.ShouldNotBeNull();
    }
}
