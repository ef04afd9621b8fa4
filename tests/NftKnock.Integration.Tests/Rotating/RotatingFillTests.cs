using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using NftKnock.Core.Ruleset;
using NftKnock.Core.Ruleset.Model;
using NftKnock.Server.Nftables;
using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests.Rotating;

/// <summary>
/// rotate sends the rotating map's flush and refill to the kernel itself, not through nft. On this kernel
/// the map must then hold exactly what nft's <c>flush map</c> and <c>add element</c> leave in it (keys,
/// verdicts, timeouts), across the several messages a large fill takes, and a batch the kernel refuses
/// must leave the map as it was.
/// </summary>
public sealed class RotatingFillTests
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(30);

    [KernelFact]
    public async Task The_kernels_fill_leaves_the_map_as_nfts_flush_and_refill_does()
    {
        await using var lab = await RotatingLab.StartAsync("alice", "bob");
        await lab.ApplyAsync(lab.Config(Period, closeOnConnect: false, "alice", "bob"));
        var fill = await FillAsync(lab.Lab.Server, 1000, goodChains: true);

        Fill(lab.Lab.Server, fill).ShouldBeTrue("the kernel refused the batch or did not acknowledge it");
        var kernel = await EntriesAsync(lab.Lab.Server);
        (await lab.Lab.Server.NftAsync(NftWriter.Fill("nftknock", fill))).EnsureSuccess("nft's flush and refill");
        var nft = await EntriesAsync(lab.Lab.Server);

        kernel.Count.ShouldBe(1000);
        kernel.ShouldBe(nft);
    }

    [KernelFact]
    public async Task A_fill_the_kernel_refuses_leaves_the_map_as_it_was()
    {
        await using var lab = await RotatingLab.StartAsync("alice");
        await lab.ApplyAsync(lab.Config(Period, closeOnConnect: false, "alice"));
        var before = await EntriesAsync(lab.Lab.Server);

        Fill(lab.Lab.Server, await FillAsync(lab.Lab.Server, 500, goodChains: false)).ShouldBeFalse("a goto to a missing chain was accepted");

        before.Count.ShouldBeGreaterThan(0, "apply wrote no knocks, so nothing shows the map was kept");
        (await EntriesAsync(lab.Lab.Server)).ShouldBe(before);
    }

    private static bool Fill(Netns server, MapFill fill) => JoinedThread.Run(server.Name, () =>
    {
        using var kernel = NftNetlink.Open() ?? throw new InvalidOperationException("no netlink socket");
        return kernel.Fill("nftknock", fill);
    });

    /// <summary><paramref name="count"/> knocks to the door's step chains, with several timeouts; the last to a chain that does not exist unless <paramref name="goodChains"/>.</summary>
    private static async Task<MapFill> FillAsync(Netns server, int count, bool goodChains)
    {
        var listing = (await server.RunAsync("nft", "-t", "-j", "list chains inet")).EnsureSuccess("chains").Stdout;
        var chains = NftJson.ReadOutline(Encoding.UTF8.GetBytes(listing), "nftknock").Model.Objects.OfType<NftChain>()
            .Select(c => c.Name).Where(n => n.Contains("_step", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        chains.Count.ShouldBeGreaterThan(1);
        var random = new Random(7);
        var entries = Enumerable.Range(0, count).Select(i => new MapEntry(
            [(10000 + i).ToString(CultureInfo.InvariantCulture), $"0x{(ulong)random.NextInt64():x16}"],
            i % 5 == 4 ? new Verdict("jump", chains[i % chains.Count]) : Verdict.Goto(chains[i % chains.Count]),
            TimeSpan.FromMilliseconds(5000 + (i % 3 * 30000) + (i % 7)))).ToList();
        if (!goodChains)
        {
            entries[^1] = entries[^1] with { Verdict = Verdict.Goto("no_such_chain") };
        }

        return new MapFill(Names.Rotating, entries);
    }

    /// <summary>The map's entries as nft lists them, without the time left: key, verdict and timeout.</summary>
    private static async Task<List<string>> EntriesAsync(Netns server)
    {
        var listing = (await server.RunAsync("nft", "-j", "list", "map", "inet", "nftknock", Names.Rotating)).EnsureSuccess("the map").Stdout;
        var map = JsonNode.Parse(listing)!["nftables"]!.AsArray().Select(n => n!["map"]).Single(m => m is not null)!;
        return [.. (map["elem"]?.AsArray() ?? []).Select(e =>
        {
            var element = e!.AsArray();
            (element[0]!["elem"] as JsonObject)?.Remove("expires");
            return $"{element[0]!.ToJsonString()} {element[1]!.ToJsonString()}";
        }).Order(StringComparer.Ordinal)];
    }
}
