using System.Text.RegularExpressions;
using NftKnock.Core.Config;
using NftKnock.Core.Model;
using NftKnock.Core.Ruleset;
using NftKnock.Core.Ruleset.Model;

namespace NftKnock.Core.Tests.Ruleset;

/// <summary>
/// What a packet no door concerns meets on its way through guard mode's input chain: a few lookups, however many
/// doors there are. The kernel tests show the same rules keep sweeps failing (StateMachineTests, StrayAcrossDoorsTests).
/// </summary>
public sealed class PacketPathTests
{
    private static NftTable Plan(string yaml) => Planner.Plan(ConfigReader.Read(yaml).Config!).Model;

    private static List<string> Rules(NftTable model, string chain) => model.Get<NftChain>(chain).Rules.Select(r => r.Text).ToList();

    private static string Doors(int count) => "doors:\n" + string.Concat(Enumerable.Range(1, count).Select(i =>
        $"  d{i}:\n    protect: [{2000 + i}/tcp]\n    sequence: [{10000 + i}/udp, {20000 + i}/tcp, {30000 + i}/udp]\n    step-timeout: {1 + (i % 3)}s\n"));

    [Fact]
    public void A_source_part_way_through_no_sequence_leaves_stray_after_one_lookup_of_its_family_however_many_doors()
    {
        foreach (var count in new[] { 1, 64 })
        {
            var stray = Rules(Plan(Doors(count)), Names.Stray);

            stray.Take(2).ShouldBe(["ip saddr != @knocking_v4 return", "ip6 saddr != @knocking_v6 return"]);
            stray.Count.ShouldBe(2 + (2 * count));
        }
    }

    [Fact]
    public void Every_step_that_puts_a_source_in_progress_puts_it_in_its_family_s_knocking_set_for_the_longest_step_timeout()
    {
        var model = Plan(Doors(3));

        var advancing = model.Chains.SelectMany(c => c.Rules).Select(r => r.Text)
            .Where(t => Regex.IsMatch(t, @"update @d\d+_prog_v[46] ")).ToList();
        advancing.Count.ShouldBe(3 * 2 * 2);
        advancing.Where(t => t.Contains("_prog_v4", StringComparison.Ordinal)).ShouldAllBe(t => t.Contains("update @knocking_v4 { ip saddr timeout 3s }"));
        advancing.Where(t => t.Contains("_prog_v6", StringComparison.Ordinal)).ShouldAllBe(t => t.Contains("update @knocking_v6 { ip6 saddr timeout 3s }"));
        model.Get<NftSet>(Names.Knocking(Families.IPv4)).Flags.ShouldBe(SetFlags.Dynamic | SetFlags.Timeout);
        model.Get<NftSet>(Names.Knocking(Families.IPv4)).Size.ShouldBe(Math.Min(1 << 21, 3 * Planner.StageSetSize(TimeSpan.FromSeconds(3))), "sized for a flood at every door, at most 2,097,152");
    }

    [Fact]
    public void Doors_of_one_step_and_one_family_have_only_the_knocking_sets_they_need()
    {
        Plan("doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [7000/udp]\n").Sets.ShouldNotContain(s => s.Name.StartsWith("knocking_", StringComparison.Ordinal));

        var v6 = Plan("doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [7000/udp, 8000/udp]\n    families: [ipv6]\n");
        v6.Sets.Where(s => s.Name.StartsWith("knocking_", StringComparison.Ordinal)).Select(s => s.Name).ShouldBe(["knocking_v6"]);
        Rules(v6, Names.Stray)[0].ShouldBe("ip6 saddr != @knocking_v6 return");
    }

    [Fact]
    public void A_segment_of_a_connection_passes_input_right_after_the_knock_ports()
    {
        var rules = Rules(Plan(Doors(2)), Names.Input);

        var connection = rules.IndexOf("tcp flags & (ack | rst) != 0 accept");
        connection.ShouldBe(rules.IndexOf("meta l4proto . th dport vmap @dispatch") + 1);
        connection.ShouldBeLessThan(rules.FindIndex(r => r.StartsWith("ct status dnat", StringComparison.Ordinal)));
    }

    [Fact]
    public void Only_udp_to_a_rotating_door_s_port_range_reads_the_token_and_adjacent_ranges_are_one_range()
    {
        const string Rotating = "  r{0}:\n    protect: [{1}/tcp]\n    rotating:\n      secret-file: /etc/nftknock/r{0}.key\n      ports: {2}\n";
        var yaml = "doors:\n"
            + string.Format(System.Globalization.CultureInfo.InvariantCulture, Rotating, 1, 22, "40000-40999")
            + string.Format(System.Globalization.CultureInfo.InvariantCulture, Rotating, 2, 23, "41000-41999")
            + string.Format(System.Globalization.CultureInfo.InvariantCulture, Rotating, 3, 24, "50000-50999");
        var rules = Rules(Plan(yaml), Names.Input);

        rules.ShouldContain("udp dport { 40000-41999, 50000-50999 } udp dport . @th,64,64 vmap @rotating");
    }
}
