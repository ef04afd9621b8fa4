using NftKnock.Core.Config;
using NftKnock.Core.Model;
using NftKnock.Core.Ruleset;
using NftKnock.Core.Ruleset.Model;

namespace NftKnock.Core.Tests.Ruleset;

/// <summary>What the planner makes of grant prefixes, rotating clients and log lines.</summary>
public sealed class GrantPlanTests
{
    private static NftTable Plan(string yaml) => Planner.Plan(ConfigReader.Read(yaml).Config!).Model;

    private const string Clients = """
        doors:
          ssh:
            protect: [22/tcp]
            grant-prefix: {ipv6: 64}
            rotating:
              knocks: 2
              clients:
                - {name: alice, secret-file: /etc/alice.secret, grant-prefix: {ipv4: 24}}
                - {name: bob, secret-file: /etc/bob.secret}
        """;

    [Fact]
    public void A_prefix_door_grants_the_masked_source_and_its_guard_looks_the_masked_source_up()
    {
        var table = Plan("doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [17000/udp, 8000/tcp, 29000/udp]\n    grant-prefix: {ipv4: 24, ipv6: 64}\n");

        table.Sets.Where(s => s.KeptAcrossApplies).Select(s => s.Name).ShouldContain("ssh_open24_v4");
        table.Sets.Select(s => s.Name).ShouldNotContain("ssh_open_v4");
        table.Get<NftChain>("ssh_step3").Rules.Select(r => r.Text).ShouldContain(r => r.Contains("update @ssh_open24_v4 { ip saddr & 255.255.255.0 timeout 10s }", StringComparison.Ordinal));
        table.Get<NftChain>("ssh_step3").Rules.Select(r => r.Text).ShouldContain(r => r.Contains("update @ssh_open64_v6 { ip6 saddr & ffff:ffff:ffff:ffff:: timeout 10s }", StringComparison.Ordinal));
        table.Get<NftChain>("ssh_guard").Rules.Select(r => r.Text).ShouldContain("ip saddr & 255.255.255.0 @ssh_open24_v4 accept");
        table.Get<NftChain>("ssh_guard").Rules.Select(r => r.Text).ShouldContain("ip6 saddr & ffff:ffff:ffff:ffff:: @ssh_open64_v6 accept");
    }

    [Fact]
    public void A_door_with_clients_has_a_grant_set_per_prefix_in_use_and_the_guard_checks_each()
    {
        var table = Plan(Clients);

        table.Sets.Select(s => s.Name).Where(n => n.StartsWith("ssh_open", StringComparison.Ordinal)).ShouldBe(["ssh_open_v4", "ssh_open24_v4", "ssh_open64_v6"]);
        table.Get<NftChain>("ssh_guard").Rules.Select(r => r.Text).Where(r => r.Contains("@ssh_open", StringComparison.Ordinal)).ShouldBe(
        [
            "ip saddr @ssh_open_v4 accept",
            "ip saddr & 255.255.255.0 @ssh_open24_v4 accept",
            "ip6 saddr & ffff:ffff:ffff:ffff:: @ssh_open64_v6 accept",
        ]);
    }

    [Fact]
    public void Each_client_has_one_chain_of_its_own_with_its_counters_and_log_lines_and_the_door_binds_once()
    {
        var table = Plan(Clients);
        var alice = Names.ClientId("alice");
        const string Limit = "limit rate 10/second burst 20 packets";

        table.Chains.Select(c => c.Name).ShouldContain("ssh_step1");
        table.Chains.Select(c => c.Name).ShouldNotContain("ssh_step2");
        table.Chains.Select(c => c.Name).Where(n => n.Contains(alice, StringComparison.Ordinal)).ShouldBe([$"ssh_step2_{alice}"]);
        table.Counters.Where(c => c.Comment is not null).Select(c => $"{c.Name}={c.Comment}").ShouldBe(
        [
            $"ssh_grants_{alice}=alice", $"ssh_replays_{alice}=alice",
            $"ssh_grants_{Names.ClientId("bob")}=bob", $"ssh_replays_{Names.ClientId("bob")}=bob",
        ]);

        table.Get<NftChain>("ssh_bind").Rules.Select(r => r.Text).ShouldBe(
        [
            "counter name \"ssh_knocks\"",
            "ip saddr @ssh_s1_v4 @th,64,64 . ip saddr @ssh_owner_v4 delete @ssh_s1_v4 { ip saddr } delete @ssh_prog_v4 { ip saddr } return",
            "ip saddr @ssh_s1_v4 @th,64,64 @ssh_claims delete @ssh_s1_v4 { ip saddr } delete @ssh_prog_v4 { ip saddr } return",
            "ip saddr @ssh_s1_v4 delete @ssh_s1_v4 { ip saddr } delete @ssh_prog_v4 { ip saddr } add @ssh_claims { @th,64,64 timeout 90s } add @ssh_owner_v4 { @th,64,64 . ip saddr timeout 90s } return",
            "ip saddr @ssh_prog_v4 jump ssh_reset_v4",
            "ip6 saddr @ssh_s1_v6 @th,64,64 . ip6 saddr @ssh_owner_v6 delete @ssh_s1_v6 { ip6 saddr } delete @ssh_prog_v6 { ip6 saddr } return",
            "ip6 saddr @ssh_s1_v6 @th,64,64 @ssh_claims delete @ssh_s1_v6 { ip6 saddr } delete @ssh_prog_v6 { ip6 saddr } return",
            "ip6 saddr @ssh_s1_v6 delete @ssh_s1_v6 { ip6 saddr } delete @ssh_prog_v6 { ip6 saddr } add @ssh_claims { @th,64,64 timeout 90s } add @ssh_owner_v6 { @th,64,64 . ip6 saddr timeout 90s } return",
            "ip6 saddr @ssh_prog_v6 jump ssh_reset_v6",
            "drop",
        ]);
        table.Get<NftChain>($"ssh_step2_{alice}").Rules.Select(r => r.Text).ShouldBe(
        [
            "jump ssh_bind",
            $"@th,64,64 . ip saddr @ssh_owner_v4 update @ssh_open24_v4 {{ ip saddr & 255.255.255.0 timeout 10s }} counter name \"ssh_grants\" counter name \"ssh_grants_{alice}\" update @ssh_logged_v4 {{ ip saddr timeout 1m {Limit} }} log prefix \"nftknock ssh open client=alice: \" group 4242",
            $"@th,64,64 . ip saddr != @ssh_owner_v4 counter name \"ssh_replays\" counter name \"ssh_replays_{alice}\" update @ssh_logged_v4 {{ ip saddr timeout 1m {Limit} }} log prefix \"nftknock ssh replay client=alice: \" group 4242",
            $"@th,64,64 . ip6 saddr @ssh_owner_v6 update @ssh_open64_v6 {{ ip6 saddr & ffff:ffff:ffff:ffff:: timeout 10s }} counter name \"ssh_grants\" counter name \"ssh_grants_{alice}\" update @ssh_logged_v6 {{ ip6 saddr timeout 1m {Limit} }} log prefix \"nftknock ssh open client=alice: \" group 4242",
            $"@th,64,64 . ip6 saddr != @ssh_owner_v6 counter name \"ssh_replays\" counter name \"ssh_replays_{alice}\" update @ssh_logged_v6 {{ ip6 saddr timeout 1m {Limit} }} log prefix \"nftknock ssh replay client=alice: \" group 4242",
            "drop",
        ]);
    }

    [Fact]
    public void A_client_with_a_time_limit_goes_to_its_limit_chain_and_keeps_a_log_chain_for_its_lines()
    {
        var table = Plan(Clients.Replace("grant-prefix: {ipv4: 24}}", "grant-prefix: {ipv4: 24}, hours: \"08:00-18:00\"}", StringComparison.Ordinal));
        var alice = Names.ClientId("alice");

        table.Chains.Select(c => c.Name).Where(n => n.Contains(alice, StringComparison.Ordinal))
            .ShouldBe([$"ssh_step2_{alice}", $"ssh_limit_{alice}_v4", $"ssh_limit_{alice}_v6", $"ssh_log_{alice}", $"ssh_outsidelog_{alice}"], ignoreOrder: true);
        table.Get<NftChain>($"ssh_step2_{alice}").Rules.Select(r => r.Text).ShouldBe(
        [
            "jump ssh_bind",
            $"@th,64,64 . ip saddr @ssh_owner_v4 goto ssh_limit_{alice}_v4",
            $"@th,64,64 . ip saddr != @ssh_owner_v4 counter name \"ssh_replays\" counter name \"ssh_replays_{alice}\" goto ssh_log_{alice}",
            $"@th,64,64 . ip6 saddr @ssh_owner_v6 goto ssh_limit_{alice}_v6",
            $"@th,64,64 . ip6 saddr != @ssh_owner_v6 counter name \"ssh_replays\" counter name \"ssh_replays_{alice}\" goto ssh_log_{alice}",
            "drop",
        ]);
        table.Get<NftChain>($"ssh_limit_{alice}_v4").Rules[0].Text.ShouldEndWith($"counter name \"ssh_grants_{alice}\" goto ssh_log_{alice}");
        table.Chains.Select(c => c.Name).ShouldNotContain($"ssh_log_{Names.ClientId("bob")}");
    }

    [Fact]
    public void A_single_secret_door_keeps_one_last_step_and_door_level_log_lines()
    {
        var table = Plan("doors:\n  ssh:\n    protect: [22/tcp]\n    rotating: {secret-file: /etc/ssh.secret}\n");

        table.Chains.Select(c => c.Name).ShouldContain("ssh_step3");
        table.Get<NftChain>("ssh_step3").Rules.Select(r => r.Text).ShouldContain(r => r.StartsWith("ip saddr @ssh_s2_v4 @th,64,64 @ssh_claims ", StringComparison.Ordinal) && r.EndsWith("counter name \"ssh_replays\" goto ssh_replaylog", StringComparison.Ordinal));
        table.Counters.ShouldAllBe(c => c.Comment == null);
        table.Get<NftChain>("ssh_replaylog").Rules[0].Text.ShouldBe("update @ssh_logged_v4 { ip saddr timeout 1m limit rate 10/second burst 20 packets } log prefix \"nftknock ssh replay: \" group 4242");
    }

    [Fact]
    public void A_one_knock_rotating_door_decides_the_window_per_family_in_its_one_step_chain()
    {
        var rules = Plan("doors:\n  ssh:\n    protect: [22/tcp]\n    rotating: {secret-file: /etc/ssh.secret, knocks: 1}\n    log: false\n")
            .Get<NftChain>("ssh_step1").Rules.Select(r => r.Text).ToList();

        rules.ShouldBe(
        [
            "counter name \"ssh_knocks\"",
            "meta nfproto ipv4 @th,64,64 . ip saddr @ssh_owner_v4 update @ssh_open_v4 { ip saddr timeout 10s } counter name \"ssh_grants\" drop",
            "meta nfproto ipv4 @th,64,64 @ssh_claims counter name \"ssh_replays\" drop",
            "meta nfproto ipv4 add @ssh_claims { @th,64,64 timeout 90s } add @ssh_owner_v4 { @th,64,64 . ip saddr timeout 90s } update @ssh_open_v4 { ip saddr timeout 10s } counter name \"ssh_grants\" drop",
            "meta nfproto ipv6 @th,64,64 . ip6 saddr @ssh_owner_v6 update @ssh_open_v6 { ip6 saddr timeout 10s } counter name \"ssh_grants\" drop",
            "meta nfproto ipv6 @th,64,64 @ssh_claims counter name \"ssh_replays\" drop",
            "meta nfproto ipv6 add @ssh_claims { @th,64,64 timeout 90s } add @ssh_owner_v6 { @th,64,64 . ip6 saddr timeout 90s } update @ssh_open_v6 { ip6 saddr timeout 10s } counter name \"ssh_grants\" drop",
            "drop",
        ]);
    }

    [Fact]
    public void The_example_line_of_the_design_stays_true_and_a_log_group_sends_it_to_nflog()
    {
        const string door = "doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [17000/udp, 8000/tcp, 29000/udp]\n";

        Plan(door).Get<NftChain>("ssh_openlog").Rules.Select(r => r.Text).ShouldBe(
            ["update @ssh_logged_v4 { ip saddr timeout 1m limit rate 10/second burst 20 packets } log prefix \"nftknock ssh open: \" group 4242", "update @ssh_logged_v6 { ip6 saddr timeout 1m limit rate 10/second burst 20 packets } log prefix \"nftknock ssh open: \" group 4242", "drop"]);
        Plan(door + "    log-group: 7\n    refuse: reset\n").Get<NftChain>("ssh_openlog").Rules.Select(r => r.Text).ShouldBe(
            ["update @ssh_logged_v4 { ip saddr timeout 1m limit rate 10/second burst 20 packets } log prefix \"nftknock ssh open: \" group 7", "update @ssh_logged_v6 { ip6 saddr timeout 1m limit rate 10/second burst 20 packets } log prefix \"nftknock ssh open: \" group 7", "goto refuse"]);
        Plan(door + "    log: false\n").Chains.Select(c => c.Name).ShouldNotContain("ssh_openlog");
        Plan(door + "    log: false\n").Get<NftChain>("ssh_step3").Rules.Select(r => r.Text).ShouldContain(r => r.EndsWith("counter name \"ssh_grants\" drop", StringComparison.Ordinal));
    }

    /// <summary>
    /// A limit over its rate ends its rule: in a grant's rule it would skip the grant and the verdict.
    /// So across every sample and case, a limit sits first in a log chain whose other rule is the
    /// refusal, or in a client's last step after the grant and the counters, with no verdict after it;
    /// every rule that grants ends with such a line, goes on to a log chain or straight to the refusal.
    /// </summary>
    [Fact]
    public void No_rate_limit_can_skip_a_grant_in_any_golden_config()
    {
        foreach (var config in GoldenTests.ConfigPaths())
        {
            var table = Planner.Plan(ConfigReader.Read(File.ReadAllText(Repo.Path(config))).Config!).Model;
            foreach (var chain in table.Chains)
            {
                var parsed = Names.TryParse(chain.Name, out var name);
                var isLog = parsed && name.Role is DoorRole.OpenLog or DoorRole.ReplayLog or DoorRole.OutsideLog or DoorRole.ClientLog;
                var isClientStep = parsed && name.Role == DoorRole.Step && name.Client is not null;
                foreach (var rule in chain.Rules.Where(r => r.Text.Contains("limit rate", StringComparison.Ordinal)))
                {
                    (isLog || isClientStep || (parsed && name.Role == DoorRole.AuditLog)).ShouldBeTrue($"{config}: {chain.Name}: {rule.Text}");
                    if (isClientStep)
                    {
                        // The line comes last: the grant and every counter are done before its limit can end the rule.
                        var line = rule.Text[rule.Text.IndexOf("_logged_", StringComparison.Ordinal)..];
                        line.ShouldNotContain("counter", customMessage: $"{config}: {chain.Name}");
                        line.ShouldNotContain("_open", customMessage: $"{config}: {chain.Name}");
                        rule.Text.ShouldMatch(@"log prefix ""[^""]*"" group \d+$", $"{config}: {chain.Name}");
                    }
                }

                if (parsed && name.Role == DoorRole.AuditLog)
                {
                    // Audit mode's log chain grants nothing: whatever its limit does, the connection is let through.
                    chain.Rules[^1].Text.ShouldBe("accept", $"{config}: {chain.Name}");
                }

                if (isLog)
                {
                    chain.Rules.Count.ShouldBeInRange(2, name.Role == DoorRole.ClientLog ? 5 : 3, $"{config}: {chain.Name}");
                }

                if (isLog || isClientStep)
                {
                    chain.Rules[^1].Text.ShouldBeOneOf("drop", "goto refuse");
                }

                if (parsed && (name.Role == DoorRole.ClientLog || isClientStep))
                {
                    // A client's grant line and replay line hang on whether the source owns the token, so one
                    // held back by its limit falls through to a rule that cannot match, never to the other line.
                    foreach (var family in new[] { "v4", "v6" }.Where(f => chain.Rules.Any(r => r.Text.Contains($"_owner_{f} ", StringComparison.Ordinal))))
                    {
                        var lines = chain.Rules.Where(r => r.Text.Contains($"_owner_{family} ", StringComparison.Ordinal)).Select(r => r.Text).ToList();
                        lines.Count.ShouldBe(2, $"{config}: {chain.Name}");
                        lines[0].ShouldNotContain("!=");
                        lines[1].ShouldContain($"!= @");
                    }
                }

                foreach (var grant in chain.Rules.Where(r => r.Text.Contains("counter name \"", StringComparison.Ordinal) && r.Text.Contains("_grants\"", StringComparison.Ordinal)))
                {
                    grant.Text.ShouldMatch(@"(goto \w+_openlog(_c[0-9a-f]{8})?|goto \w+_log_c[0-9a-f]{8}|log prefix ""[^""]*"" group \d+|drop|goto refuse)$", $"{config}: {chain.Name}");
                }
            }
        }
    }

    [Fact]
    public void A_rotating_door_claims_a_window_once_for_both_families()
    {
        var table = Plan(Clients);

        table.Sets.Select(s => s.Name).ShouldContain("ssh_claims");
        table.Sets.Select(s => s.Name).ShouldNotContain("ssh_claims_v4");
        table.Sets.Select(s => s.Name).ShouldNotContain("ssh_claims_v6");
        foreach (var family in new[] { "ip saddr @ssh_s1_v4", "ip6 saddr @ssh_s1_v6" })
        {
            var last = table.Get<NftChain>("ssh_bind").Rules.Select(r => r.Text).Where(r => r.StartsWith(family, StringComparison.Ordinal)).ToList();
            last[1].ShouldStartWith($"{family} @th,64,64 @ssh_claims delete");
            last[2].ShouldContain("add @ssh_claims { @th,64,64 timeout 90s }");
        }
    }

    [Fact]
    public void Each_source_has_its_own_log_budget_per_family()
    {
        var table = Plan("doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [17000/udp, 8000/tcp, 29000/udp]\n");

        table.Sets.Where(s => s.Name.StartsWith("ssh_logged", StringComparison.Ordinal)).Select(s => $"{s.Name} {s.Key[0].Expression} {s.Size}")
            .ShouldBe(["ssh_logged_v4 ip saddr 65536", "ssh_logged_v6 ip6 saddr 65536"]);
        Plan("doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [17000/udp, 8000/tcp, 29000/udp]\n    log: false\n").Sets
            .Select(s => s.Name).ShouldNotContain("ssh_logged_v4");
    }

    [Theory]
    [InlineData(Families.IPv4, 24, "255.255.255.0")]
    [InlineData(Families.IPv4, 1, "128.0.0.0")]
    [InlineData(Families.IPv4, 28, "255.255.255.240")]
    [InlineData(Families.IPv6, 64, "ffff:ffff:ffff:ffff::")]
    [InlineData(Families.IPv6, 56, "ffff:ffff:ffff:ff00::")]
    [InlineData(Families.IPv6, 127, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe")]
    public void A_prefix_mask_is_written_as_nft_writes_an_address(Families family, int length, string mask) =>
        GrantPrefix.Mask(family, length).ToString().ShouldBe(mask);
}
