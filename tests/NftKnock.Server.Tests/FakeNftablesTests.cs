using NftKnock.Core.Config;
using NftKnock.Core.Ruleset;
using NftKnock.Core.Ruleset.Model;
using NftKnock.Server.Nftables;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Tests;

public sealed class FakeNftablesTests
{
    private static RulesetPlan Plan(string yaml) => Planner.Plan(ConfigReader.Read(yaml).Config!);

    [Fact]
    public async Task An_apply_leaves_the_planned_table_in_the_fake_as_a_model()
    {
        var nft = new FakeNftables();
        var plan = Plan("doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [7000/udp, 8000/tcp, 9000/udp]\n");

        await new TableService(nft).ApplyAsync(plan, string.Empty);

        var table = nft.Dump("nftknock").ShouldNotBeNull();
        table.Chains.Select(c => c.Name).ShouldBe(plan.Model.Chains.Select(c => c.Name));
        table.Get<NftChain>(Names.Input).Hook.ShouldBe(new NftHook("input", "filter - 10", "accept"));
        table.Get<NftChain>(Names.Guard("ssh")).Rules[^1].Text.ShouldBe("counter name \"ssh_blocked\" drop");
        table.Get<NftMap>(Names.Dispatch).Elements.Select(e => $"{string.Join(" . ", e.Key)} : {e.Verdict}")
            .ShouldBe(["udp . 7000 : goto ssh_step1", "tcp . 8000 : goto ssh_step2", "udp . 9000 : goto ssh_step3"]);
        table.Get<NftMap>(Names.Protected).Elements.Select(e => $"{string.Join(" . ", e.Key)} : {e.Verdict}").ShouldBe(["tcp . 22 : goto ssh_guard"]);
    }

    [Fact]
    public async Task Rotating_knocks_filled_with_an_apply_land_in_the_same_batch_and_the_map()
    {
        var nft = new FakeNftables();
        var plan = Plan("doors:\n  ssh:\n    protect: [22/tcp]\n    rotating:\n      clients:\n        - {name: alice, secret-file: /a.secret}\n");
        var knock = new MapEntry(["40000", "0x0102030405060708"], Verdict.Goto(Names.StepChain("ssh", 1)), TimeSpan.FromSeconds(60));

        await new TableService(nft).ApplyAsync(plan, string.Empty, (_, _) => new MapFill(Names.Rotating, [knock]));

        nft.Dump("nftknock")!.Get<NftMap>(Names.Rotating).Elements.ShouldBe([knock]);
        nft.Scripts.ShouldHaveSingleItem().Script.ShouldEndWith(
            "}\nflush map inet nftknock rotating\nadd element inet nftknock rotating {\n\t40000 . 0x0102030405060708 timeout 1m : goto ssh_step1\n}\n");
    }

    [Fact]
    public async Task A_refused_batch_leaves_no_model_and_a_removed_table_takes_its_model_along()
    {
        var nft = new FakeNftables { Refuse = _ => new NftException(NftFailureKind.Refused, "Error: no", string.Empty) };
        var service = new TableService(nft);
        var plan = Plan("doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [7000/udp, 8000/tcp, 9000/udp]\n");

        await Should.ThrowAsync<NftException>(() => service.ApplyAsync(plan, string.Empty));
        nft.Dump("nftknock").ShouldBeNull();

        nft.Refuse = null;
        await service.ApplyAsync(plan, string.Empty);
        nft.Dump("nftknock").ShouldNotBeNull();
        await service.RemoveAsync("nftknock");
        nft.Dump("nftknock").ShouldBeNull();
    }
}
