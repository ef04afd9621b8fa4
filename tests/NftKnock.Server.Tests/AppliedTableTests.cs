using NftKnock.Core.Config;
using NftKnock.Core.Model;
using NftKnock.Core.Ruleset;
using NftKnock.Core.Ruleset.Model;
using NftKnock.Server.Doctor;
using NftKnock.Server.Nftables;
using NftKnock.Server.Status;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Tests;

/// <summary>The fake applies batches as the kernel does and lists the result through the real reader: no captured listing.</summary>
public sealed class AppliedTableTests
{
    private const string Table = "nftknock";

    /// <summary>A static door with an allow list and a rotating door with a client.</summary>
    internal const string TwoDoors = """
        doors:
          ssh:
            protect: [22/tcp]
            sequence: [7000/udp, 8000/tcp, 9000/udp]
            allow: [198.18.9.0/24]
          web:
            protect: [8443/tcp]
            rotating:
              clients:
                - {name: alice, secret-file: /a.secret}
        """;

    private static ServerConfig Config(string yaml) => ConfigReader.Read(yaml).Config!;

    [Fact]
    public async Task Apply_grant_reapply_status_and_a_rotation_fill_all_read_the_applied_table()
    {
        var nft = new FakeNftables();
        var tables = new TableService(nft);
        var plan = Planner.Plan(Config(TwoDoors));
        await tables.ApplyAsync(plan, string.Empty);

        // The kernel's rules grant a source and count it; then the same config is applied again.
        nft.AddElement(Table, Names.Open("ssh", Families.IPv4), "198.18.1.2", TimeSpan.FromSeconds(10));
        nft.AddElement(Table, Names.Stage("ssh", 1, Families.IPv6), "2001:db8:1::7", TimeSpan.FromSeconds(2));
        nft.Count(Table, Names.Counter("ssh", CounterKind.Grants));
        var first = (await tables.ReadOursAsync(Table))!.Handle;
        (await tables.ApplyAsync(plan, string.Empty)).Created.ShouldBeFalse();

        var reading = (await tables.ReadOursAsync(Table)).ShouldNotBeNull();
        reading.Handle.ShouldBe(first);
        var ssh = StatusReport.From(reading).Doors.Single(d => d.Name == "ssh");
        ssh.Open.ShouldBe([new OpenEntry("198.18.1.2", 10_000)]);
        ssh.InProgress.ShouldBe([new ProgressEntry("2001:db8:1::7", 1, 2_000)]);
        ssh.Counters["grants"].ShouldBe(1);
        ssh.Protect.ShouldBe(["22/tcp"]);
        ssh.Steps.ShouldBe(3);

        // rotate writes its knocks as a text batch: a flush of the map and its new entries.
        var knock = new MapEntry(["40000", "0x0102030405060708"], Verdict.Goto(Names.StepChain("web", 1)), TimeSpan.FromSeconds(60));
        await nft.RunAsync(NftWriter.Fill(Table, new MapFill(Names.Rotating, [knock])), checkOnly: false);

        var rotated = (await tables.ReadAsync(Table))!;
        var entry = rotated.Model.Get<NftMap>(Names.Rotating).Elements.ShouldHaveSingleItem();
        entry.Key.ShouldBe(["40000", "72623859790382856"]);
        entry.Verdict.ShouldBe(knock.Verdict);
        rotated.Elements(Names.Rotating).ShouldHaveSingleItem().ExpiresMs.ShouldBe(60_000);
        rotated.Elements(Names.Open("ssh", Families.IPv4)).ShouldHaveSingleItem().Value.ShouldBe("198.18.1.2");
    }

    [Fact]
    public async Task A_door_removed_from_the_config_takes_its_sets_and_counters_along_and_the_other_keeps_its_grants()
    {
        var nft = new FakeNftables();
        var tables = new TableService(nft);
        await tables.ApplyAsync(Planner.Plan(Config(TwoDoors)), string.Empty);
        nft.AddElement(Table, Names.Open("ssh", Families.IPv4), "198.18.1.2", TimeSpan.FromSeconds(10));
        nft.AddElement(Table, Names.Open("web", Families.IPv4), "198.18.1.3", TimeSpan.FromSeconds(10));

        await tables.ApplyAsync(Planner.Plan(Config(TwoDoors[..TwoDoors.IndexOf("  web:", StringComparison.Ordinal)])), string.Empty);

        var reading = (await tables.ReadAsync(Table))!;
        reading.HasSet(Names.Open("web", Families.IPv4)).ShouldBeFalse();
        reading.CounterState.ContainsKey(Names.Counter("web", CounterKind.Knocks)).ShouldBeFalse();
        reading.HasChain(Names.Guard("web")).ShouldBeFalse();
        reading.Elements(Names.Open("ssh", Families.IPv4)).ShouldHaveSingleItem().Value.ShouldBe("198.18.1.2");
    }

    [Fact]
    public async Task A_recreated_table_loses_every_grant_and_count_and_gets_a_new_handle()
    {
        var nft = new FakeNftables();
        var tables = new TableService(nft);
        var plan = Planner.Plan(Config(TwoDoors));
        await tables.ApplyAsync(plan, string.Empty);
        nft.AddElement(Table, Names.Open("ssh", Families.IPv4), "198.18.1.2", TimeSpan.FromSeconds(10));
        nft.Count(Table, Names.Counter("ssh", CounterKind.Knocks), 3);
        var before = (await tables.ReadAsync(Table))!;

        await nft.ApplyAsync(new ApplyBatch(string.Empty, TableStart.Recreated, [], plan.Model), checkOnly: false);

        var after = (await tables.ReadAsync(Table))!;
        after.Handle.ShouldNotBe(before.Handle);
        after.Elements(Names.Open("ssh", Families.IPv4)).ShouldBeEmpty();
        after.Packets(Names.Counter("ssh", CounterKind.Knocks)).ShouldBe(0);
        before.Packets(Names.Counter("ssh", CounterKind.Knocks)).ShouldBe(3);
    }

    public static TheoryData<string> Configs() => new(ConfigsOnDisk());

    private static IEnumerable<string> ConfigsOnDisk() =>
        Directory.GetFiles(Repo.Path("samples"), "*.yaml").Concat(Directory.GetFiles(Repo.Path("tests", "NftKnock.Core.Tests", "Cases"), "*.yaml"))
            .Order(StringComparer.Ordinal)
            .Select(file => Path.GetRelativePath(Repo.Root, file));

    [Theory]
    [MemberData(nameof(Configs))]
    public async Task Every_config_read_back_after_its_apply_shows_no_drift(string path)
    {
        var config = ConfigReader.Read(File.ReadAllText(Repo.Path(path))).Config!;
        var nft = new FakeNftables();
        await new TableService(nft).ApplyAsync(Planner.Plan(config), string.Empty);

        var check = Drift.Check(config, await new TableService(nft).ReadAsync(config.Table));

        check.Detail.ShouldStartWith($"table inet {config.Table} matches the config");
        check.Status.ShouldBe(CheckStatus.Pass);
    }

    [Fact]
    public async Task Drift_names_a_chain_whose_policy_and_a_map_whose_entries_differ_from_the_config()
    {
        var config = Config(TwoDoors);
        var nft = new FakeNftables();
        var plan = Planner.Plan(config);
        var input = plan.Model.Get<NftChain>(Names.Input);
        var edited = plan.Model
            .Replace(input with { Hook = input.Hook! with { Policy = "drop" } })
            .Replace(plan.Model.Get<NftMap>(Names.Protected) with { Elements = [new MapEntry(["tcp", "2222"], Verdict.Goto(Names.Guard("ssh")))] });
        await nft.ApplyAsync(new ApplyBatch(string.Empty, TableStart.Created, [], edited), checkOnly: false);

        var check = Drift.Check(config, await new TableService(nft).ReadAsync(Table));

        check.Status.ShouldBe(CheckStatus.Fail);
        check.Detail.ShouldBe("table inet nftknock differs from the config: declared otherwise than the config: chain input; "
            + "protected entries missing: tcp . 22 : ssh_guard, tcp . 8443 : web_guard; protected entries not in the config: tcp . 2222 : ssh_guard");
    }
}
