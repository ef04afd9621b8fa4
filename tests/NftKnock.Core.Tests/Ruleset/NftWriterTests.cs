using NftKnock.Core.Config;
using NftKnock.Core.Ruleset;
using NftKnock.Core.Ruleset.Model;

namespace NftKnock.Core.Tests.Ruleset;

public sealed class NftWriterTests
{
    private static NftTable Model() => Planner.Plan(ConfigReader.Read("doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [7000/udp, 9000/tcp, 8000/udp]\n").Config!).Model;

    [Fact]
    public void A_chain_added_to_the_model_is_written_after_a_blank_line_with_its_hook_comments_and_rules()
    {
        var model = Model();
        var guard = new NftChain("forward_guard", [new NftRule("ct state invalid drop") { Comments = ["Nothing invalid is forwarded."] }])
        {
            Comments = ["Forwarded packets."],
            Hook = new NftHook("forward", "filter - 10", "accept"),
            Heading = [],
        };

        var text = NftWriter.Write(model with { Objects = [.. model.Objects, guard] });

        text.ShouldEndWith("""

            	chain forward_guard {
            		# Forwarded packets.
            		type filter hook forward priority filter - 10; policy accept;
            		# Nothing invalid is forwarded.
            		ct state invalid drop
            	}
            }

            """.Replace("\r", string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public void A_kept_sets_json_type_comes_from_its_key()
    {
        var owners = new NftSet("ssh_owner_v6", [KeyField.Token, KeyField.Ip6Saddr], SetKind.Stateful);

        owners.JsonType.ShouldBe("integer . ipv6_addr");
        owners.KeptAcrossApplies.ShouldBeTrue();
        new NftSet("ssh_allow_v4", [KeyField.IpSaddr], SetKind.Static).KeptAcrossApplies.ShouldBeFalse();
    }

    [Fact]
    public void A_map_fill_flushes_the_map_then_adds_every_entry_in_the_same_batch()
    {
        var fill = new MapFill(Names.Rotating, [
            new MapEntry(["40000", "0x0102030405060708"], Verdict.Goto("ssh_step1"), TimeSpan.FromSeconds(60)),
            new MapEntry(["40001", "0x0102030405060709"], Verdict.Goto("ssh_step2"), TimeSpan.FromMilliseconds(1500)),
        ]);

        NftWriter.Fill("nftknock", fill).ShouldBe(
            "flush map inet nftknock rotating\nadd element inet nftknock rotating {\n\t40000 . 0x0102030405060708 timeout 1m : goto ssh_step1,\n\t40001 . 0x0102030405060709 timeout 1500ms : goto ssh_step2\n}\n");
        NftWriter.Fill("nftknock", fill with { Entries = [] }).ShouldBe("flush map inet nftknock rotating\n");
    }
}
