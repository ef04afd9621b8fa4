using NftKnock.Core.Config;
using System.Net;
using NftKnock.Core.Model;
using System.Text.RegularExpressions;
using NftKnock.Core.Ruleset;
using NftKnock.Core.Ruleset.Model;

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
            "ssh_logged_v4:ipv4_addr", "ssh_logged_v6:ipv6_addr",
            "knocking_v4:ipv4_addr", "knocking_v6:ipv6_addr",
        ]);
        plan.Model.Counters.Where(c => c.KeptAcrossApplies).Select(c => c.Name).ShouldBe(["ssh_knocks", "ssh_grants", "ssh_resets", "ssh_blocked"]);
    }

    [Fact]
    public void Every_knock_port_is_one_entry_of_the_dispatch_map_and_every_protected_port_one_of_the_protected_map()
    {
        var model = Plan("doors:\n  ssh:\n    protect: [22/tcp, 6000-6010/tcp]\n    sequence: [7000/udp, 18000/tcp, 9000/udp]\n").Model;

        Entries(model, Names.Dispatch).ShouldBe(["udp . 7000 : goto ssh_step1", "tcp . 18000 : goto ssh_step2", "udp . 9000 : goto ssh_step3"]);
        Entries(model, Names.Protected).ShouldBe(["tcp . 22 : goto ssh_guard", "tcp . 6000-6010 : goto ssh_guard"]);
        model.Get<NftMap>(Names.Protected).Flags.ShouldBe(SetFlags.Interval);
        model.Get<NftMap>(Names.Dispatch).Flags.ShouldBe(SetFlags.None);
    }

    [Fact]
    public void Guard_mode_decides_protected_ports_after_routing_and_dnat_by_the_port_the_client_addressed()
    {
        var model = Plan("doors:\n  ssh:\n    protect: [22/tcp, 5353/udp]\n    sequence: [7000/udp, 18000/tcp, 9000/udp]\n").Model;

        // Delivered here, whichever address or policy route brought it: no fib lookup second-guesses the kernel.
        var input = model.Get<NftChain>(Names.Input);
        input.Hook.ShouldBe(new NftHook("input", "filter - 10", "accept"));
        var rules = input.Rules.Select(r => r.Text).ToList();
        rules.ShouldContain("ct status dnat ct direction original meta l4proto tcp ct original proto-dst vmap @protected_tcp");
        rules.IndexOf("meta l4proto . th dport vmap @protected").ShouldBeGreaterThan(rules.IndexOf("ct status dnat ct direction original meta l4proto udp ct original proto-dst vmap @protected_udp"));
        rules.IndexOf("meta l4proto . th dport vmap @protected").ShouldBeLessThan(rules.IndexOf("jump stray"));

        // Forwarded: only what the host DNATed is ours; the forward policy stays accept.
        var forward = model.Get<NftChain>(Names.Forward);
        forward.Hook.ShouldBe(new NftHook("forward", "filter - 10", "accept"));
        forward.Rules.Select(r => r.Text).ShouldBe(
        [
            "ct status dnat ct direction original meta l4proto tcp ct original proto-dst vmap @protected_tcp",
            "ct status dnat ct direction original meta l4proto udp ct original proto-dst vmap @protected_udp",
        ]);
        model.Get<NftChain>(Names.Guard("ssh")).Rules.ShouldNotContain(r => r.Text.Contains("fib", StringComparison.Ordinal));
        model.Chains.ShouldNotContain(c => c.Hook != null && c.Hook.Hook == "prerouting");
    }

    [Theory]
    [InlineData("guard", "accept", true)]
    [InlineData("firewall", "accept", true)]
    [InlineData("firewall", "drop", false)]
    public void Dnat_targets_of_protected_ports_reached_straight_go_to_the_door_that_protects_the_published_port(string mode, string forward, bool guarded)
    {
        var config = ConfigReader.Read($"mode: {mode}\nfirewall:\n  forward: {forward}\ndoors:\n  web:\n    protect: [8080/tcp]\n    sequence: [7000/udp, 18000/tcp, 9000/udp]\n").Config!;
        PublishedTarget[] targets =
        [
            new("web", IPAddress.Parse("198.19.0.2"), new PortRange(80, 80, Protocol.Tcp)),
            new("web", IPAddress.Parse("2001:db8:9::2"), new PortRange(80, 80, Protocol.Tcp)),
            new("gone", IPAddress.Parse("198.19.0.3"), new PortRange(80, 80, Protocol.Tcp)),
        ];

        var model = Planner.Plan(config, targets).Model;

        if (!guarded)
        {
            // forward: drop refuses a connection that did not come through the DNAT anyway.
            model.Maps.ShouldNotContain(m => m.Name == Names.Published(Families.IPv4));
            return;
        }

        Entries(model, Names.Published(Families.IPv4)).ShouldBe(["198.19.0.2 . tcp . 80 : goto web_guard"]);
        Entries(model, Names.Published(Families.IPv6)).ShouldBe(["2001:db8:9::2 . tcp . 80 : goto web_guard"]);
        var rules = model.Get<NftChain>(Names.Forward).Rules.Select(r => r.Text).ToList();
        rules.ShouldContain("ct status != dnat ip daddr . meta l4proto . th dport vmap @published_v4");
        rules.ShouldContain("ct status != dnat ip6 daddr . meta l4proto . th dport vmap @published_v6");
        NftWriter.Write(model).ShouldContain("map published_v4 {\n\t\ttypeof ip daddr . meta l4proto . th dport : verdict\n");
    }

    [Theory]
    [InlineData("drop")]
    [InlineData("accept")]
    public void Firewall_mode_sends_dnated_connections_to_a_protected_port_to_its_guard_whatever_the_forward_policy(string policy)
    {
        var model = Plan($"mode: firewall\nfirewall:\n  forward: {policy}\ndoors:\n  ssh:\n    protect: [22/tcp, 6000-6010/tcp, 5353/udp]\n    sequence: [7000/udp, 18000/tcp, 9000/udp]\n").Model;

        var forward = model.Get<NftChain>(Names.Forward);
        forward.Hook.ShouldBe(new NftHook("forward", "filter - 10", policy));
        forward.Rules.Select(r => r.Text).ShouldBe(
        [
            "ct state established,related accept",
            "ct status dnat ct direction original meta l4proto tcp ct original proto-dst vmap @protected_tcp",
            "ct status dnat ct direction original meta l4proto udp ct original proto-dst vmap @protected_udp",
        ]);
        Entries(model, Names.ProtectedTcp).ShouldBe(["22 : goto ssh_guard", "6000-6010 : goto ssh_guard"]);
        model.Get<NftMap>(Names.ProtectedTcp).Flags.ShouldBe(SetFlags.Interval);
        Entries(model, Names.ProtectedUdp).ShouldBe(["5353 : goto ssh_guard"]);
        model.Get<NftMap>(Names.ProtectedUdp).Flags.ShouldBe(SetFlags.None);
        NftWriter.Write(model).ShouldContain("map protected_tcp {\n\t\ttype inet_service : verdict\n");

        // The input hook still decides the host's own ports.
        Entries(model, Names.Dispatch).ShouldContain("tcp . 22 : goto ssh_guard");
        model.Get<NftChain>(Names.Guard("ssh")).Rules.ShouldNotContain(r => r.Text.Contains("fib", StringComparison.Ordinal));
    }

    private static List<string> Entries(NftTable model, string map) =>
        model.Get<NftMap>(map).Elements.Select(e => $"{string.Join(" . ", e.Key)} : {e.Verdict}").ToList();

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

        // accept in our base chain only hands the packet on; there is no reject and no policy drop. The ct
        // expressions only read what conntrack decided about DNAT: none of them lets anything through.
        body.ShouldContain("policy accept;");
        body.ShouldNotContain("policy drop");
        body.ShouldNotContain("reject");
        Regex.Matches(body, @"^\s*ct\s.*$", RegexOptions.Multiline).Select(m => m.Value.Trim()).ShouldAllBe(r => r.StartsWith("ct status dnat ct direction original ", StringComparison.Ordinal) && r.Contains(" vmap @protected_", StringComparison.Ordinal));
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
