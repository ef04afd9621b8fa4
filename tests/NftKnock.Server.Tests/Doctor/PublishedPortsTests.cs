using NftKnock.Core.Model;
using NftKnock.Core.Ruleset;
using NftKnock.Core.Ruleset.Model;
using NftKnock.Server.Doctor;
using NftKnock.Server.Host;
using NftKnock.Server.Nftables;
using NftKnock.Server.Tables;
using NftKnock.Server.Tests.Deploy;

namespace NftKnock.Server.Tests.Doctor;

/// <summary>
/// Doctor's published ports check on real <c>nft -j list ruleset</c> output: docker-nat.json is a namespace
/// with Docker 20.10's iptables-nft rules for <c>-p 8080:80</c> (IPv4 and IPv6) and nftknock in guard mode;
/// host-nat.json holds hand-written nat tables and iptables-nft rules with one rule of each kind.
/// </summary>
public sealed class PublishedPortsTests
{
    private static ServerConfig Door(string protect, string mode = "guard") =>
        Configs.Read($"mode: {mode}\ndoors:\n  web:\n    protect: [{protect}]\n    sequence: [7000/udp, 9000/tcp, 8000/udp]\n");

    private static NatRules Nat(string fixture) => NatRules.Read(Fixture.Read(fixture), "nftknock");

    /// <summary>The table apply loads for <paramref name="config"/> on a host with <paramref name="fixture"/>'s nat rules.</summary>
    private static TableReading Applied(string fixture, ServerConfig config) => new(Planner.Plan(config, Nat(fixture).Targets(config)).Model, 1);

    private static DoctorCheck Check(string fixture, ServerConfig config, FakeHost? host = null) =>
        PublishedPorts.Check(Nat(fixture), config, host ?? new FakeHost(), Applied(fixture, config));

    private static string[] Items(DoctorCheck check) => check.Detail.Split("; ");

    [Theory]
    [InlineData("guard")]
    [InlineData("firewall")]
    public void A_port_docker_publishes_is_named_with_where_nftknock_guards_it(string mode)
    {
        const string where = "after DNAT, on the forward path";
        var check = Check("docker-nat.json", Door("8080/tcp", mode));

        check.ShouldBe(DoctorCheck.Pass(
            "published ports",
            $"8080/tcp is published by an iptables DNAT rule (table ip nat chain DOCKER) and guarded {where}; "
            + $"8080/tcp is published by an iptables DNAT rule (table ip6 nat chain DOCKER) and guarded {where}"));
    }

    [Fact]
    public void A_protected_port_no_dnat_rule_publishes_passes_quietly()
    {
        Check("docker-nat.json", Door("22/tcp")).ShouldBe(DoctorCheck.Pass("published ports", "no DNAT rule publishes a protected port"));
    }

    [Fact]
    public void Dnat_rules_name_their_target_and_ranges_sets_and_negations_are_read()
    {
        Items(Check("host-nat.json", Door("2222/tcp"))).ShouldContain("2222/tcp is published by DNAT to 198.18.3.2:22 (table ip hostnat chain prerouting) and guarded after DNAT, on the forward path");
        Items(Check("host-nat.json", Door("2222/tcp"))).ShouldContain("2222/tcp is published by DNAT to [2001:db8:3::2]:22 (table ip6 hostnat6 chain prerouting) and guarded after DNAT, on the forward path");
        Items(Check("host-nat.json", Door("6050/tcp"))).ShouldContain("6050/tcp is published by DNAT to 198.18.3.2 (table ip hostnat chain prerouting) and guarded after DNAT, on the forward path");
        Items(Check("host-nat.json", Door("5354/udp"))).ShouldContain("5354/udp is published by DNAT to 198.18.3.3 (table ip hostnat chain prerouting) and guarded after DNAT, on the forward path");
        Items(Check("host-nat.json", Door("8443/tcp"))).ShouldContain("8443/tcp is published by DNAT to 198.18.3.6:443 (table ip hostnat chain prerouting) and guarded after DNAT, on the forward path");
        Items(Check("host-nat.json", Door("50000/tcp"))).ShouldContain("50000/tcp is published by DNAT to 198.18.3.9 (table ip hostnat chain prerouting) and guarded after DNAT, on the forward path");
        Items(Check("host-nat.json", Door("7500/tcp"))).ShouldContain("7500/tcp is published by an iptables DNAT rule (table ip nat chain PREROUTING) and guarded after DNAT, on the forward path");

        // 5353-5354 is UDP and 6000-6100 TCP: neither publishes the other protocol.
        Check("host-nat.json", Door("6050/udp")).Detail.ShouldNotContain("198.18.3.2");
        Check("host-nat.json", Door("5353/tcp")).Detail.ShouldNotContain("198.18.3.3");
    }

    [Fact]
    public void A_port_match_in_the_chain_that_jumps_counts_for_the_dnat_rule_it_reaches()
    {
        Items(Check("host-nat.json", Door("31000/tcp"))).ShouldContain("31000/tcp is published by DNAT to 198.18.3.7 (table ip hostnat chain nodeports) and guarded after DNAT, on the forward path");
        Check("host-nat.json", Door("2222/tcp")).Detail.ShouldNotContain("nodeports");
    }

    [Fact]
    public void Dnat_rules_whose_ports_cannot_be_read_warn_that_they_may_publish_a_protected_port()
    {
        var check = Check("host-nat.json", Door("7050/tcp"));

        check.Status.ShouldBe(CheckStatus.Warn);
        Items(check).ShouldBe(
        [
            "table ip hostnat chain prerouting has a DNAT rule whose ports are in @published, so it may publish 7050/tcp",
            "table ip hostnat chain prerouting has a DNAT rule without a port match, so it may publish 7050/tcp",
            "table ip nat chain PREROUTING has a DNAT rule whose ports are matched by iptables' multiport match, which nft cannot show, so it may publish 7050/tcp",
        ]);
        check.Fix.ShouldBe("nftknock guards a protected port by the port clients connect to on this host, before any DNAT or redirect: read the rules named above (nft list ruleset; iptables-legacy -t nat -S) and make sure protect: names the ports clients connect to.");
    }

    [Fact]
    public void A_redirect_is_no_way_around_since_the_port_it_reaches_is_decided_too()
    {
        // Input decides a redirected connection by the port it was addressed to, and failing that by the port it reaches.
        Check("host-nat.json", Door("22/tcp")).Detail.ShouldNotContain("redirects");
    }

    [Fact]
    public void A_vip_port_is_guarded_only_when_the_loaded_table_decides_it_after_dnat()
    {
        var config = Door("8080/tcp");
        var nat = Nat("vip-nat.json");

        PublishedPorts.Check(nat, config, new FakeHost(), Applied("vip-nat.json", config)).ShouldBe(DoctorCheck.Pass(
            "published ports", "8080/tcp is published by DNAT to 198.19.0.2:80 (table ip vipnat chain prerouting) and guarded after DNAT, on the forward path"));

        // A table that decides before DNAT only (no forward chain): the VIP passes it, so it is not guarded.
        var before = Applied("vip-nat.json", config);
        before = before with { Model = new NftTable(before.Model.Name, before.Model.Comment, before.Model.Objects.Where(o => o.Name != "forward").ToList()) };
        var check = PublishedPorts.Check(nat, config, new FakeHost(), before);
        check.Status.ShouldBe(CheckStatus.Fail);
        check.Detail.ShouldContain("8080/tcp is published by DNAT to 198.19.0.2:80 (table ip vipnat chain prerouting) but the loaded table does not guard it after DNAT, so it is reachable without a knock");
        check.Fix.ShouldBe("Run nftknock apply: it reads where the host's DNAT rules send protected ports and guards them in table inet nftknock. Apply again after a container or a DNAT rule that publishes a protected port changes.");

        var unloaded = PublishedPorts.Check(nat, config, new FakeHost(), null);
        unloaded.Status.ShouldBe(CheckStatus.Fail);
        unloaded.Detail.ShouldBe("8080/tcp is published by DNAT to 198.19.0.2:80 (table ip vipnat chain prerouting) and not guarded: nftknock's table is not loaded");
    }

    [Fact]
    public void A_dnat_target_the_loaded_table_does_not_know_is_reachable_straight_and_fails()
    {
        var config = Door("8080/tcp");
        var stale = new TableReading(Planner.Plan(config).Model, 1);

        var check = PublishedPorts.Check(Nat("vip-nat.json"), config, new FakeHost(), stale);

        check.Status.ShouldBe(CheckStatus.Fail);
        Items(check)[0].ShouldBe("198.19.0.2 80/tcp, where a DNAT rule sends door web's port, is not in the loaded table, so a neighbour that routes to it connects straight without a knock");

        // forward: drop refuses what did not come through the DNAT: nothing to hold.
        var dropping = Door("8080/tcp", "firewall");
        PublishedPorts.Check(Nat("vip-nat.json"), dropping, new FakeHost(), new TableReading(Planner.Plan(dropping).Model, 1)).Status.ShouldBe(CheckStatus.Pass);
    }

    [Fact]
    public void Apply_plans_the_targets_of_protected_ports_only()
    {
        Nat("vip-nat.json").Targets(Door("8080/tcp")).ShouldBe([new PublishedTarget("web", System.Net.IPAddress.Parse("198.19.0.2"), new PortRange(80, 80, Protocol.Tcp))]);
        Nat("vip-nat.json").Targets(Door("8081/tcp")).ShouldBeEmpty();

        // A DNAT without a port keeps the one the client addressed: 6000-6100 to 198.18.3.2, of which 6050 is protected.
        Nat("host-nat.json").Targets(Door("6050/tcp")).ShouldContain(new PublishedTarget("web", System.Net.IPAddress.Parse("198.18.3.2"), new PortRange(6050, 6050, Protocol.Tcp)));
    }

    private const string LegacyListing = """
        -P PREROUTING ACCEPT
        -N DOCKER
        -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
        -A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 198.19.0.2:80
        -A DOCKER ! -i docker0 -p tcp -m tcp --dport 9090 -j DNAT --to-destination 198.19.0.3:90
        -A DOCKER -p udp -m multiport --dports 8000,8080:8090 -m comment --comment "a b" -j DNAT --to-destination 198.19.0.4
        """;

    [Fact]
    public void Iptables_legacy_dnat_rules_that_may_publish_a_protected_port_warn()
    {
        var host = new FakeHost();
        host.ProcNet["ip_tables_names"] = "filter\nnat\n";
        host.LegacyNat["iptables-legacy"] = LegacyListing;

        var check = Check("docker-nat.json", Door("22/tcp, 8080/tcp, 8085/udp"), host);

        check.Status.ShouldBe(CheckStatus.Warn);
        Items(check).ShouldBe(
        [
            "iptables-legacy -t nat has a DNAT rule that nft cannot list, which may publish 8080/tcp: -A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 198.19.0.2:80",
            "iptables-legacy -t nat has a DNAT rule that nft cannot list, which may publish 8085/udp: -A DOCKER -p udp -m multiport --dports 8000,8080:8090 -m comment --comment \"a b\" -j DNAT --to-destination 198.19.0.4",
            "8080/tcp is published by an iptables DNAT rule (table ip nat chain DOCKER) and guarded after DNAT, on the forward path",
            "8080/tcp is published by an iptables DNAT rule (table ip6 nat chain DOCKER) and guarded after DNAT, on the forward path",
        ]);
        host.LegacyRuns.ShouldBe(["iptables-legacy"]);
    }

    [Fact]
    public void Iptables_legacy_is_not_run_when_it_has_no_nat_table_since_listing_one_would_create_it()
    {
        var host = new FakeHost();
        host.ProcNet["ip_tables_names"] = "filter\n";
        host.LegacyNat["iptables-legacy"] = LegacyListing;
        host.LegacyNat["ip6tables-legacy"] = LegacyListing;

        Check("docker-nat.json", Door("8080/tcp"), host).Status.ShouldBe(CheckStatus.Pass);
        host.LegacyRuns.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_table_applied_with_the_hosts_nat_rules_is_what_doctor_calls_guarded_and_drift_finds_equal()
    {
        var config = Door("8080/tcp");
        var nft = new FakeNftables { Ruleset = Fixture.Read("vip-nat.json") };
        var nat = await NatRules.ListAsync(nft, config.Table);
        await new TableService(nft).ApplyAsync(Planner.Plan(config, nat.Targets(config)), string.Empty);

        var checks = await new DoctorService(nft, new FakeHost()).RunAsync(new DoctorInputs(config, []));

        checks.Single(c => c.Name == PublishedPorts.Name).Status.ShouldBe(CheckStatus.Pass);
        checks.Single(c => c.Name == Drift.Name).Status.ShouldBe(CheckStatus.Pass);
        (await new TableService(nft).ReadAsync(config.Table))!.Model.Get<NftMap>(Names.Published(Families.IPv4)).Elements
            .Select(e => $"{string.Join(" . ", e.Key)} : {e.Verdict}").ShouldBe(["198.19.0.2 . tcp . 80 : goto web_guard"]);
    }

    [Fact]
    public async Task Doctor_checks_the_published_ports_after_the_host_firewall()
    {
        var nft = new FakeNftables { Ruleset = Fixture.Read("docker-nat.json") };
        await new TableService(nft).ApplyAsync(Planner.Plan(Door("8080/tcp")), string.Empty);

        var checks = await new DoctorService(nft, new FakeHost()).RunAsync(new DoctorInputs(Door("8080/tcp"), []));

        checks.Single(c => c.Name == PublishedPorts.Name).Status.ShouldBe(CheckStatus.Pass);
        checks.Single(c => c.Name == PublishedPorts.Name).Detail.ShouldStartWith("8080/tcp is published by an iptables DNAT rule (table ip nat chain DOCKER)");
        checks.Select(c => c.Name).ShouldContain("published ports");
        checks.Select(c => c.Name).ToList().IndexOf("published ports").ShouldBe(checks.Select(c => c.Name).ToList().IndexOf("host firewall") + 1);
    }
}
