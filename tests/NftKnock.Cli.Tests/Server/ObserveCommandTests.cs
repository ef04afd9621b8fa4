using NftKnock.Cli.Tests.Deploy;
using NftKnock.Server.Events;

namespace NftKnock.Cli.Tests.Server;

/// <summary>metrics, events and status's per-client lines, in-process on the fakes.</summary>
public sealed class ObserveCommandTests : IDisposable
{
    private const string Fields = "IN=veth0 OUT= SRC=198.18.0.2 DST=198.18.0.1 PROTO=UDP SPT=40000 DPT=7000 ";

    private readonly CliHarness cli = new();

    public void Dispose() => cli.Dispose();

    private void Table(string fixture) =>
        cli.Nft.Tables["nftknock"] = File.ReadAllText(Repo.Path("tests", "NftKnock.Server.Tests", "Fixtures", fixture));

    [Fact]
    public async Task Metrics_prints_the_exposition_from_one_listing()
    {
        Table("clients-prefixes-live.json");

        (await cli.RunAsync("metrics", "-t", "nftknock")).ShouldBe(ExitCodes.Ok, cli.Error.ToString());

        var text = cli.Out.ToString();
        text.ShouldStartWith("# HELP nftknock_blocked_total ");
        text.ShouldContain("nftknock_grants_total{door=\"ssh\",client=\"alice\"} 2\n");
        text.ShouldNotContain("nftknock_grants_total{door=\"ssh\"}");
        text.ShouldEndWith("nftknock_table_present{table=\"nftknock\"} 1\n");
        cli.Nft.Reads.ShouldBe(1);
        cli.Error.ToString().ShouldBeEmpty();
    }

    [Fact]
    public async Task Metrics_with_textfile_writes_nftknock_prom_and_prints_nothing()
    {
        Table("two-doors-live.json");
        var directory = Directory.CreateDirectory(Path.Combine(cli.Directory, "textfile")).FullName;

        (await cli.RunAsync("metrics", "-t", "nftknock", "--textfile", directory)).ShouldBe(ExitCodes.Ok, cli.Error.ToString());

        cli.Out.ToString().ShouldBeEmpty();
        File.ReadAllText(Path.Combine(directory, "nftknock.prom")).ShouldContain("nftknock_knocks_total{door=\"ssh\"} 9\n");
        Directory.GetFiles(directory).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Metrics_without_the_table_exposes_its_absence_says_so_and_exits_1()
    {
        var directory = Directory.CreateDirectory(Path.Combine(cli.Directory, "textfile")).FullName;

        (await cli.RunAsync("metrics", "-t", "nftknock", "--textfile", directory)).ShouldBe(ExitCodes.Failure);

        cli.Error.ToString().ShouldBe("nftknock: there is no table inet nftknock. Run nftknock apply first." + Environment.NewLine);
        File.ReadAllText(Path.Combine(directory, "nftknock.prom")).ShouldEndWith("nftknock_table_present{table=\"nftknock\"} 0\n");
    }

    [Fact]
    public async Task Metrics_into_a_directory_that_is_not_there_is_a_usage_error()
    {
        var missing = Path.Combine(cli.Directory, "missing");

        (await cli.RunAsync("metrics", "-t", "nftknock", "--textfile", missing)).ShouldBe(ExitCodes.Usage);

        cli.Error.ToString().ShouldStartWith($"nftknock: --textfile {missing} is not a directory.");
        cli.Nft.Calls.ShouldBe(0);
    }

    [Fact]
    public async Task Status_lists_each_client_of_a_rotating_door_with_its_counts()
    {
        Table("clients-prefixes-live.json");

        (await cli.RunAsync("status", "-t", "nftknock")).ShouldBe(ExitCodes.Ok, cli.Error.ToString());

        var lines = cli.Out.ToString().Split(Environment.NewLine);
        lines.ShouldContain("door ssh: protects 22/tcp; 3 steps; knocks 9, grants 3, resets 1, blocked 2, replays 1");
        lines.ShouldContain("  client alice: grants 2, replays 1");
        lines.ShouldContain("  client bob: grants 1, replays 0");
        lines.ShouldContain(l => l.StartsWith("  198.18.7.0/24 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Events_prints_grants_and_replays_since_a_duration_ago_as_text_or_json()
    {
        var now = new DateTimeOffset(2026, 11, 26, 17, 3, 4, TimeSpan.Zero);
        cli.Time = new NftKnock.Testing.TestClock(now);
        cli.Log.Add(now - TimeSpan.FromMinutes(30), "nftknock ssh open: " + Fields);
        cli.Log.Add(now - TimeSpan.FromMinutes(2), "nftknock ssh open client=alice: " + Fields);
        cli.Log.Add(now - TimeSpan.FromMinutes(1), "nftknock ssh replay client=alice: " + Fields.Replace("198.18.0.2", "198.18.9.9", StringComparison.Ordinal));

        (await cli.RunAsync("events", "--since", "10m")).ShouldBe(ExitCodes.Ok, cli.Error.ToString());
        (await cli.RunAsync("events", "--json")).ShouldBe(ExitCodes.Ok, cli.Error.ToString());

        cli.Out.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).ShouldBe([
            "2026-11-26T17:01:04Z grant door=ssh client=alice source=198.18.0.2 family=ipv4 interface=veth0 port=7000/udp",
            "2026-11-26T17:02:04Z replay door=ssh client=alice source=198.18.9.9 family=ipv4 interface=veth0 port=7000/udp",
            """{"time":"2026-11-26T16:33:04.000Z","kind":"grant","door":"ssh","source":"198.18.0.2","family":"ipv4","interface":"veth0","port":7000,"protocol":"udp"}""",
            """{"time":"2026-11-26T17:01:04.000Z","kind":"grant","door":"ssh","client":"alice","source":"198.18.0.2","family":"ipv4","interface":"veth0","port":7000,"protocol":"udp"}""",
            """{"time":"2026-11-26T17:02:04.000Z","kind":"replay","door":"ssh","client":"alice","source":"198.18.9.9","family":"ipv4","interface":"veth0","port":7000,"protocol":"udp"}""",
        ]);
        cli.Log.Reads.ShouldBe([(now - TimeSpan.FromMinutes(10), false), (null, false)]);
    }

    [Theory]
    [InlineData("10")]
    [InlineData("0s")]
    [InlineData("-5m")]
    [InlineData("9999h")]
    [InlineData("10d")]
    public async Task Events_refuses_a_since_that_is_not_a_duration_in_range(string since)
    {
        (await cli.RunAsync("events", "--since", since)).ShouldBe(ExitCodes.Usage);

        cli.Error.ToString().ShouldStartWith("nftknock: --since");
        cli.Log.Reads.ShouldBeEmpty();
    }

    [Fact]
    public async Task Events_record_prints_each_event_as_the_line_the_table_logged_and_nothing_else()
    {
        var now = new DateTimeOffset(2026, 11, 26, 17, 3, 4, TimeSpan.Zero);
        cli.Log.Add(now, "nftknock ssh replay client=alice: " + Fields);
        cli.Log.Add(now, "some other line");

        (await cli.RunAsync("events", "--record")).ShouldBe(ExitCodes.Ok, cli.Error.ToString());

        cli.Out.ToString().ShouldBe("nftknock ssh replay client=alice: " + Fields + Environment.NewLine);
    }

    [Fact]
    public async Task Events_from_the_nflog_group_without_follow_exits_2_since_the_group_keeps_no_past()
    {
        (await cli.RunAsync("events", "--from", "nflog")).ShouldBe(ExitCodes.Usage);

        cli.Error.ToString().ShouldBe("nftknock: --from nflog reads new lines only and needs --follow; read the recorded ones with --from journal." + Environment.NewLine);
        cli.Log.Reads.ShouldBeEmpty();
    }

    [Fact]
    public async Task Events_without_the_right_to_read_the_log_exits_4_in_one_line()
    {
        cli.Log.Failure = new KernelLogException(KernelLogFailure.PermissionDenied, "NFLOG group 4242", "Operation not permitted");

        (await cli.RunAsync("events")).ShouldBe(ExitCodes.NeedsPrivileges);

        cli.Error.ToString().ShouldBe("nftknock: cannot read NFLOG group 4242: Operation not permitted. Reading the NFLOG group needs root (CAP_NET_ADMIN), the journal root or its groups; run nftknock events with sudo." + Environment.NewLine);
    }

    [Fact]
    public async Task Events_from_an_unknown_log_names_the_allowed_values_as_the_docs_write_them()
    {
        (await cli.RunAsync("events", "--from", "foo")).ShouldBe(ExitCodes.Usage);

        cli.Error.ToString().ShouldBe("nftknock: --from takes auto, journal or nflog, not 'foo'. Run 'nftknock --help' for usage." + Environment.NewLine);
    }

    [Fact]
    public async Task Events_from_a_log_that_fails_exits_1_in_one_line()
    {
        cli.Log.Failure = new KernelLogException(KernelLogFailure.Unavailable, "journald", "journalctl exited with 1");

        (await cli.RunAsync("events", "--from", "journal")).ShouldBe(ExitCodes.Failure);

        cli.Error.ToString().ShouldBe("nftknock: cannot read journald: journalctl exited with 1. Try --from journal (what nftknock-events.service recorded) or --from nflog --follow." + Environment.NewLine);
    }

    [Theory]
    [InlineData(new[] { "events", "--exec", "/bin/true" }, "nftknock: --exec runs a command for each new event and needs --follow: nftknock events --follow --exec CMD [ARG...].")]
    [InlineData(new[] { "events", "--follow", "mail" }, "nftknock: events takes no argument 'mail'. Arguments belong to --exec CMD: nftknock events --follow --exec CMD [ARG...].")]
    [InlineData(new[] { "events", "--follow", "--exec", "/bin/true", "--exec-timeout", "0s" }, "nftknock: --exec-timeout '0s' is not a duration from 1s to 1h. Use a number followed by s, m or h, like 30s.")]
    public async Task Events_exec_refuses_what_it_cannot_run_as_asked_with_exit_2(string[] args, string expected)
    {
        (await cli.RunAsync(args)).ShouldBe(ExitCodes.Usage);

        cli.Error.ToString().ShouldBe(expected + Environment.NewLine);
        cli.Log.Reads.ShouldBeEmpty();
    }
}
