using NftKnock.Core.Config;
using NftKnock.Core.Ruleset;
using NftKnock.Server.Tables;

namespace NftKnock.Cli.Tests.Rotating;

/// <summary>What a rotate wake reads of the table: narrow listings while the table is the one it last saw.</summary>
public sealed partial class RotateCommandTests
{
    [Fact]
    public async Task After_apply_each_rotate_wake_reads_the_chains_and_rotating_sets_and_not_the_whole_table()
    {
        (await Run("apply", "-c", ConfigPath)).ShouldBe(0, error.ToString());
        var whole = nft.StructureReads;

        clock.Advance(Period);
        (await Run("rotate", "--once", "-c", ConfigPath)).ShouldBe(0, error.ToString());
        clock.Advance(Period);
        (await Run("rotate", "--once", "-c", ConfigPath)).ShouldBe(0, error.ToString());

        nft.StructureReads.ShouldBe(whole);
        nft.OutlineReads.ShouldBe(2);
        nft.Applied[^1].ShouldBe(Expected(Boundary + (2 * Period)));
        error.ToString().ShouldNotContain("the clock");
    }

    [Fact]
    public async Task A_table_recreated_since_the_last_wake_is_read_whole_and_no_window_is_served_twice()
    {
        (await Run("apply", "-c", ConfigPath)).ShouldBe(0, error.ToString());
        (await Run("rotate", "--once", "-c", ConfigPath)).ShouldBe(0, error.ToString());
        var whole = nft.StructureReads;

        // Deleted and loaded again by hand, not by apply: new chains, and claims that start empty.
        var config = ConfigReader.Read(File.ReadAllText(ConfigPath), _ => new SecretFileContent(File.ReadAllText(SecretPath), null, null)).Config!;
        await nft.RunAsync("delete table inet nftknock\n", checkOnly: false);
        await nft.ApplyAsync(ApplyScript.Plan(Planner.Plan(config), null, string.Empty), checkOnly: false);
        (await Run("rotate", "--once", "-c", ConfigPath)).ShouldBe(0);

        nft.StructureReads.ShouldBe(whole + 1);
        nft.Applied[^1].ShouldBe("flush map inet nftknock rotating\n");
        error.ToString().ShouldContain("which was already served, or the table lost its claims since");
    }
}
