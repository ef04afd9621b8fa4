using NftKnock.Core.Config;
using NftKnock.Core.Ruleset;
using NftKnock.Server.Nftables;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Tests;

public sealed class TableServiceTests
{
    private static readonly RulesetPlan Plan = Planner.Plan(ConfigReader.Read("""
        doors:
          ssh:
            protect: [22/tcp]
            sequence: [7000/udp, 8000/tcp, 9000/udp]
        """).Config!);

    [Fact]
    public async Task Apply_reads_our_table_once_and_sends_one_batch()
    {
        var nft = new FakeNftables();

        var result = await new TableService(nft).ApplyAsync(Plan, string.Empty);

        result.Created.ShouldBeTrue();
        nft.Reads.ShouldBe(1);
        nft.StructureReads.ShouldBe(1);
        nft.Scripts.ShouldHaveSingleItem().CheckOnly.ShouldBeFalse();
    }

    [Fact]
    public async Task Reapply_reads_only_the_table_structure_and_keeps_the_grant_sets()
    {
        var nft = new FakeNftables();
        nft.Tables["nftknock"] = Fixture.Read("two-doors-live.json");

        var result = await new TableService(nft).ApplyAsync(Plan, string.Empty);

        result.Created.ShouldBeFalse();
        nft.StructureReads.ShouldBe(1);
        nft.Scripts.ShouldHaveSingleItem().Script.ShouldNotContain("delete set inet nftknock ssh_open_v4");
    }

    [Fact]
    public async Task A_same_named_table_that_is_not_ours_is_left_alone()
    {
        var nft = new FakeNftables();
        nft.Tables["nftknock"] = """{"nftables": [{"metainfo": {"json_schema_version": 1}}, {"table": {"family": "inet", "name": "nftknock", "handle": 1}}, {"chain": {"family": "inet", "table": "nftknock", "name": "input", "handle": 1}}]}""";
        var service = new TableService(nft);

        await Should.ThrowAsync<ForeignTableException>(() => service.ApplyAsync(Plan, string.Empty));
        await Should.ThrowAsync<ForeignTableException>(() => service.RemoveAsync("nftknock"));
        await Should.ThrowAsync<ForeignTableException>(() => service.ReadOursAsync("nftknock"));
        nft.Scripts.ShouldBeEmpty();
    }

    [Fact]
    public async Task Remove_deletes_only_our_table_in_one_batch_and_reports_absence()
    {
        var nft = new FakeNftables();
        var service = new TableService(nft);
        (await service.RemoveAsync("nftknock")).ShouldBeFalse();

        await service.ApplyAsync(Plan, string.Empty);
        (await service.RemoveAsync("nftknock")).ShouldBeTrue();

        nft.Scripts[^1].Script.ShouldBe("table inet nftknock {}\ndelete table inet nftknock\n");
        nft.Dump("nftknock").ShouldBeNull();
    }

    [Fact]
    public void Nft_errors_point_at_the_line_of_our_script()
    {
        var error = new NftException(
            NftFailureKind.Refused,
            "/dev/stdin:3:1-4: Error: syntax error, unexpected junk\njunk\n^^^^\n",
            "table inet t {}\nflush table inet t\njunk\n");

        error.ScriptLine.ShouldBe(3);
        error.OffendingLine.ShouldBe("junk");
        error.FirstError.ShouldBe("Error: syntax error, unexpected junk");
    }
}
