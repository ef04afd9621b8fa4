using NftKnock.Core.Config;
using NftKnock.Core.Ruleset;
using NftKnock.Core.Ruleset.Model;
using NftKnock.Server.Nftables;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Tests;

/// <summary>The batch a re-apply sends over a loaded table, against its golden (<c>NFTKNOCK_UPDATE_GOLDEN=1</c> regenerates it).</summary>
public sealed class ReapplyGoldenTests
{
    [Fact]
    public async Task A_reapply_flushes_deletes_what_holds_no_state_redeclares_and_fills_in_one_batch()
    {
        var nft = new FakeNftables();
        var tables = new TableService(nft);
        await tables.ApplyAsync(Planner.Plan(ConfigReader.Read(AppliedTableTests.TwoDoors).Config!), string.Empty);
        var changed = AppliedTableTests.TwoDoors.Replace("[7000/udp, 8000/tcp, 9000/udp]", "[7100/udp, 8100/tcp]", StringComparison.Ordinal);
        var knock = new MapEntry(["40000", "0x0102030405060708"], Verdict.Goto(Names.StepChain("web", 1)), TimeSpan.FromSeconds(60));

        var result = await tables.ApplyAsync(
            Planner.Plan(ConfigReader.Read(changed).Config!),
            ScriptHeader.For("reapply.yaml"),
            (_, _) => new MapFill(Names.Rotating, [knock]));

        result.ShouldBe(new ApplyResult(Created: false, Recreated: false));
        var golden = Repo.Path("tests", "NftKnock.Server.Tests", "Golden", "reapply.nft");
        var script = nft.Scripts[^1].Script;
        if (Environment.GetEnvironmentVariable("NFTKNOCK_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(golden, script);
        }

        File.Exists(golden).ShouldBeTrue("no golden for the re-apply batch; run with NFTKNOCK_UPDATE_GOLDEN=1");
        script.ShouldBe(File.ReadAllText(golden));
    }
}
