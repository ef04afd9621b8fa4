using NftKnock.Core.Config;
using NftKnock.Core.Ruleset;

namespace NftKnock.Core.Tests;

public sealed class PlannerTests
{
    private static RulesetPlan Plan(string yaml) => Planner.Plan(ConfigReader.Read(yaml).Config!);

    [Fact]
    public void Plan_lists_stateful_sets_with_their_types_so_apply_can_keep_them()
    {
        var plan = Plan("doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [7000/udp, 18000/tcp, 9000/udp]\n");

        plan.Model.Sets.Where(s => s.KeptAcrossApplies).Select(s => $"{s.Name}:{s.JsonType}").ShouldBe(
        [
            "ssh_s1_v4:ipv4_addr", "ssh_s2_v4:ipv4_addr", "ssh_prog_v4:ipv4_addr", "ssh_open_v4:ipv4_addr",
            "ssh_s1_v6:ipv6_addr", "ssh_s2_v6:ipv6_addr", "ssh_prog_v6:ipv6_addr", "ssh_open_v6:ipv6_addr",
        ]);
        plan.Model.Counters.Where(c => c.KeptAcrossApplies).Select(c => c.Name).ShouldBe(["ssh_knocks", "ssh_grants", "ssh_resets", "ssh_blocked"]);
    }

    [Fact]
    public void Every_knock_and_protected_port_is_one_entry_of_the_dispatch_map()
    {
        var body = Plan("doors:\n  ssh:\n    protect: [22/tcp, 6000-6010/tcp]\n    sequence: [7000/udp, 18000/tcp, 9000/udp]\n").Body;

        body.ShouldContain("udp . 7000 : goto ssh_step1,");
        body.ShouldContain("tcp . 18000 : goto ssh_step2,");
        body.ShouldContain("tcp . 6000-6010 : goto ssh_guard");
        body.ShouldContain("flags interval");
    }

    [Fact]
    public void Keep_adds_to_the_grant_set_and_update_restarts_it()
    {
        Plan("doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [7000/udp, 18000/tcp, 9000/udp]\n    refresh: keep\n").Body
            .ShouldContain("add @ssh_open_v4 { ip saddr timeout 10s }");
        Plan("doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [7000/udp, 18000/tcp, 9000/udp]\n").Body
            .ShouldContain("update @ssh_open_v4 { ip saddr timeout 10s }");
    }

    [Fact]
    public void Guard_mode_never_accepts_anything_a_host_firewall_would_drop()
    {
        var body = Plan(File.ReadAllText(Repo.Path("samples", "two-doors.yaml"))).Body;

        // accept in our base chain only hands the packet on; there is no reject, no policy drop and no conntrack.
        body.ShouldContain("policy accept;");
        body.ShouldNotContain("policy drop");
        body.ShouldNotContain("reject");
        body.ShouldNotContain("ct state");
    }
}

public sealed class SetSizingTests
{
    [Theory]
    [InlineData(100, 65536)]
    [InlineData(2000, 524288)]
    [InlineData(5000, 1048576)]
    [InlineData(60000, 2097152)]
    public void Stage_sets_hold_every_source_a_spoofed_flood_inserts_within_one_step_timeout(int stepTimeoutMs, int size)
    {
        var stepTimeout = TimeSpan.FromMilliseconds(stepTimeoutMs);

        Planner.StageSetSize(stepTimeout).ShouldBe(size);
        if (size < 2097152)
        {
            Planner.StageSetSize(stepTimeout).ShouldBeGreaterThanOrEqualTo((int)(Planner.FloodRate * stepTimeout.TotalSeconds));
        }
    }
}
