using NftKnock.Server.Metrics;
using NftKnock.Server.Nftables;
using NftKnock.Server.Status;

namespace NftKnock.Server.Tests.Metrics;

public sealed class MetricsTests
{
    private static MetricsReport Report(string fixture) =>
        MetricsReport.From(NftJson.ReadCounts(System.Text.Encoding.UTF8.GetBytes(Fixture.Read(fixture))));

    [Fact]
    public void Metrics_count_per_client_grants_and_replays_and_every_element_of_prefix_grant_sets()
    {
        Exposition.Write(Report("clients-prefixes-live.json")).ShouldBe("""
            # HELP nftknock_blocked_total New connections to the door's protected ports dropped for want of a grant.
            # TYPE nftknock_blocked_total counter
            nftknock_blocked_total{door="ssh"} 2
            nftknock_blocked_total{door="web"} 5
            # HELP nftknock_granted Elements in the door's grant sets of this family now: granted addresses and granted prefixes.
            # TYPE nftknock_granted gauge
            nftknock_granted{door="ssh",family="ipv4"} 1
            nftknock_granted{door="ssh",family="ipv6"} 0
            nftknock_granted{door="web",family="ipv4"} 3
            nftknock_granted{door="web",family="ipv6"} 1
            # HELP nftknock_grants_total Completed knocks that granted a source (per client on rotating doors with clients).
            # TYPE nftknock_grants_total counter
            nftknock_grants_total{door="ssh",client="alice"} 2
            nftknock_grants_total{door="ssh",client="bob"} 1
            nftknock_grants_total{door="web"} 4
            # HELP nftknock_in_progress Sources part-way through the door's sequence now (doors with more than one step).
            # TYPE nftknock_in_progress gauge
            nftknock_in_progress{door="ssh",family="ipv4"} 1
            nftknock_in_progress{door="web",family="ipv4"} 0
            nftknock_in_progress{door="web",family="ipv6"} 1
            # HELP nftknock_knocks_total Knock packets that reached one of the door's step chains.
            # TYPE nftknock_knocks_total counter
            nftknock_knocks_total{door="ssh"} 9
            nftknock_knocks_total{door="web"} 8
            # HELP nftknock_replays_total Rotating doors: knocks refused because another address already completed that window (per client on doors with clients).
            # TYPE nftknock_replays_total counter
            nftknock_replays_total{door="ssh",client="alice"} 1
            nftknock_replays_total{door="ssh",client="bob"} 0
            # HELP nftknock_resets_total Sources that lost their progress by sending something other than their next knock.
            # TYPE nftknock_resets_total counter
            nftknock_resets_total{door="ssh"} 1
            nftknock_resets_total{door="web"} 0
            # HELP nftknock_table_present 1 when nftknock's table exists and was read, 0 when it does not exist.
            # TYPE nftknock_table_present gauge
            nftknock_table_present{table="nftknock"} 1

            """.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void Knocks_outside_a_time_limit_are_counted_per_door_and_per_client_that_has_a_limit()
    {
        var listing = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Captured", "time-limits.json"));

        var text = Exposition.Write(MetricsReport.From(NftJson.ReadCounts(listing)));

        text.ShouldContain("# TYPE nftknock_outside_total counter\n");
        var series = text.Split('\n').Where(l => l.StartsWith("nftknock_outside_total{", StringComparison.Ordinal)).ToList();
        series.ShouldBe([
            "nftknock_outside_total{door=\"office\"} 0",
            "nftknock_outside_total{door=\"ops\",client=\"night\"} 0",
            "nftknock_outside_total{door=\"ops\",client=\"temp\"} 0",
        ]);
    }

    [Fact]
    public void A_door_without_a_time_limit_has_no_outside_series() =>
        Exposition.Write(Report("clients-prefixes-live.json")).ShouldNotContain("nftknock_outside_total");

    [Fact]
    public void A_rotating_door_without_clients_counts_replays_per_door_and_a_static_door_has_none()
    {
        var text = Exposition.Write(Report("rotating-live.json"));

        text.ShouldContain("nftknock_replays_total{door=\"ssh\"} 1\n");
        text.ShouldNotContain("nftknock_replays_total{door=\"web\"}");
        text.ShouldContain("nftknock_grants_total{door=\"ssh\"} 1\n");
        text.ShouldContain("nftknock_granted{door=\"ssh\",family=\"ipv4\"} 1\n");
    }

    [Fact]
    public void Counting_elements_gives_the_sizes_that_reading_them_gives()
    {
        var json = Fixture.Read("two-doors-live.json");
        var read = NftJson.ReadTable(json);
        var counted = NftJson.ReadCounts(System.Text.Encoding.UTF8.GetBytes(json));

        counted.SetState.Select(s => (s.Key, s.Value.Count)).ShouldBe(read.SetState.Select(s => (s.Key, s.Value.Elements.Count)));
        counted.Model.Sets.ShouldAllBe(s => counted.Elements(s.Name).Count == 0);
        counted.Model.Maps.Select(m => m.Elements.Count).ShouldBe(read.Model.Maps.Select(m => m.Elements.Count));
        Exposition.Write(MetricsReport.From(counted)).ShouldBe(Exposition.Write(MetricsReport.From(read)));
    }

    [Fact]
    public void Without_the_table_only_its_absence_is_exposed()
    {
        Exposition.Write(MetricsReport.Absent("knock_b")).ShouldBe(
            "# HELP nftknock_table_present 1 when nftknock's table exists and was read, 0 when it does not exist.\n"
            + "# TYPE nftknock_table_present gauge\nnftknock_table_present{table=\"knock_b\"} 0\n");
    }

    [Theory]
    [InlineData("alice", "alice")]
    [InlineData("a\"b", "a\\\"b")]
    [InlineData("a\\b", "a\\\\b")]
    [InlineData("a\nb", "a\\nb")]
    [InlineData("\\\"\n", "\\\\\\\"\\n")]
    public void Label_values_escape_backslash_quote_and_line_feed(string value, string escaped) =>
        Exposition.EscapeLabel(value).ShouldBe(escaped);

    [Fact]
    public void A_client_name_from_a_hostile_comment_stays_inside_its_label()
    {
        var json = Fixture.Read("clients-prefixes-live.json").Replace("\"comment\": \"alice\"", "\"comment\": \"x\\\"} 1\\nnftknock_evil 1\"", StringComparison.Ordinal);

        var text = Exposition.Write(MetricsReport.From(NftJson.ReadCounts(System.Text.Encoding.UTF8.GetBytes(json))));

        text.ShouldContain("nftknock_grants_total{door=\"ssh\",client=\"x\\\"} 1\\nnftknock_evil 1\"} 2\n");
        text.Split('\n').ShouldNotContain(l => l.StartsWith("nftknock_evil", StringComparison.Ordinal));
    }

    [Fact]
    public void Status_shows_prefix_grants_as_prefixes_and_per_client_counts()
    {
        var report = StatusReport.From(NftJson.ReadTable(Fixture.Read("clients-prefixes-live.json")));

        var web = report.Doors.Single(d => d.Name == "web");
        web.Open.Select(o => o.Address).ShouldBe(["198.18.2.9", "198.18.7.0/24", "198.18.8.0/24", "2001:db8:1:2::/64"]);
        web.Clients.ShouldBeEmpty();
        var ssh = report.Doors.Single(d => d.Name == "ssh");
        ssh.Clients.ShouldBe([new ClientCounts("alice", 2, 1), new ClientCounts("bob", 1, 0)]);
        var json = StatusJson.Write(report);
        json.ShouldContain("\"counters\":{\"knocks\":9,\"grants\":3,\"resets\":1,\"blocked\":2,\"replays\":1},\"clients\":[{\"name\":\"alice\",\"grants\":2,\"replays\":1},{\"name\":\"bob\",\"grants\":1,\"replays\":0}]}");
        json.ShouldContain("{\"address\":\"198.18.7.0/24\",\"expiresInMs\":29000}");
        json.ShouldContain("\"counters\":{\"knocks\":8,\"grants\":4,\"resets\":0,\"blocked\":5}}");
    }

    [Fact]
    public void A_per_client_counter_without_a_comment_is_named_by_its_token()
    {
        var json = Fixture.Read("clients-prefixes-live.json").Replace("\"comment\": \"bob\", ", string.Empty, StringComparison.Ordinal);

        StatusReport.From(NftJson.ReadTable(json)).Doors.Single(d => d.Name == "ssh").Clients.Select(c => c.Name).ShouldBe(["alice", "c81b637d8"]);
    }
}
