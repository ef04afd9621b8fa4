using System.Diagnostics;
using System.Globalization;
using NftKnock.Core.Ruleset;
using NftKnock.Integration.Tests.Rotating;
using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests;

/// <summary>
/// The log lines of grants and replays, read from the table's NFLOG group as nftknock-events.service
/// records them: their exact prefix, the SRC field, and the rate limit that keeps a flood of grants from
/// flooding the log. NFLOG groups are per namespace, so lines of other tests never count.
/// </summary>
public sealed class KernelLogTests
{
    [KernelFact]
    public async Task A_grant_writes_one_line_with_the_door_s_prefix_and_the_knocker_s_address()
    {
        await using var lab = await Lab.StartAsync("nkl");
        var door = lab.Id;
        await lab.ApplyOkAsync($"doors:\n  {door}:\n    protect: [22/tcp]\n    sequence: [7000/udp, 8000/tcp, 9000/udp]\n");
        await using var recorder = await Recorder.StartAsync(lab.Server);

        await lab.Client.KnockAsync(Lab.ServerV4, "7000/udp", "8000/tcp", "9000/udp");

        var lines = await recorder.WaitForAsync($"nftknock {door} open: ");
        lines.ShouldHaveSingleItem().ShouldStartWith($"nftknock {door} open: IN=");
        lines[0].ShouldContain($" SRC={Lab.ClientV4} DST={Lab.ServerV4} ");
    }

    [KernelFact]
    public async Task A_client_s_grant_and_a_replay_of_its_knock_write_lines_that_name_the_client()
    {
        await using var lab = await RotatingLab.StartWithPrefixAsync("nkl", ["alice", "bob"]);
        var door = lab.Lab.Id;
        await lab.ApplyAsync(RotatingClientTests.Config(lab, door));
        await using var recorder = await Recorder.StartAsync(lab.Lab.Server);
        var recorded = RotatingClientTests.Now(lab, door, "alice");

        await lab.Lab.Client.KnockAsync(Lab.ServerV4, recorded);
        await lab.Lab.Attacker.KnockAsync(Lab.ServerV4FromAttacker, recorded);

        (await recorder.WaitForAsync($"nftknock {door} open client=alice: ")).ShouldHaveSingleItem().ShouldContain($" SRC={Lab.ClientV4} ");
        (await recorder.WaitForAsync($"nftknock {door} replay client=alice: ")).ShouldHaveSingleItem().ShouldContain($" SRC={Lab.AttackerV4} ");
        recorder.Lines($"nftknock {door} open: ").ShouldBeEmpty();
    }

    [KernelFact]
    public async Task A_flood_of_grants_writes_no_more_lines_than_the_rate_limit_and_loses_no_grant()
    {
        const int Packets = 2000;
        await using var lab = await Lab.StartAsync("nkl");
        var door = lab.Id;
        await lab.ApplyOkAsync($"doors:\n  {door}:\n    protect: [22/tcp]\n    sequence: [7000/udp]\n    families: [ipv4]\n");
        await using var recorder = await Recorder.StartAsync(lab.Server);

        // 2000 one-step knocks, each a grant, in about one second: 100 datagrams every 50 ms.
        var flood = "import socket, time\n"
            + "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
            + $"for i in range({Packets}):\n"
            + $"    s.sendto(b'knock', ('{Lab.ServerV4}', 7000))\n"
            + "    if i % 100 == 99: time.sleep(0.05)\n";
        var clock = Stopwatch.StartNew();
        (await lab.Client.RunAsync(TimeSpan.FromSeconds(30), "/usr/bin/python3", "-c", flood)).EnsureSuccess("flood");
        var seconds = clock.Elapsed.TotalSeconds;
        await Task.Delay(300);

        var lines = recorder.Lines($"nftknock {door} open: ");
        var most = Planner.LogBurst + (Planner.LogRate * Math.Ceiling(seconds + 0.3));
        lines.Count.ShouldBeGreaterThan(0);
        lines.Count.ShouldBeLessThanOrEqualTo((int)most, string.Create(CultureInfo.InvariantCulture, $"{lines.Count} lines in {seconds:F2} s"));
        (await lab.CounterAsync($"{door}_grants")).ShouldBe(Packets);
        (await lab.SetAsync($"{door}_open_v4")).ShouldContain(Lab.ClientV4);
    }

    /// <summary>
    /// A client's lines are written at the end of its grant's and its replay's rules. The owner knocking its
    /// window again and again, faster than its log budget allows, gets every grant counted as a grant: a
    /// line the limit holds back never turns the knock into a replay.
    /// </summary>
    [KernelFact]
    public async Task A_client_s_grants_beyond_its_log_budget_are_all_counted_as_grants_and_none_as_a_replay()
    {
        const int Sequences = 60;
        await using var lab = await RotatingLab.StartWithPrefixAsync("nkl", ["alice", "bob"]);
        var door = lab.Lab.Id;
        await lab.ApplyAsync(RotatingClientTests.Config(lab, door));
        await using var recorder = await Recorder.StartAsync(lab.Lab.Server);
        var window = RotatingClientTests.Now(lab, door, "alice");

        // The window's three knocks back to back, 60 times over in about a second: each sequence a grant of the
        // window's owner. The sender stays on one CPU, whose backlog the veth delivers in order: a sender moved
        // between CPUs mid-sequence could have its knocks handled on both at once, out of order.
        var knocks = string.Join(", ", window.Knocks.Select(k => $"({k.Port}, bytes.fromhex('{Convert.ToHexString(k.Payload())}'))"));
        var flood = "import os, socket, time\n"
            + "os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})\n"
            + "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
            + $"for i in range({Sequences}):\n"
            + $"    for port, token in [{knocks}]:\n"
            + $"        s.sendto(token, ('{Lab.ServerV4}', port))\n"
            + "    time.sleep(0.01)\n";
        var clock = Stopwatch.StartNew();
        (await lab.Lab.Client.RunAsync(TimeSpan.FromSeconds(30), "/usr/bin/python3", "-c", flood)).EnsureSuccess("owner's flood");
        var seconds = clock.Elapsed.TotalSeconds;
        await Task.Delay(300);

        var alice = Names.ClientId("alice");
        (await lab.Lab.CounterAsync($"{door}_grants_{alice}")).ShouldBe(Sequences);
        (await lab.Lab.CounterAsync($"{door}_replays_{alice}")).ShouldBe(0);
        (await lab.Lab.CounterAsync($"{door}_replays")).ShouldBe(0);
        var lines = recorder.Lines($"nftknock {door} open client=alice: ");
        lines.Count.ShouldBeGreaterThan(0);
        lines.Count.ShouldBeLessThanOrEqualTo((int)(Planner.LogBurst + (Planner.LogRate * Math.Ceiling(seconds + 0.3))));
        recorder.Lines($"nftknock {door} replay client=alice: ").ShouldBeEmpty();
    }

    /// <summary>
    /// The rate limit is per source: a flood of grants from one source uses up that source's budget only,
    /// so another source's grant in the middle of the flood still gets its line.
    /// </summary>
    [KernelFact]
    public async Task A_grant_of_a_second_source_gets_its_line_while_another_source_floods_grants()
    {
        const int Packets = 2000;
        await using var lab = await Lab.StartAsync("nkl");
        var door = lab.Id;
        await lab.ApplyOkAsync($"doors:\n  {door}:\n    protect: [22/tcp]\n    sequence: [7000/udp]\n    families: [ipv4]\n");
        await using var recorder = await Recorder.StartAsync(lab.Server);

        // 2000 one-step knocks from the client, each a grant, in about two seconds.
        var flood = "import socket, time\n"
            + "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
            + $"for i in range({Packets}):\n"
            + $"    s.sendto(b'knock', ('{Lab.ServerV4}', 7000))\n"
            + "    if i % 100 == 99: time.sleep(0.1)\n";
        using var flooding = lab.Client.Start("timeout", "30", "/usr/bin/python3", "-c", flood);
        await Task.Delay(700);
        flooding.HasExited.ShouldBeFalse("the flood ended before the second source knocked");
        await lab.Attacker.KnockAsync(Lab.ServerV4FromAttacker, "7000/udp");
        await flooding.WaitForExitAsync();
        flooding.ExitCode.ShouldBe(0);

        (await recorder.WaitForAsync($"nftknock {door} open: ")).Count.ShouldBeGreaterThan(0);
        recorder.Lines($"nftknock {door} open: ").Where(l => l.Contains($" SRC={Lab.ClientV4} ", StringComparison.Ordinal)).Count().ShouldBeLessThanOrEqualTo(Planner.LogBurst + (Planner.LogRate * 5));
        recorder.Lines($"nftknock {door} open: ").Where(l => l.Contains($" SRC={Lab.AttackerV4} ", StringComparison.Ordinal)).ShouldHaveSingleItem();
        (await lab.CounterAsync($"{door}_grants")).ShouldBe(Packets + 1);
    }

    [KernelFact]
    public async Task With_a_log_group_the_line_goes_to_that_nflog_group_instead_of_nftknock_s_own()
    {
        await using var lab = await Lab.StartAsync("nkl");
        var door = lab.Id;
        await lab.ApplyOkAsync($"doors:\n  {door}:\n    protect: [22/tcp]\n    sequence: [7000/udp]\n    log-group: 7\n");
        await using var recorder = await Recorder.StartAsync(lab.Server);
        var capture = Path.Combine(Path.GetTempPath(), $"{lab.Id}-nflog.pcap");
        try
        {
            var tcpdump = lab.Server.Start("timeout", "20", "tcpdump", "-i", "nflog:7", "-c", "1", "-U", "-w", capture);
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            var listening = await tcpdump.StandardError.ReadLineAsync(limit.Token);
            listening.ShouldNotBeNull().ShouldContain("listening on nflog:7");

            await lab.Client.KnockAsync(Lab.ServerV4, "7000/udp");
            await tcpdump.WaitForExitAsync(limit.Token);

            System.Text.Encoding.ASCII.GetString(await File.ReadAllBytesAsync(capture)).ShouldContain($"nftknock {door} open: ");
            recorder.All().ShouldBeEmpty();
        }
        finally
        {
            File.Delete(capture);
        }
    }
}
