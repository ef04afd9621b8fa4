using NftKnock.Core.Rotating;
using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests.Rotating;

/// <summary>Rotating doors with real packets: the right secret opens, replays and stale knocks do not.</summary>
public sealed class RotatingDoorTests
{
    // Short periods keep the suite fast; 4 s leaves room for a loaded CI machine where timing matters less.
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(2);

    /// <summary>A lab with the door applied and, unless a test says otherwise, rotate running as in production.</summary>
    private static Task<RotatingLab> StartAsync(TimeSpan period, bool closeOnConnect = false, bool rotate = true, params string[] clients) =>
        StartWithPrefixAsync("nkr", period, closeOnConnect, rotate, clients);

    private static async Task<RotatingLab> StartWithPrefixAsync(string prefix, TimeSpan period, bool closeOnConnect, bool rotate, params string[] clients)
    {
        clients = clients.Length == 0 ? ["alice"] : clients;
        var lab = await RotatingLab.StartWithPrefixAsync(prefix, clients);
        try
        {
            await lab.ApplyAsync(lab.Config(period, closeOnConnect, clients));
            if (rotate)
            {
                await lab.StartRotateAsync();
            }

            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    [KernelTheory]
    [InlineData("v4")]
    [InlineData("v6")]
    public async Task Rotating_door_opens_right_after_apply_for_the_client_with_the_secret_only(string family)
    {
        var (server, fromAttacker) = family == "v4" ? (Lab.ServerV4, Lab.ServerV4FromAttacker) : (Lab.ServerV6, Lab.ServerV6FromAttacker);
        await using var lab = await StartAsync(Period, rotate: false);
        var sequence = lab.Sequence("alice", Period);
        var window = sequence.Window(sequence.WindowAt(DateTimeOffset.UtcNow));
        await lab.ExpectAsync(false, lab.Lab.Client, server, "client before knocking");

        await lab.KnockAndExpectOpenAsync(lab.Lab.Client, server, window, "client");

        await lab.ExpectAsync(false, lab.Lab.Attacker, fromAttacker, "attacker");
    }

    [KernelFact]
    public async Task Knocks_with_the_right_ports_but_a_wrong_token_do_not_advance()
    {
        await using var lab = await StartAsync(Period);
        var sequence = lab.Sequence("alice", Period);
        var knocks = sequence.Window(sequence.WindowAt(DateTimeOffset.UtcNow)).Knocks;
        var forged = knocks.Select(k => k with { Token = k.Token ^ 1 }).ToList();

        await lab.Lab.Client.KnockAsync(Lab.ServerV4, forged.Take(1));
        (await lab.Lab.SetAsync("ssh_s1_v4")).ShouldNotContain(Lab.ClientV4);

        await lab.Lab.Client.KnockAsync(Lab.ServerV4, [knocks[0], forged[1], knocks[2]]);
        await lab.ExpectAsync(false, lab.Lab.Client, Lab.ServerV4, "client");
        (await lab.Lab.CounterAsync("ssh_grants")).ShouldBe(0);
    }

    [KernelTheory]
    [InlineData("v4")]
    [InlineData("v6")]
    public async Task A_knock_replayed_from_another_address_in_the_same_window_does_not_grant(string attackerFamily)
    {
        var fromAttacker = attackerFamily == "v4" ? Lab.ServerV4FromAttacker : Lab.ServerV6FromAttacker;
        await using var lab = await StartAsync(Period);
        var sequence = lab.Sequence("alice", Period);
        var recorded = sequence.Window(sequence.WindowAt(DateTimeOffset.UtcNow));

        await lab.KnockAndExpectOpenAsync(lab.Lab.Client, Lab.ServerV4, recorded, "client over IPv4");

        await lab.Lab.Attacker.KnockAsync(fromAttacker, recorded);

        await lab.ExpectAsync(false, lab.Lab.Attacker, fromAttacker, "attacker");
        (await lab.Lab.CounterAsync("ssh_replays")).ShouldBe(1);
        (await lab.Lab.SetAsync("ssh_open_v4")).ShouldNotContain(Lab.AttackerV4);
        (await lab.Lab.SetAsync("ssh_open_v6")).ShouldNotContain(Lab.AttackerV6);
    }

    /// <summary>
    /// A client that knocks over IPv4 only (connect, knock -4, a network without IPv6) leaves nothing
    /// for IPv6 to take: the window is claimed for both families, so its captured knock replayed over
    /// IPv6 from another address is refused as a replay, and so is a second knock of the same window
    /// from another IPv4 address.
    /// </summary>
    [KernelFact]
    public async Task An_IPv4_only_knock_captured_and_replayed_over_IPv6_from_another_address_opens_nothing()
    {
        await using var lab = await StartAsync(Period);
        var sequence = lab.Sequence("alice", Period);
        var recorded = sequence.Window(sequence.WindowAt(DateTimeOffset.UtcNow));
        await lab.KnockAndExpectOpenAsync(lab.Lab.Client, Lab.ServerV4, recorded, "client over IPv4");

        await lab.Lab.Attacker.KnockAsync(Lab.ServerV6FromAttacker, recorded);

        await lab.ExpectAsync(false, lab.Lab.Attacker, Lab.ServerV6FromAttacker, "the captured IPv4 knock replayed over IPv6");
        (await lab.Lab.SetAsync("ssh_open_v6")).ShouldNotContain(Lab.AttackerV6);
        (await lab.Lab.CounterAsync("ssh_replays")).ShouldBe(1);
        (await lab.Lab.CounterAsync("ssh_grants")).ShouldBe(1);
    }

    [KernelFact]
    public async Task A_knock_replayed_after_its_validity_passed_does_not_grant_to_anyone()
    {
        await using var lab = await StartAsync(Short, rotate: false);
        var rotate = await lab.StartRotateAsync();
        var sequence = lab.Sequence("alice", Short);
        var recorded = sequence.Window(sequence.WindowAt(DateTimeOffset.UtcNow));
        await lab.KnockAndExpectOpenAsync(lab.Lab.Client, Lab.ServerV4, recorded, "client");

        // Window w is accepted until window w+1 ends; rotate keeps running, so only expiry can refuse it.
        var expired = RotatingDerivation.WindowStart(recorded.Number + 2, Short) + TimeSpan.FromMilliseconds(300);
        await Task.Delay(expired - DateTimeOffset.UtcNow);
        await lab.Lab.Server.RunAsync("nft", "flush", "set", "inet", "nftknock", "ssh_open_v4");
        await lab.Lab.Attacker.KnockAsync(Lab.ServerV4FromAttacker, recorded);
        await lab.Lab.Client.KnockAsync(Lab.ServerV4, recorded);

        await lab.ExpectAsync(false, lab.Lab.Attacker, Lab.ServerV4FromAttacker, "attacker");
        await lab.ExpectAsync(false, lab.Lab.Client, Lab.ServerV4, "client");
        rotate.HasExited.ShouldBeFalse();
    }

    [KernelFact]
    public async Task The_owner_of_a_window_can_connect_five_times_in_a_row_within_one_period()
    {
        var period = TimeSpan.FromSeconds(4);
        await using var lab = await StartAsync(period, closeOnConnect: true);
        var sequence = lab.Sequence("alice", period);
        await RotatingLab.AtWindowFractionAsync(period, 0.05, 0.2);
        var window = sequence.Window(sequence.WindowAt(DateTimeOffset.UtcNow));

        for (var i = 0; i < 5; i++)
        {
            await lab.KnockAndExpectOpenAsync(lab.Lab.Client, Lab.ServerV4, window, $"connection {i + 1}");
        }

        (await lab.Lab.CounterAsync("ssh_grants")).ShouldBe(5);
        (await lab.Lab.CounterAsync("ssh_replays")).ShouldBe(0);
    }

    [KernelTheory]
    [InlineData(-1)]
    [InlineData(1)]
    public async Task A_client_whose_clock_is_one_period_off_still_gets_in(int periods)
    {
        await using var lab = await StartAsync(Period);
        var sequence = lab.Sequence("alice", Period);

        // Mid-window, so the server's windows t-1..t+1 are the ones the skewed clock is next to.
        await RotatingLab.AtWindowFractionAsync(Period, 0.4, 0.7);
        var skewed = DateTimeOffset.UtcNow + (Period * periods);

        await lab.KnockAndExpectOpenAsync(lab.Lab.Client, Lab.ServerV4, sequence.Attempts(skewed)[0], "client");
    }

    [KernelFact]
    public async Task After_rotate_stops_the_door_closes_within_two_periods()
    {
        await using var lab = await StartAsync(Short, rotate: false);
        var rotate = await lab.StartRotateAsync();
        var sequence = lab.Sequence("alice", Short);

        // Past everything apply wrote: only rotate can have kept the door working.
        await Task.Delay((Short * 2) + TimeSpan.FromMilliseconds(500));
        await lab.KnockAndExpectOpenAsync(lab.Lab.Client, Lab.ServerV4, sequence.Window(sequence.WindowAt(DateTimeOffset.UtcNow)), "rotate keeps the door working");

        rotate.Kill(entireProcessTree: true);
        await rotate.WaitForExitAsync();
        var stopped = DateTimeOffset.UtcNow;
        await Task.Delay((Short * 2) + TimeSpan.FromMilliseconds(200));
        (await lab.Lab.SetAsync("rotating")).ShouldNotContain("goto", customMessage: $"stopped at {stopped:O}");
        await lab.Lab.Server.RunAsync("nft", "flush", "set", "inet", "nftknock", "ssh_open_v4");
        foreach (var window in sequence.Attempts(DateTimeOffset.UtcNow))
        {
            await lab.Lab.Client.KnockAsync(Lab.ServerV4, window);
        }

        await lab.ExpectAsync(false, lab.Lab.Client, Lab.ServerV4, "client");
    }

    [KernelFact]
    public async Task Two_clients_with_their_own_secrets_get_in_and_removing_one_locks_out_only_that_one()
    {
        await using var lab = await StartAsync(Period, false, true, "alice", "bob");
        var alice = lab.Sequence("alice", Period);
        var bob = lab.Sequence("bob", Period);

        await lab.KnockAndExpectOpenAsync(lab.Lab.Client, Lab.ServerV4, alice.Window(alice.WindowAt(DateTimeOffset.UtcNow)), "alice gets in");
        await lab.KnockAndExpectOpenAsync(lab.Lab.Attacker, Lab.ServerV4FromAttacker, bob.Window(bob.WindowAt(DateTimeOffset.UtcNow)), "bob gets in");

        await lab.ApplyAsync(lab.Config(Period, false, "alice"));
        await lab.Lab.Server.RunAsync("nft", "flush", "set", "inet", "nftknock", "ssh_open_v4");
        foreach (var window in bob.Attempts(DateTimeOffset.UtcNow))
        {
            await lab.Lab.Attacker.KnockAsync(Lab.ServerV4FromAttacker, window);
        }

        await lab.ExpectAsync(false, lab.Lab.Attacker, Lab.ServerV4FromAttacker, "bob was removed");
        await lab.KnockAndExpectOpenAsync(lab.Lab.Client, Lab.ServerV4, alice.Window(alice.WindowAt(DateTimeOffset.UtcNow)), "alice still gets in");
    }

    [KernelFact]
    public async Task The_real_client_with_a_rotating_profile_gets_in_five_times_in_a_row()
    {
        await using var lab = await StartAsync(Period, closeOnConnect: true);
        var profile = lab.WriteProfile("alice", Lab.ServerV4, Period);

        for (var i = 0; i < 5; i++)
        {
            var run = await lab.Lab.Client.NftknockAsync("knock", Lab.ServerV4, "--profiles", profile, "--check", "22");
            run.ExitCode.ShouldBe(0, $"connection {i + 1}: {run.Stderr}");
            run.Stdout.ShouldStartWith("Port 22 on 198.18.1.1 is open");
        }

        (await lab.Lab.CounterAsync("ssh_replays")).ShouldBe(0);
        await lab.ExpectAsync(false, lab.Lab.Client, Lab.ServerV4, "close-on-connect used the last grant up");
    }

    [KernelFact]
    public async Task A_retry_after_a_lost_knock_sends_each_token_twice_and_opens_once_without_a_replay()
    {
        await using var lab = await StartWithPrefixAsync("nkl", Period, false, true);
        var profile = lab.WriteProfile("alice", Lab.ServerV4, Period);
        // The link loses the client's very first datagram (its first knock) before nftknock sees it.
        (await lab.Lab.Server.NftAsync("""
            table inet nkl_loss {
                set lost { type ipv4_addr; }
                chain prerouting {
                    type filter hook prerouting priority -400; policy accept;
                    meta l4proto udp ip saddr != @lost add @lost { ip saddr } drop
                }
            }
            """)).EnsureSuccess("loss table");
        await RotatingLab.AtWindowFractionAsync(Period, 0.1, 0.4);

        var run = await lab.Lab.Client.NftknockAsync("knock", Lab.ServerV4, "--profiles", profile, "--check", "22", "-v");

        run.ExitCode.ShouldBe(0, run.Stderr);
        run.Stdout.ShouldStartWith("Port 22 on 198.18.1.1 is open (attempt 2)");
        run.Stderr.ShouldContain("attempt 2 of 8: knocked ");
        run.Stderr.ShouldContain(", each twice, 25ms apart");
        (await lab.Lab.CounterAsync("ssh_grants")).ShouldBe(1, "the repeated last knock is ignored, not a second grant");
        (await lab.Lab.CounterAsync("ssh_replays")).ShouldBe(0, "the owner's repeated token is not a replay");
    }

    [KernelFact]
    public async Task The_real_client_with_a_revoked_secret_stays_out_and_suspects_the_clock()
    {
        await using var lab = await StartAsync(Period, false, true, "alice", "bob");
        var profile = lab.WriteProfile("bob", Lab.ServerV4FromAttacker, Period);
        await lab.ApplyAsync(lab.Config(Period, false, "alice"));

        var run = await lab.Lab.Attacker.NftknockAsync("connect", Lab.ServerV4FromAttacker, "22", "--profiles", profile, "--attempts", "3");

        run.ExitCode.ShouldBe(3, run.Stderr);
        run.Stderr.ShouldContain("nftknock: the door stayed closed for the previous, current and next windows.");
    }

    [KernelFact]
    public async Task A_knock_captured_before_the_table_lost_its_claims_does_not_work_again()
    {
        var period = TimeSpan.FromSeconds(10);
        await using var lab = await StartAsync(period, rotate: false);
        var sequence = lab.Sequence("alice", period);
        await RotatingLab.AtWindowFractionAsync(period, 0.02, 0.3);
        var recorded = sequence.Window(sequence.WindowAt(DateTimeOffset.UtcNow));
        await lab.KnockAndExpectOpenAsync(lab.Lab.Client, Lab.ServerV4, recorded, "client");

        // As a reboot does: the table goes and comes back with empty sets, claims included.
        (await lab.Lab.Server.NftknockAsync("remove", "-t", "nftknock")).EnsureSuccess("remove");
        (await lab.Lab.Server.NftknockAsync("apply", "-c", lab.ConfigPath)).EnsureSuccess("apply");
        await lab.Lab.Attacker.KnockAsync(Lab.ServerV4FromAttacker, recorded);

        await lab.ExpectAsync(false, lab.Lab.Attacker, Lab.ServerV4FromAttacker, "attacker replaying a knock captured before the table was recreated");
        RotatingDerivation.Window(DateTimeOffset.UtcNow, period).ShouldBeLessThanOrEqualTo(recorded.Number + 1, "the test ran too slowly to tell");
        var served = File.ReadAllText(Path.Combine(lab.Lab.Server.StateDir, "nftknock.served"));
        served.ShouldContain("\ndoor ssh 10000 ");
    }
}
