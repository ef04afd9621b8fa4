using NftKnock.Core.Ruleset.Model;
using NftKnock.Server.Nftables;
using NftKnock.Server.Status;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Tests;

public sealed class NftJsonTests
{
    [Fact]
    public void Reads_sets_elements_counters_chains_and_dispatch_from_real_output()
    {
        var state = NftJson.ReadTable(Fixture.Read("two-doors-live.json"));

        state.Name.ShouldBe("nftknock");
        state.Elements("ssh_open_v4").ShouldHaveSingleItem().Value.ShouldBe("198.18.1.2");
        state.Elements("ssh_open_v4")[0].ExpiresMs.ShouldBe(59000);
        state.Model.Get<NftSet>("ssh_open_v4").JsonType.ShouldBe("ipv4_addr");
        state.Model.Get<NftSet>("ssh_open_v4").Flags.HasFlag(SetFlags.Timeout).ShouldBeTrue();
        state.Model.Get<NftSet>("ssh_open_v4").Kind.ShouldBe(SetKind.Stateful);
        state.Elements("games_s2_v6").ShouldHaveSingleItem().Value.ShouldBe("2001:db8:1::2");
        state.Packets("ssh_grants").ShouldBe(3);
        state.HasChain("input").ShouldBeTrue();
        state.HasChain("ssh_step1").ShouldBeTrue();
        Entries(state, Core.Ruleset.Names.Dispatch).ShouldContain("udp . 27015-27030 : goto games_guard");
        Entries(state, Core.Ruleset.Names.Dispatch).ShouldContain("tcp . 8000 : goto ssh_step2");
    }

    /// <summary>What nft 1.0.6 printed for <c>nft -t -j 'list chains inet; list map inet t1 rotating; list set inet t1 claims'</c> with a second table.</summary>
    private const string Outline = """
        {"nftables": [{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}}, {"chain": {"family": "inet", "table": "t1", "name": "c1", "handle": 1}}, {"chain": {"family": "inet", "table": "t1", "name": "input", "handle": 2, "type": "filter", "hook": "input", "prio": 0, "policy": "accept"}}, {"chain": {"family": "inet", "table": "other", "name": "x", "handle": 1}}]}
        {"nftables": [{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}}, {"map": {"family": "inet", "name": "rotating", "table": "t1", "type": ["inet_service", "integer"], "handle": 6, "map": "verdict", "flags": ["timeout"]}}]}
        {"nftables": [{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}}, {"set": {"family": "inet", "name": "claims", "table": "t1", "type": "integer", "handle": 3, "flags": ["timeout"]}}, {"set": {"family": "inet", "name": "a", "table": "t2", "type": "ipv4_addr", "handle": 2, "flags": ["interval"], "elem": [{"prefix": {"addr": "10.0.0.0", "len": 8}}]}}]}

        """;

    [Fact]
    public void Reads_the_narrow_listings_of_one_table_and_leaves_the_other_tables_objects_out()
    {
        var state = NftJson.ReadOutline(System.Text.Encoding.UTF8.GetBytes(Outline), "t1");

        state.Name.ShouldBe("t1");
        state.ChainState.Keys.ShouldBe(["c1", "input"]);
        state.ChainState["input"].Handle.ShouldBe(2);
        state.Model.Get<NftChain>("input").Hook.ShouldNotBeNull().Hook.ShouldBe("input");
        state.SetState.Keys.Order().ShouldBe(["claims", "rotating"]);
        state.SetState["rotating"].Handle.ShouldBe(6);
        state.HasSet("a").ShouldBeFalse();
        NftJson.ReadOutline(System.Text.Encoding.UTF8.GetBytes(Outline), "other").ChainState.Keys.ShouldBe(["x"]);
    }

    [Fact]
    public void A_narrow_listing_with_a_broken_document_is_a_format_error() =>
        Should.Throw<FormatException>(() => NftJson.ReadOutline(System.Text.Encoding.UTF8.GetBytes(Outline + "{\"nftables\": ["), "t1"));

    [Fact]
    public void Reads_a_firewall_table_with_static_sets()
    {
        var state = NftJson.ReadTable(Fixture.Read("firewall-empty.json"));

        state.Elements("fw_allow").Select(e => e.Value).ShouldBe(["tcp . 80", "tcp . 443"]);
        state.Model.Get<NftSet>("fw_allow").Elements.ShouldBe(["tcp . 80", "tcp . 443"]);
        state.Model.Get<NftSet>("fw_allow").Kind.ShouldBe(SetKind.Static);
        state.HasChain("refuse").ShouldBeTrue();
        state.Model.Get<NftChain>("forward").Hook.ShouldNotBeNull().Hook.ShouldBe("forward");
    }

    [Fact]
    public void Rejects_an_unknown_schema_version()
    {
        var json = Fixture.Read("firewall-empty.json").Replace("\"json_schema_version\": 1", "\"json_schema_version\": 2", StringComparison.Ordinal);

        Should.Throw<FormatException>(() => NftJson.ReadTable(json)).Message
            .ShouldBe("nft prints JSON schema version 2; nftknock reads version 1");
    }

    [Fact]
    public void Status_report_has_the_documented_shape()
    {
        var report = StatusReport.From(NftJson.ReadTable(Fixture.Read("two-doors-live.json")));

        StatusJson.Write(report).ShouldBe(
            """{"schemaVersion":1,"table":"nftknock","audit":false,"doors":[{"name":"games","protect":["27015-27030/udp","27015/tcp"],"steps":4,"open":[],"inProgress":[{"address":"2001:db8:1::2","stage":2,"expiresInMs":29000}],"counters":{"knocks":2,"grants":0,"resets":0,"blocked":0}},{"name":"ssh","protect":["22/tcp"],"steps":3,"open":[{"address":"198.18.1.2","expiresInMs":59000}],"inProgress":[{"address":"198.18.1.77","stage":1,"expiresInMs":19000}],"counters":{"knocks":9,"grants":3,"resets":0,"blocked":3}}]}""");
    }

    [Fact]
    public void Guard_mode_protected_ports_are_read_from_the_protected_map_so_status_and_drift_see_them()
    {
        // samples/two-doors.yaml as the kernel lists it (recaptured with the other listings): knocks in dispatch, protected ports in protected.
        var state = NftJson.ReadTable(Fixture.Read(Path.Combine("Captured", "two-doors.json")));

        Entries(state, Core.Ruleset.Names.Protected).ShouldContain("udp . 27015-27030 : goto games_guard");
        Entries(state, Core.Ruleset.Names.Protected).ShouldContain("tcp . 22 : goto ssh_guard");
        Entries(state, Core.Ruleset.Names.Dispatch).ShouldContain("tcp . 12011 : goto ssh_step2");
        StatusReport.From(state).Doors.Select(d => $"{d.Name}: {string.Join(", ", d.Protect)}").ShouldBe(["games: 27015-27030/udp, 27015/tcp", "ssh: 22/tcp"]);
        var config = Core.Config.ConfigReader.Read(File.ReadAllText(NftKnock.Testing.Repo.Path("samples", "two-doors.yaml"))).Config!;
        Server.Doctor.Drift.Check(config, state).Status.ShouldBe(Server.Doctor.CheckStatus.Pass);
    }

    [Fact]
    public void Status_counts_a_rotating_doors_steps_and_replays_from_its_chains_and_counters()
    {
        var report = StatusReport.From(NftJson.ReadTable(Fixture.Read("rotating-live.json")));

        var ssh = report.Doors.Single(d => d.Name == "ssh");
        ssh.Steps.ShouldBe(3);
        ssh.Protect.ShouldBe(["22/tcp"]);
        ssh.Open.ShouldHaveSingleItem().Address.ShouldBe("198.18.1.2");
        ssh.Counters.ShouldBe(new Dictionary<string, long> { ["knocks"] = 6, ["grants"] = 1, ["resets"] = 0, ["blocked"] = 0, ["replays"] = 1 });
        report.Doors.Single(d => d.Name == "web").Counters.Keys.ShouldBe(["knocks", "grants", "resets", "blocked"]);
    }

    [Fact]
    public void Status_says_how_long_a_rotating_door_s_knocks_stay_loaded_and_zero_once_they_all_expired()
    {
        var json = Fixture.Read("rotating-live.json");

        var report = StatusReport.From(NftJson.ReadTable(json));
        report.Doors.Single(d => d.Name == "ssh").KnocksLeftMs.ShouldBe(56_000);
        report.Doors.Single(d => d.Name == "web").KnocksLeftMs.ShouldBeNull("web does not rotate");

        // Nothing in the map leads to ssh any more: rotate stopped more than two periods ago.
        var stopped = StatusReport.From(NftJson.ReadTable(json.Replace("\"target\": \"ssh_step", "\"target\": \"web_step", StringComparison.Ordinal)));
        stopped.Doors.Single(d => d.Name == "ssh").KnocksLeftMs.ShouldBe(0);
    }

    [Fact]
    public void Reads_escaped_strings_as_their_text()
    {
        var json = Fixture.Read("two-doors-live.json").Replace("\"198.18.1.2\"", "\"198.18\\u002e1.2\"", StringComparison.Ordinal);

        NftJson.ReadTable(json).Elements("ssh_open_v4").ShouldHaveSingleItem().Value.ShouldBe("198.18.1.2");
    }

    private static List<string> Entries(TableReading state, string map) =>
        [.. state.Model.Get<NftMap>(map).Elements.Select(e => $"{string.Join(" . ", e.Key)} : {e.Verdict}")];

    [Theory]
    [InlineData("{\"nftables\": [{\"table\": {\"name\": \"nftknock\"}}")]
    [InlineData("{\"nftables\": [{\"table\": {\"name\": \"nftknock}}]}")]
    [InlineData("{\"nftables\": [{\"table\": {\"name\": nftknock}}]}")]
    [InlineData("{\"other\": []}")]
    public void Rejects_broken_or_foreign_json_as_a_format_error(string json) =>
        Should.Throw<FormatException>(() => NftJson.ReadTable(json));

    [Fact]
    public void Status_json_escapes_strings_as_the_framework_writer_does_with_the_one_encoder()
    {
        var odd = "we\"ird<door>&\u00e9\\";
        var report = new StatusReport(odd, [new DoorStatus(odd, ["22/tcp"], 1, [new OpenEntry(odd, 5)], [], new Dictionary<string, long> { [odd] = 1 })]);

        using var stream = new MemoryStream();
        using (var w = new System.Text.Json.Utf8JsonWriter(stream, new System.Text.Json.JsonWriterOptions { Encoder = JsonOutput.Encoder }))
        {
            w.WriteStartObject();
            w.WriteString("table", odd);
            w.WriteEndObject();
        }

        var expected = System.Text.Encoding.UTF8.GetString(stream.ToArray())[("{\"table\":".Length)..^1];
        StatusJson.Write(report).ShouldBe(
            "{\"schemaVersion\":1,\"table\":" + expected + ",\"audit\":false,\"doors\":[{\"name\":" + expected + ",\"protect\":[\"22/tcp\"],\"steps\":1,\"open\":[{\"address\":"
            + expected + ",\"expiresInMs\":5}],\"inProgress\":[],\"counters\":{" + expected + ":1}}]}");
    }
}
