using NftKnock.Core.Model;
using NftKnock.Core.Rotating;
using NftKnock.Core.Ruleset;

namespace NftKnock.Core.Tests.Rotating;

public class RotationScriptTests
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset Boundary = DateTimeOffset.FromUnixTimeMilliseconds(58_000_000L * 30_000);

    private static Door Door(params string[] clients) =>
        new("ssh", [new PortRange(22, 22, Protocol.Tcp)], [], TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10), Refresh.Update, false, Families.Both, [], true)
        {
            Rotating = new RotatingDoor(3, Period, RotatingDoor.DefaultPorts, [], clients.Select((c, i) => new RotatingClient(c, $"/etc/{c}", Enumerable.Repeat((byte)(i + 1), 32).ToArray())).ToList()),
        };

    [Fact]
    public void At_a_boundary_the_previous_window_lasts_one_period_and_the_others_two()
    {
        var elements = RotationScript.Elements(Door("alice"), Boundary);

        elements.Count.ShouldBe(9);
        elements.Where(e => e.Window == 57_999_999).ShouldAllBe(e => e.Timeout == Period);
        elements.Where(e => e.Window == 58_000_000).ShouldAllBe(e => e.Timeout == Period * 2);
        elements.Where(e => e.Window == 58_000_001).ShouldAllBe(e => e.Timeout == Period * 2);
    }

    [Fact]
    public void Just_before_a_boundary_every_element_ends_within_two_periods()
    {
        var elements = RotationScript.Elements(Door("alice"), Boundary - TimeSpan.FromMilliseconds(1));

        elements.Select(e => e.Window).Distinct().ShouldBe([57_999_998, 57_999_999, 58_000_000]);
        elements.Where(e => e.Window == 57_999_998).ShouldAllBe(e => e.Timeout == TimeSpan.FromMilliseconds(1));
        elements.Where(e => e.Window == 57_999_999).ShouldAllBe(e => e.Timeout == Period + TimeSpan.FromMilliseconds(1));
        elements.ShouldAllBe(e => e.Timeout <= Period * 2);
    }

    [Fact]
    public void Every_client_gets_its_own_knocks()
    {
        var elements = RotationScript.Elements(Door("alice", "bob"), Boundary);

        elements.Count.ShouldBe(18);
        var alice = elements.Where(e => e.Client == "alice").Select(e => e.Knock.Token).ToHashSet();
        elements.Where(e => e.Client == "bob").ShouldAllBe(e => !alice.Contains(e.Knock.Token));
    }

    [Fact]
    public void The_batch_flushes_the_map_and_sends_each_knock_to_its_step_chain()
    {
        var door = Door("alice");
        var knocks = RotatingDerivation.Knocks(door.Rotating!.Clients[0].Secret.Span, door.Rotating.Spec("ssh"), 58_000_000);

        var script = RotationScript.Build("nftknock", [door], Boundary);

        script.ShouldStartWith("flush map inet nftknock rotating\nadd element inet nftknock rotating {\n");
        script.ShouldContain($"{knocks[0].Port} . {knocks[0].TokenHex} timeout 1m : goto ssh_step1");
        script.ShouldContain($"{knocks[2].Port} . {knocks[2].TokenHex} timeout 1m : goto ssh_step3");
    }

    [Fact]
    public void The_next_wake_is_the_earliest_window_boundary()
    {
        var fast = Door("alice") with { Name = "fast" };
        fast = fast with { Rotating = fast.Rotating! with { Period = TimeSpan.FromSeconds(4) } };
        var now = Boundary + TimeSpan.FromSeconds(5);

        RotationScript.NextBoundary([Door("alice"), fast], now).ShouldBe(Boundary + TimeSpan.FromSeconds(8));
    }

    [Fact]
    public void A_door_with_clients_sends_each_client_s_last_knock_to_its_own_chain_and_earlier_knocks_to_the_shared_ones()
    {
        var door = Door("alice", "bob");
        door = door with { Rotating = door.Rotating! with { HasClients = true } };
        var bob = RotatingDerivation.Knocks(door.Rotating.Clients[1].Secret.Span, door.Rotating.Spec("ssh"), 58_000_000);

        var fill = RotationScript.Fill([door], Boundary);
        var script = RotationScript.Build("nftknock", [door], Boundary);

        script.ShouldContain($"{bob[0].Port} . {bob[0].TokenHex} timeout 1m : goto ssh_step1");
        script.ShouldContain($"{bob[1].Port} . {bob[1].TokenHex} timeout 1m : goto ssh_step2");
        script.ShouldContain($"{bob[2].Port} . {bob[2].TokenHex} timeout 1m : goto ssh_step3_{Names.ClientId("bob")}");
        fill.Entries.Select(e => e.Verdict.ToString()).Distinct().ShouldBe(
            ["goto ssh_step1", "goto ssh_step2", $"goto ssh_step3_{Names.ClientId("alice")}", $"goto ssh_step3_{Names.ClientId("bob")}"], ignoreOrder: true);
        RotationScript.Targets(door).ShouldBe(["ssh_step1", "ssh_step2", $"ssh_step3_{Names.ClientId("alice")}", $"ssh_step3_{Names.ClientId("bob")}"]);
    }

    [Fact]
    public void A_single_secret_door_sends_every_knock_to_the_shared_chains() =>
        RotationScript.Targets(Door("ssh")).ShouldBe(["ssh_step1", "ssh_step2", "ssh_step3"]);
}
