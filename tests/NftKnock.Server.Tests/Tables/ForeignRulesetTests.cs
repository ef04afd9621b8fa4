using NftKnock.Server.Tables;

namespace NftKnock.Server.Tests.Tables;

/// <summary>The one reading of the host's other tables that doctor's checks and apply's DNAT targets share.</summary>
public sealed class ForeignRulesetTests
{
    private static string DeployFixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Deploy", "Fixtures", name));

    private const string Listing = """
        {"nftables": [
          {"metainfo": {"version": "1.0.6", "json_schema_version": 1}},
          {"rule": {"family": "ip", "table": "hostfw", "chain": "input", "handle": 3, "expr": [{"jump": {"target": "ssh_in"}}]}},
          {"rule": {"family": "ip", "table": "hostfw", "chain": "input", "handle": 4, "expr": [{"goto": {"target": "nowhere"}}]}},
          {"chain": {"family": "ip", "table": "hostfw", "name": "input", "handle": 1, "type": "filter", "hook": "input", "prio": -5, "policy": "drop"}},
          {"chain": {"family": "ip", "table": "hostfw", "name": "ssh_in", "handle": 2}},
          {"rule": {"family": "ip", "table": "hostfw", "chain": "ssh_in", "handle": 5, "expr": [{"accept": null}]}},
          {"set": {"family": "inet", "table": "nftknock", "name": "ssh_open_v4", "elem": ["198.18.0.2", "198.18.0.3"]}},
          {"chain": {"family": "inet", "table": "nftknock", "name": "input", "handle": 1, "type": "filter", "hook": "input", "prio": -10, "policy": "accept"}},
          {"rule": {"family": "inet", "table": "nftknock", "chain": "input", "handle": 9, "expr": [{"drop": null}]}},
          {"chain": {"family": "ip", "table": "nftknock", "name": "input", "handle": 1, "type": "filter", "hook": "input", "prio": 0}}
        ]}
        """;

    [Fact]
    public void Other_tables_chains_are_read_with_their_rules_and_our_own_table_is_left_out()
    {
        var ruleset = ForeignRuleset.Parse(Listing, "nftknock");

        ruleset.Chains.Keys.ShouldBe([("ip", "hostfw", "input"), ("ip", "hostfw", "ssh_in"), ("ip", "nftknock", "input")], ignoreOrder: true);
        var input = ruleset.Chains[("ip", "hostfw", "input")];
        (input.Type, input.Hook, input.Priority, input.Policy).ShouldBe(("filter", "input", -5, "drop"));
        input.Rules.Count.ShouldBe(2);
        ruleset.Chains[("ip", "hostfw", "ssh_in")].Rules.ShouldHaveSingleItem().ShouldHaveSingleItem().Has("accept").ShouldBeTrue();
    }

    [Fact]
    public void Listings_one_after_another_read_as_one_ruleset()
    {
        const string Nat4 = """{"nftables": [{"chain": {"family": "ip", "table": "nat", "name": "PREROUTING", "handle": 1, "type": "nat", "hook": "prerouting", "prio": -100}}]}""";
        const string Nat6 = """{"nftables": [{"chain": {"family": "ip6", "table": "nat", "name": "PREROUTING", "handle": 1, "type": "nat", "hook": "prerouting", "prio": -100}}, {"rule": {"family": "ip6", "table": "nat", "chain": "PREROUTING", "handle": 2, "expr": [{"accept": null}]}}]}""";

        var ruleset = ForeignRuleset.Parse(Nat4 + "\n" + Nat6 + "\n", "nftknock");

        ruleset.Chains.Keys.ShouldBe([("ip", "nat", "PREROUTING"), ("ip6", "nat", "PREROUTING")], ignoreOrder: true);
        ruleset.Chains[("ip6", "nat", "PREROUTING")].Rules.ShouldHaveSingleItem();
        Should.Throw<FormatException>(() => ForeignRuleset.Parse(Nat4 + "[]", "nftknock"));
    }

    [Fact]
    public void A_jump_or_goto_leads_to_its_chain_in_the_same_table_or_to_none_it_knows()
    {
        var ruleset = ForeignRuleset.Parse(Listing, "nftknock");
        var input = ruleset.Chains[("ip", "hostfw", "input")];
        var ssh = ruleset.Chains[("ip", "hostfw", "ssh_in")];

        ruleset.IsJump(input, input.Rules[0][0], out var isGoto, out var next).ShouldBeTrue();
        (isGoto, next).ShouldBe((false, ssh));
        ruleset.IsJump(input, input.Rules[1][0], out isGoto, out next).ShouldBeTrue();
        (isGoto, next).ShouldBe((true, (ForeignChain?)null));
        ruleset.IsJump(ssh, ssh.Rules[0][0], out _, out _).ShouldBeFalse();
    }

    [Fact]
    public void A_real_listing_is_read_without_our_table_s_sets()
    {
        // Real nft -j list ruleset output; our own table in it is named nkdtest.
        var ruleset = ForeignRuleset.Parse(DeployFixture("jump-accepts-22.json"), "nkdtest");

        ruleset.Chains.Keys.ShouldAllBe(k => k.Table != "nkdtest");
        ruleset.Chains.Values.ShouldContain(c => c.Hook == "input");
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("""{"other": []}""")]
    [InlineData("""{"nftables": [{"chain": {"family": "ip", "name": "input"}}]}""")]
    [InlineData("""{"nftables": [{"chain": {"family": "ip", "table": "t", "name": "input"}""")]
    public void What_is_not_a_ruleset_listing_is_a_format_error(string json) =>
        Should.Throw<FormatException>(() => ForeignRuleset.Parse(json, "nftknock"));
}
