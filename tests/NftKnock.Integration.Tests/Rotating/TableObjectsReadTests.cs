using System.Text;
using NftKnock.Core.Ruleset.Model;
using NftKnock.Server.Nftables;
using NftKnock.Server.Tables;
using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests.Rotating;

/// <summary>
/// Apply, check and remove read the table's handle and comment and its named counters from the kernel
/// over netlink, and its chains, sets and maps through nft; rotate reads the chains over netlink. On
/// this kernel each reading must be the one nft's own listing gives: the same table, the same counters
/// with their comments and counts, the same chains with their handles and hooks, nothing of another
/// table's, and no table where there is none.
/// </summary>
public sealed class TableObjectsReadTests
{
    private const string Rest = "list chains inet; list sets inet; list maps inet";
    private const string All = "list tables inet; list chains inet; list sets inet; list maps inet; list counters inet";
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(30);

    [KernelFact]
    public async Task The_kernels_answer_reads_as_nfts_listing_of_the_table_and_its_counters()
    {
        await using var lab = await RotatingLab.StartAsync("alice", "bob");
        await lab.ApplyAsync(lab.Config(Period, closeOnConnect: false, "alice", "bob"));
        var sequence = lab.Sequence("bob", Period);
        await lab.KnockAndExpectOpenAsync(lab.Lab.Client, Lab.ServerV4, sequence.Window(sequence.WindowAt(DateTimeOffset.UtcNow)), "bob");
        (await lab.Lab.Server.NftAsync("table inet other {\n counter team_knocks {\n }\n}\n")).EnsureSuccess("another inet table");

        var expected = await NftReadingAsync(lab.Lab.Server);
        var actual = await KernelReadingAsync(lab.Lab.Server);

        expected.Handle.ShouldBeGreaterThan(0);
        actual.Handle.ShouldBe(expected.Handle);
        actual.Model.Comment.ShouldBe(expected.Model.Comment);
        actual.IsOurs.ShouldBeTrue();
        Counters(actual).ShouldBe(Counters(expected));
        expected.CounterState.Values.ShouldContain(c => c.Packets > 0, "bob's knock counted nothing, so counts were not compared");
        expected.Model.Counters.ShouldContain(c => c.Comment == "bob", "no client counter has a comment, so comments were not compared");
    }

    [KernelFact]
    public async Task The_kernels_chains_read_as_nfts_listing_of_them()
    {
        await using var lab = await RotatingLab.StartAsync("alice", "bob");
        await lab.ApplyAsync(lab.Config(Period, closeOnConnect: false, "alice", "bob"));
        (await lab.Lab.Server.NftAsync("table inet other {\n chain input {\n type filter hook output priority 5; policy drop;\n }\n chain team_step1 {\n }\n}\n"))
            .EnsureSuccess("another inet table");

        var chains = JoinedThread.Run(lab.Lab.Server.Name, () =>
        {
            using var kernel = NftNetlink.Open() ?? throw new InvalidOperationException("no netlink socket");
            return kernel.Chains("nftknock");
        });
        var listing = (await lab.Lab.Server.RunAsync("nft", "-t", "-j", "list chains inet")).EnsureSuccess("nft listing").Stdout;

        chains.ShouldNotBeNull("the kernel did not answer in full");
        var actual = NftJson.ReadOutline(Encoding.UTF8.GetBytes(chains), "nftknock");
        var expected = NftJson.ReadOutline(Encoding.UTF8.GetBytes(listing), "nftknock");
        Chains(actual).ShouldBe(Chains(expected));
        Chains(expected).Count.ShouldBeGreaterThan(6);
        Chains(expected).ShouldContain(c => c.StartsWith("input ", StringComparison.Ordinal) && c.Contains("input -10 accept", StringComparison.Ordinal));
    }

    [KernelFact]
    public async Task No_table_reads_as_none_a_same_named_table_as_nft_reads_it_and_a_change_moves_the_generation()
    {
        await using var lab = await Lab.StartAsync();
        var (before, missing) = JoinedThread.Run(lab.Server.Name, () =>
        {
            using var kernel = NftNetlink.Open() ?? throw new InvalidOperationException("no netlink socket");
            return (kernel.Generation(), kernel.TableAndCounters("nftknock"));
        });
        missing.ShouldNotBeNull();
        NftJson.ReadOutline(Encoding.UTF8.GetBytes(missing), "nftknock").Handle.ShouldBe(0);

        (await lab.Server.NftAsync("table inet nftknock {\n comment \"the host's <own> & café table\"\n counter hits {\n comment \"mine\"\n }\n}\n"))
            .EnsureSuccess("a same-named table that is not ours");
        var expected = await NftReadingAsync(lab.Server);
        var actual = await KernelReadingAsync(lab.Server);
        var after = JoinedThread.Run(lab.Server.Name, () =>
        {
            using var kernel = NftNetlink.Open() ?? throw new InvalidOperationException("no netlink socket");
            return kernel.Generation();
        });

        before.ShouldNotBeNull();
        after.ShouldNotBe(before);
        actual.Handle.ShouldBe(expected.Handle);
        actual.Model.Comment.ShouldBe("the host's <own> & café table");
        actual.IsOurs.ShouldBe(expected.IsOurs);
        actual.IsOurs.ShouldBeFalse();
        Counters(actual).ShouldBe(Counters(expected));
    }

    private static async Task<TableReading> NftReadingAsync(Netns server) =>
        NftJson.ReadOutline(Encoding.UTF8.GetBytes((await server.RunAsync("nft", "-t", "-j", All)).EnsureSuccess("nft listing").Stdout), "nftknock");

    /// <summary>The reading apply makes: the kernel's answer for the table and counters, nft's listing for the rest.</summary>
    private static async Task<TableReading> KernelReadingAsync(Netns server)
    {
        var objects = JoinedThread.Run(server.Name, () =>
        {
            using var kernel = NftNetlink.Open() ?? throw new InvalidOperationException("no netlink socket");
            return kernel.TableAndCounters("nftknock");
        });
        objects.ShouldNotBeNull("the kernel did not answer in full");
        var rest = (await server.RunAsync("nft", "-t", "-j", Rest)).EnsureSuccess("nft listing").Stdout;
        return NftJson.ReadOutline(Encoding.UTF8.GetBytes(objects + rest), "nftknock");
    }

    private static List<string> Chains(TableReading reading) =>
        [.. reading.Model.Objects.OfType<NftChain>().Select(c => $"{c.Name} {reading.ChainState[c.Name].Handle} {c.Hook?.Hook} {c.Hook?.Priority} {c.Hook?.Policy}").Order(StringComparer.Ordinal)];

    private static List<string> Counters(TableReading reading) =>
        [.. reading.Model.Counters.Select(c => $"{c.Name} {c.Comment} {reading.CounterState[c.Name]}").Order(StringComparer.Ordinal)];
}
