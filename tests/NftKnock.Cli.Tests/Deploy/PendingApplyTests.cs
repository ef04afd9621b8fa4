using NftKnock.Server;
using NftKnock.Server.Safety;

namespace NftKnock.Cli.Tests.Deploy;

/// <summary>What the commands that change the table do while an apply --confirm waits, or after it was orphaned.</summary>
public sealed class PendingApplyTests : IDisposable
{
    private const string Config = """
        doors:
          ssh:
            protect: [22/tcp]
            sequence: [7000/udp, 9000/tcp, 8000/udp]
        """;

    private const string Before = "table inet nftknock {\n}\n";

    private readonly CliHarness cli = new();

    public void Dispose() => cli.Dispose();

    /// <summary>An apply --confirm that waits until <paramref name="deadline"/>; watched unless <paramref name="watched"/> is false.</summary>
    private IDisposable? Pending(DateTimeOffset deadline, bool watched = true)
    {
        var files = cli.Files;
        files.EnsureDirectory();
        var pending = new PendingApply("p3nd1ng", TimeSpan.FromMinutes(1), new TableSnapshot("nftknock", Before, deadline.AddMinutes(-1)), int.MaxValue - 1);
        RollbackFiles.WriteAtomic(files.Pending, pending.ToJson());
        RollbackFiles.WriteAtomic(files.Decision, Decision.Applied(pending.Token, deadline).ToText());
        File.WriteAllText(files.Watcher, "12345\n");
        return watched ? files.Watch() : null;
    }

    private static DateTimeOffset Whole(DateTimeOffset t) => DateTimeOffset.FromUnixTimeMilliseconds(t.ToUnixTimeMilliseconds());

    [Theory]
    [InlineData("apply")]
    [InlineData("remove")]
    public async Task A_change_while_an_apply_waits_for_confirmation_is_refused_with_exit_2(string command)
    {
        var deadline = Whole(DateTimeOffset.UtcNow.AddMinutes(5));
        using var watcher = Pending(deadline);
        cli.Nft.TextTables["nftknock"] = Before;

        var code = await cli.RunAsync(command == "apply" ? ["apply", "-c", cli.Write("nftknock.yaml", Config)] : ["remove", "-t", "nftknock"]);

        code.ShouldBe(ExitCodes.Usage);
        cli.Nft.Applied.ShouldBeEmpty();
        cli.Error.ToString().ShouldBe(Texts.PendingRefused("nftknock", command, deadline, orphaned: false) + Environment.NewLine);
        cli.Error.ToString().ShouldStartWith(
            $"nftknock: refusing to {command} table inet nftknock: an apply --confirm is waiting for confirmation until {deadline.ToLocalTime():HH:mm:ss}, and its rollback would undo this. "
            + "Run nftknock confirm to keep that ruleset, or nftknock confirm --rollback to restore the previous table now, then run this again. Nothing was changed.");
        File.Exists(cli.Files.Pending).ShouldBeTrue();
    }

    [Fact]
    public async Task A_second_apply_confirm_is_refused_the_same_way()
    {
        using var watcher = Pending(Whole(DateTimeOffset.UtcNow.AddMinutes(5)));

        (await cli.RunAsync("apply", "-c", cli.Write("nftknock.yaml", Config), "--confirm", "30s")).ShouldBe(ExitCodes.Usage);

        cli.Nft.Applied.ShouldBeEmpty();
        cli.Error.ToString().ShouldStartWith("nftknock: refusing to apply table inet nftknock: an apply --confirm is waiting for confirmation");
        cli.Files.ReadPending()!.Token.ShouldBe("p3nd1ng");
    }

    [Fact]
    public async Task A_command_that_finds_the_table_locked_waits_then_gives_up_with_one_line_and_exit_1()
    {
        using var held = await TableLock.AcquireAsync(cli.Files, TimeSpan.Zero);

        var code = await cli.RunAsync("apply", "-c", cli.Write("nftknock.yaml", Config));

        code.ShouldBe(ExitCodes.Failure);
        cli.Error.ToString().ShouldBe(Texts.Busy("nftknock") + Environment.NewLine);
        cli.Error.ToString().ShouldBe("nftknock: another nftknock command is changing table inet nftknock; nothing was changed. Run this one again when it has finished." + Environment.NewLine);
        cli.Nft.Applied.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_command_waits_for_a_lock_that_is_released_briefly_after()
    {
        var held = await TableLock.AcquireAsync(cli.Files, TimeSpan.Zero);
        _ = Task.Delay(700).ContinueWith(_ => held!.Dispose(), TaskScheduler.Default);

        (await cli.RunAsync("remove", "-t", "nftknock")).ShouldBe(ExitCodes.Ok, cli.Error.ToString());
    }

    [Fact]
    public async Task Apply_restores_an_orphaned_apply_past_its_deadline_then_applies()
    {
        Pending(DateTimeOffset.UtcNow.AddSeconds(-3), watched: false);

        var code = await cli.RunAsync("apply", "-c", cli.Write("nftknock.yaml", Config));

        code.ShouldBe(ExitCodes.Ok, cli.Error.ToString());
        cli.Nft.Applied.Count.ShouldBe(2);
        cli.Nft.Applied[0].ShouldEndWith("delete table inet nftknock\n" + Before);
        cli.Nft.Applied[1].ShouldContain("chain ssh_guard");
        cli.Error.ToString().ShouldBe(
            "nftknock: table inet nftknock: an unconfirmed apply had lost its rollback watcher: restored the table as it was before "
            + "(no confirmation before the deadline, and its rollback watcher was lost)." + Environment.NewLine);
        cli.Files.ReadPending().ShouldBeNull();
    }

    [Fact]
    public async Task Apply_refuses_while_an_orphaned_apply_is_inside_its_window_and_says_nothing_restores_it()
    {
        var deadline = Whole(DateTimeOffset.UtcNow.AddMinutes(5));
        Pending(deadline, watched: false);

        (await cli.RunAsync("apply", "-c", cli.Write("nftknock.yaml", Config))).ShouldBe(ExitCodes.Usage);

        cli.Nft.Applied.ShouldBeEmpty();
        cli.Error.ToString().ShouldBe(Texts.PendingRefused("nftknock", "apply", deadline, orphaned: true) + Environment.NewLine);
        cli.Error.ToString().ShouldContain("and its rollback watcher was killed, so nothing restores the previous table by itself.");
    }

    [Fact]
    public async Task Confirm_keeps_an_orphaned_apply_inside_its_window()
    {
        Pending(DateTimeOffset.UtcNow.AddMinutes(5), watched: false);

        (await cli.RunAsync("confirm", "-t", "nftknock")).ShouldBe(ExitCodes.Ok, cli.Error.ToString());

        cli.Out.ToString().ShouldBe(Texts.Kept("nftknock") + Environment.NewLine);
        cli.Error.ToString().ShouldBe(
            "nftknock: table inet nftknock: kept the ruleset of an unconfirmed apply (confirmed with nftknock confirm after its rollback watcher was lost)." + Environment.NewLine);
        cli.Nft.Applied.ShouldBeEmpty();
        cli.Files.ReadPending().ShouldBeNull();
    }

    [Fact]
    public async Task Confirm_of_an_orphan_past_its_deadline_restores_as_the_deadline_promised_and_exits_1()
    {
        Pending(DateTimeOffset.UtcNow.AddSeconds(-1), watched: false);

        (await cli.RunAsync("confirm", "-t", "nftknock")).ShouldBe(ExitCodes.Failure);

        cli.Out.ToString().ShouldBeEmpty();
        cli.Nft.Applied.ShouldHaveSingleItem().ShouldEndWith(Before);
    }

    [Fact]
    public async Task Confirm_rollback_restores_a_pending_apply_now()
    {
        var path = cli.Write("nftknock.yaml", Config);
        cli.Nft.TextTables["nftknock"] = Before;
        cli.Input = string.Empty;
        var apply = cli.RunAsync("apply", "-c", path, "--confirm", "10m");
        for (var i = 0; i < 200 && cli.Files.ReadDecision(cli.Files.ReadPending()?.Token ?? "-")?.Kind != DecisionKind.Applied; i++)
        {
            await Task.Delay(25);
        }

        var rollback = await NftKnockApp.RunAsync(["confirm", "-t", "nftknock", "--rollback"], new CliContext
        {
            Out = new StringWriter(),
            Error = new StringWriter(),
            IsPrivileged = () => true,
            Nftables = () => cli.Nft,
            Environment = name => name == RollbackFiles.DirectoryVariable ? cli.Files.Directory : null,
        });

        rollback.ShouldBe(ExitCodes.Ok);
        (await apply.WaitAsync(TimeSpan.FromSeconds(10))).ShouldBe(ExitCodes.Failure);
        cli.Nft.Applied.Count.ShouldBe(2);
        cli.Nft.Applied[1].ShouldEndWith("delete table inet nftknock\n" + Before);
        cli.Error.ToString().ShouldContain("restored the table as it was before (rolled back with nftknock confirm --rollback)");
    }

    [Fact]
    public async Task Apply_confirm_whose_watcher_dies_says_so_and_restores_at_the_deadline_itself()
    {
        var path = cli.Write("nftknock.yaml", Config);
        cli.Nft.TextTables["nftknock"] = Before;
        cli.Launcher = () => new DyingLauncher();

        var code = await cli.RunAsync("apply", "-c", path, "--confirm", "1s").WaitAsync(TimeSpan.FromSeconds(15));

        code.ShouldBe(ExitCodes.Failure);
        cli.Error.ToString().ShouldContain(ServerTexts.WatcherKilled("nftknock"));
        cli.Error.ToString().ShouldEndWith(
            Texts.Restored("nftknock", "restored the table as it was before (no confirmation before the deadline)") + Environment.NewLine);
        cli.Nft.Applied.Count.ShouldBe(2);
        cli.Nft.Applied[1].ShouldEndWith("delete table inet nftknock\n" + Before);
    }

    /// <summary>A watcher that says armed and is killed at once.</summary>
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
}
