using NftKnock.Core.Config;
using NftKnock.Core.Ruleset;
using NftKnock.Server.Nftables;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Tests;

public sealed class ApplyScriptTests
{
    private static RulesetPlan Plan(string yaml) => Planner.Plan(ConfigReader.Read(yaml).Config!);

    private const string SshOnly = """
        doors:
          ssh:
            protect: [22/tcp]
            sequence: [7000/udp, 8000/tcp, 9000/udp]
        """;

    [Fact]
    public void A_fresh_table_is_declared_flushed_and_filled_in_one_script()
    {
        var script = ApplyScript.Build(Plan(SshOnly), current: null, "# h\n", out var recreated);

        recreated.ShouldBeFalse();
        script.ShouldStartWith("# h\ntable inet nftknock {}\nflush table inet nftknock\n\ntable inet nftknock {\n");
    }

    [Fact]
    public void A_reapply_keeps_stateful_sets_and_counters_and_recreates_everything_else()
    {
        // The live table has two doors; the new config only ssh.
        var current = NftJson.ReadTable(Fixture.Read("two-doors-live.json"));

        var script = ApplyScript.Build(Plan(SshOnly), current, string.Empty, out var recreated);
        var head = script[..script.IndexOf("\n\n", StringComparison.Ordinal)];

        recreated.ShouldBeFalse();
        head.ShouldContain("flush table inet nftknock");
        head.ShouldContain("delete map inet nftknock dispatch");
        head.ShouldContain("delete set inet nftknock games_open_v4");
        head.ShouldContain("delete chain inet nftknock ssh_step1");
        head.ShouldContain("delete counter inet nftknock games_knocks");
        head.ShouldNotContain("delete set inet nftknock ssh_open_v4");
        head.ShouldNotContain("delete counter inet nftknock ssh_knocks");
        head.IndexOf("delete map", StringComparison.Ordinal).ShouldBeLessThan(head.IndexOf("delete chain", StringComparison.Ordinal));
    }

    [Fact]
    public void A_kept_set_whose_type_changed_forces_a_recreate()
    {
        var json = Fixture.Read("two-doors-live.json").Replace(
            "\"name\": \"ssh_open_v4\", \"table\": \"nftknock\", \"type\": \"ipv4_addr\"",
            "\"name\": \"ssh_open_v4\", \"table\": \"nftknock\", \"type\": \"ipv6_addr\"",
            StringComparison.Ordinal);
        json.ShouldNotBe(Fixture.Read("two-doors-live.json"));

        var script = ApplyScript.Build(Plan(SshOnly), NftJson.ReadTable(json), string.Empty, out var recreated);

        recreated.ShouldBeTrue();
        script.ShouldStartWith("table inet nftknock {}\ndelete table inet nftknock\n");
    }

    [Fact]
    public void A_reapply_of_a_rotating_door_keeps_its_claims_and_owners_and_recreates_the_rotating_map()
    {
        // Captured after a grant and a refused replay of alice's; the config is the one it was applied from.
        var current = NftJson.ReadTable(Fixture.Read("rotating-clients-live.json"));
        var plan = Plan("""
            doors:
              ssh:
                protect: [22/tcp]
                rotating:
                  clients:
                    - {name: alice, secret-file: /a.secret, grant-prefix: {ipv4: 24}}
                    - {name: bob, secret-file: /b.secret}
                  period: 30s
              web:
                protect: [8443/tcp]
                sequence: [7000/udp, 9000/tcp, 8000/udp]
            """);

        var script = ApplyScript.Build(plan, current, string.Empty, out var recreated);

        recreated.ShouldBeFalse();
        foreach (var kept in new[] { "ssh_owner_v4", "ssh_open24_v4", "ssh_open_v4", $"ssh_grants_{Names.ClientId("alice")}" })
        {
            script.ShouldNotContain($" {kept}\n", customMessage: kept);
        }

        script.ShouldContain("delete map inet nftknock rotating\n");

        // Claims were per family before one set served both: the old sets go, so apply serves only windows never served.
        script.ShouldContain("delete set inet nftknock ssh_claims_v4\n");
        script.ShouldContain("delete set inet nftknock ssh_claims_v6\n");
    }
}
