using NftKnock.Core.Rotating;
using NftKnock.Integration.Tests.Infrastructure;

namespace NftKnock.Integration.Tests.Rotating;

/// <summary>Rotating doors with real packets: the right secret opens, replays and stale knocks do not.</summary>
public sealed class RotatingDoorTests
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(2);

    private static async Task<RotatingLab> StartAsync(TimeSpan period, bool closeOnConnect = false, params string[] clients)
    {
        clients = clients.Length == 0 ? ["alice"] : clients;
        var lab = await RotatingLab.StartAsync(clients);
        try
        {
            await lab.ApplyAsync(lab.Config(period, closeOnConnect, clients));
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    private static async Task<long> CounterAsync(RotatingLab lab, string name)
    {
        var text = (await lab.Lab.Server.RunAsync("nft", "list", "counter", "inet", "nftknock", name)).Stdout;
        var at = text.IndexOf("packets ", StringComparison.Ordinal);
        return long.Parse(text[(at + 8)..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    [KernelFact]
    public async Task Rotating_door_opens_right_after_apply_for_the_client_with_the_secret_only()
    {
        await using var lab = await StartAsync(Period);
        var sequence = lab.Sequence("alice", Period);
        var window = sequence.Window(sequence.WindowAt(DateTimeOffset.UtcNow));
        (await lab.Lab.Client.CanConnectAsync(Lab.ServerV4, 22)).ShouldBeFalse();

        await lab.Lab.Client.KnockAsync(Lab.ServerV4, window);

        (await lab.Lab.Client.CanConnectAsync(Lab.ServerV4, 22)).ShouldBeTrue();
        (await lab.Lab.Attacker.CanConnectAsync(Lab.ServerV4FromAttacker, 22)).ShouldBeFalse();
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
        (await lab.Lab.Client.CanConnectAsync(Lab.ServerV4, 22)).ShouldBeFalse();
        (await CounterAsync(lab, "ssh_grants")).ShouldBe(0);
    }

    [KernelFact]
    public async Task A_knock_replayed_from_another_address_in_the_same_window_does_not_grant()
    {
        await using var lab = await StartAsync(Period);
        var sequence = lab.Sequence("alice", Period);
        var recorded = sequence.Window(sequence.WindowAt(DateTimeOffset.UtcNow));
        await lab.Lab.Client.KnockAsync(Lab.ServerV4, recorded);
        (await lab.Lab.Client.CanConnectAsync(Lab.ServerV4, 22)).ShouldBeTrue();

        await lab.Lab.Attacker.KnockAsync(Lab.ServerV4FromAttacker, recorded);

        (await lab.Lab.Attacker.CanConnectAsync(Lab.ServerV4FromAttacker, 22)).ShouldBeFalse();
        (await CounterAsync(lab, "ssh_replays")).ShouldBe(1);
        (await lab.Lab.SetAsync("ssh_open_v4")).ShouldNotContain(Lab.AttackerV4);
    }

    [KernelFact]
    public async Task A_knock_replayed_after_its_validity_passed_does_not_grant_to_anyone()
    {
        await using var lab = await StartAsync(Period);
        var rotate = lab.StartRotate();
        var sequence = lab.Sequence("alice", Period);
        var recorded = sequence.Window(sequence.WindowAt(DateTimeOffset.UtcNow));
        await lab.Lab.Client.KnockAsync(Lab.ServerV4, recorded);
        (await lab.Lab.Client.CanConnectAsync(Lab.ServerV4, 22)).ShouldBeTrue();

        // Window w is accepted until window w+1 ends; rotate keeps running, so only expiry can refuse it.
        var expired = RotatingDerivation.WindowStart(recorded.Number + 2, Period) + TimeSpan.FromMilliseconds(300);
        await Task.Delay(expired - DateTimeOffset.UtcNow);
        await lab.Lab.Server.RunAsync("nft", "flush", "set", "inet", "nftknock", "ssh_open_v4");
        await lab.Lab.Attacker.KnockAsync(Lab.ServerV4FromAttacker, recorded);
        await lab.Lab.Client.KnockAsync(Lab.ServerV4, recorded);

        (await lab.Lab.Attacker.CanConnectAsync(Lab.ServerV4FromAttacker, 22)).ShouldBeFalse();
        (await lab.Lab.Client.CanConnectAsync(Lab.ServerV4, 22)).ShouldBeFalse();
        rotate.HasExited.ShouldBeFalse();
    }

    [KernelFact]
    public async Task The_owner_of_a_window_can_connect_five_times_in_a_row_within_one_period()
    {
        var period = TimeSpan.FromSeconds(4);
        await using var lab = await StartAsync(period, closeOnConnect: true);
        var sequence = lab.Sequence("alice", period);
        var window = sequence.Window(sequence.WindowAt(DateTimeOffset.UtcNow));

        for (var i = 0; i < 5; i++)
        {
            await lab.Lab.Client.KnockAsync(Lab.ServerV4, window);
            (await lab.Lab.Client.CanConnectAsync(Lab.ServerV4, 22)).ShouldBeTrue($"connection {i + 1}");
        }

        (await CounterAsync(lab, "ssh_grants")).ShouldBe(5);
        (await CounterAsync(lab, "ssh_replays")).ShouldBe(0);
    }

    [KernelTheory]
    [InlineData(-1)]
    [InlineData(1)]
    public async Task A_client_whose_clock_is_one_period_off_still_gets_in(int periods)
    {
        await using var lab = await StartAsync(Period);
        var sequence = lab.Sequence("alice", Period);
        var skewed = DateTimeOffset.UtcNow + (Period * periods);

        await lab.Lab.Client.KnockAsync(Lab.ServerV4, sequence.Attempts(skewed)[0]);

        (await lab.Lab.Client.CanConnectAsync(Lab.ServerV4, 22)).ShouldBeTrue();
    }

    [KernelFact]
    public async Task After_rotate_stops_the_door_closes_within_two_periods()
    {
        await using var lab = await StartAsync(Period);
        var rotate = lab.StartRotate();
        var sequence = lab.Sequence("alice", Period);

        // Past everything apply wrote: only rotate can have kept the door working.
        await Task.Delay((Period * 2) + TimeSpan.FromMilliseconds(500));
        await lab.Lab.Client.KnockAsync(Lab.ServerV4, sequence.Window(sequence.WindowAt(DateTimeOffset.UtcNow)));
        (await lab.Lab.Client.CanConnectAsync(Lab.ServerV4, 22)).ShouldBeTrue("rotate keeps the door working");

        rotate.Kill(entireProcessTree: true);
        await rotate.WaitForExitAsync();
        var stopped = DateTimeOffset.UtcNow;
        await Task.Delay((Period * 2) + TimeSpan.FromMilliseconds(200));
        (await lab.Lab.SetAsync("rotating")).ShouldNotContain("goto", customMessage: $"stopped at {stopped:O}");
        await lab.Lab.Server.RunAsync("nft", "flush", "set", "inet", "nftknock", "ssh_open_v4");
        foreach (var window in sequence.Attempts(DateTimeOffset.UtcNow))
        {
            await lab.Lab.Client.KnockAsync(Lab.ServerV4, window);
        }

        (await lab.Lab.Client.CanConnectAsync(Lab.ServerV4, 22)).ShouldBeFalse();
    }

    [KernelFact]
    public async Task Two_clients_with_their_own_secrets_get_in_and_removing_one_locks_out_only_that_one()
    {
        await using var lab = await StartAsync(Period, false, "alice", "bob");
        var alice = lab.Sequence("alice", Period);
        var bob = lab.Sequence("bob", Period);

        await lab.Lab.Client.KnockAsync(Lab.ServerV4, alice.Window(alice.WindowAt(DateTimeOffset.UtcNow)));
        await lab.Lab.Attacker.KnockAsync(Lab.ServerV4FromAttacker, bob.Window(bob.WindowAt(DateTimeOffset.UtcNow)));
        (await lab.Lab.Client.CanConnectAsync(Lab.ServerV4, 22)).ShouldBeTrue("alice gets in");
        (await lab.Lab.Attacker.CanConnectAsync(Lab.ServerV4FromAttacker, 22)).ShouldBeTrue("bob gets in");

        await lab.ApplyAsync(lab.Config(Period, false, "alice"));
        await lab.Lab.Server.RunAsync("nft", "flush", "set", "inet", "nftknock", "ssh_open_v4");
        foreach (var window in bob.Attempts(DateTimeOffset.UtcNow))
        {
            await lab.Lab.Attacker.KnockAsync(Lab.ServerV4FromAttacker, window);
        }

        await lab.Lab.Client.KnockAsync(Lab.ServerV4, alice.Window(alice.WindowAt(DateTimeOffset.UtcNow) + 1));
        (await lab.Lab.Attacker.CanConnectAsync(Lab.ServerV4FromAttacker, 22)).ShouldBeFalse("bob was removed");
        (await lab.Lab.Client.CanConnectAsync(Lab.ServerV4, 22)).ShouldBeTrue("alice still gets in");
    }
}
