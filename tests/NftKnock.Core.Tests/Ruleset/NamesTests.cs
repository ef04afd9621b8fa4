using NftKnock.Core.Config;
using NftKnock.Core.Model;
using NftKnock.Core.Ruleset;

namespace NftKnock.Core.Tests.Ruleset;

public sealed class NamesTests
{
    [Theory]
    [InlineData("ssh_s2_v6", "ssh", DoorRole.Stage, Families.IPv6, 2, null)]
    [InlineData("ssh_open_v4", "ssh", DoorRole.Open, Families.IPv4, 0, null)]
    [InlineData("my_door_step12", "my_door", DoorRole.Step, null, 12, null)]
    [InlineData("web_2_knocks", "web_2", DoorRole.Counter, null, 0, CounterKind.Knocks)]
    [InlineData("ssh_open_guard", "ssh_open", DoorRole.Guard, null, 0, null)]
    [InlineData("ssh_claims", "ssh", DoorRole.Claims, null, 0, null)]
    [InlineData("ssh_logged_v6", "ssh", DoorRole.Logged, Families.IPv6, 0, null)]
    [InlineData("ssh_open24_v4", "ssh", DoorRole.Open, Families.IPv4, 24, null)]
    [InlineData("ssh_open56_v6", "ssh", DoorRole.Open, Families.IPv6, 56, null)]
    [InlineData("ssh_openlog", "ssh", DoorRole.OpenLog, null, 0, null)]
    [InlineData("ssh_limit_v4", "ssh", DoorRole.Limit, Families.IPv4, 0, null)]
    [InlineData("ssh_outsidelog", "ssh", DoorRole.OutsideLog, null, 0, null)]
    [InlineData("ssh_outside", "ssh", DoorRole.Counter, null, 0, CounterKind.Outside)]
    [InlineData("ssh_replaylog", "ssh", DoorRole.ReplayLog, null, 0, null)]
    [InlineData("ssh_log", "ssh", DoorRole.ClientLog, null, 0, null)]
    [InlineData("ssh_bind", "ssh", DoorRole.Bind, null, 0, null)]
    [InlineData("ssh_audited", "ssh", DoorRole.Counter, null, 0, CounterKind.Audited)]
    [InlineData("ssh_auditlog", "ssh", DoorRole.AuditLog, null, 0, null)]
    [InlineData("ssh_seen_v6", "ssh", DoorRole.Seen, Families.IPv6, 0, null)]
    public void A_door_object_name_is_taken_apart_into_what_built_it(string name, string door, DoorRole role, Families? family, int number, CounterKind? counter)
    {
        Names.TryParse(name, out var parsed).ShouldBeTrue();

        parsed.ShouldBe(new DoorObject(door, role, family, number, counter));
        parsed.ToString().ShouldBe(name);
    }

    [Fact]
    public void Every_counter_kind_formats_to_a_word_that_parses_back_and_nothing_else_parses()
    {
        foreach (var kind in Enum.GetValues<CounterKind>())
        {
            CounterKinds.TryParse(kind.Format(), out var parsed).ShouldBeTrue();
            parsed.ShouldBe(kind);
        }

        Enum.GetValues<CounterKind>().Select(k => k.Format()).ShouldBe(["knocks", "grants", "resets", "blocked", "replays", "outside", "audited"]);
        foreach (var word in new[] { "Knocks", "knock", "grants ", string.Empty, "0", "audit", "Audited" })
        {
            CounterKinds.TryParse(word, out _).ShouldBeFalse(word);
        }
    }

    [Fact]
    public void A_full_length_grant_prefix_names_the_plain_grant_set() =>
        (Names.Open("ssh", Families.IPv4, 32), Names.Open("ssh", Families.IPv6, 128), Names.Open("ssh", Families.IPv6, 64))
            .ShouldBe(("ssh_open_v4", "ssh_open_v6", "ssh_open64_v6"));

    [Theory]
    [InlineData("alice")]
    [InlineData("bob.phone-2")]
    public void A_client_object_name_carries_the_client_token_and_parses_back(string client)
    {
        var id = Names.ClientId(client);
        id.ShouldMatch("^c[0-9a-f]{8}$");
        foreach (var name in new[] { Names.Counter("ssh", CounterKind.Grants, client), Names.Counter("my_door", CounterKind.Replays, client), Names.StepChain("ssh", 3, client), Names.ClientLog("ssh", client), Names.OutsideLog("ssh", client), Names.Limit("ssh", Families.IPv6, client) })
        {
            Names.TryParse(name, out var parsed).ShouldBeTrue(name);
            parsed.Client.ShouldBe(id, name);
            parsed.ToString().ShouldBe(name);
        }

        Names.TryParse(Names.Counter("ssh", CounterKind.Grants, client), out var grants);
        grants.ShouldBe(new DoorObject("ssh", DoorRole.Counter, Counter: CounterKind.Grants, Client: id));
    }

    [Fact]
    public void The_client_token_does_not_follow_the_order_of_the_clients() =>
        Names.ClientId("alice").ShouldBe(Names.ClientId("alice"));

    [Theory]
    [InlineData("input")]
    [InlineData("dispatch")]
    [InlineData("fw_allow")]
    [InlineData("ssh_s01_v4")]
    [InlineData("ssh_step0")]
    [InlineData("ssh_guard_v4")]
    [InlineData("ssh_open")]
    [InlineData("ssh_opened_v4")]
    [InlineData("Ssh_open_v4")]
    [InlineData("_open_v4")]
    [InlineData("ssh_knocks_v6")]
    [InlineData("ssh_claims_v6")]
    [InlineData("ssh_logged")]
    [InlineData("ssh_open32_v4")]
    [InlineData("ssh_open0_v4")]
    [InlineData("ssh_knocks_c0123abcd")]
    [InlineData("ssh_openlog_v4")]
    [InlineData("ssh_guard_c0123abcd")]
    [InlineData("ssh_bind_v4")]
    [InlineData("ssh_bind_c0123abcd")]
    [InlineData("ssh_grants_c0123abcz")]
    public void A_name_nftknock_would_not_build_for_a_door_does_not_parse(string name) =>
        Names.TryParse(name, out _).ShouldBeFalse();

    [Fact]
    public void Every_object_of_every_golden_config_parses_back_to_its_own_name_or_is_shared()
    {
        string[] shared = [Names.Input, Names.Forward, Names.Published(Families.IPv4), Names.Published(Families.IPv6), Names.Dispatch, Names.Protected, Names.ProtectedTcp, Names.ProtectedUdp, Names.FirewallAllow, Names.Refuse, Names.Fragments, Names.Stray, Names.Knocking(Families.IPv4), Names.Knocking(Families.IPv6), Names.Rotating];
        foreach (var config in GoldenTests.ConfigPaths())
        {
            var valid = ConfigReader.Read(File.ReadAllText(Repo.Path(config))).Config!;
            var doors = valid.Doors.Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var item in Planner.Plan(valid).Model.Objects)
            {
                if (Names.TryParse(item.Name, out var parsed))
                {
                    parsed.ToString().ShouldBe(item.Name, config);
                    doors.ShouldContain(parsed.Door, $"{config}: {item.Name}");
                }
                else
                {
                    shared.ShouldContain(item.Name, config);
                }
            }
        }
    }
}
