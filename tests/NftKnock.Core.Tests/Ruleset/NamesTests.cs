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
    [InlineData("web_2_knocks", "web_2", DoorRole.Counter, null, 0, "knocks")]
    [InlineData("ssh_open_guard", "ssh_open", DoorRole.Guard, null, 0, null)]
    [InlineData("ssh_claims", "ssh", DoorRole.Claims, null, 0, null)]
    public void A_door_object_name_is_taken_apart_into_what_built_it(string name, string door, DoorRole role, Families? family, int number, string? counter)
    {
        Names.TryParse(name, out var parsed).ShouldBeTrue();

        parsed.ShouldBe(new DoorObject(door, role, family, number, counter));
        parsed.ToString().ShouldBe(name);
    }

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
    public void A_name_nftknock_would_not_build_for_a_door_does_not_parse(string name) =>
        Names.TryParse(name, out _).ShouldBeFalse();

    [Fact]
    public void Every_object_of_every_golden_config_parses_back_to_its_own_name_or_is_shared()
    {
        string[] shared = [Names.Input, Names.Forward, Names.Prerouting, Names.Dispatch, Names.Protected, Names.ProtectedTcp, Names.ProtectedUdp, Names.FirewallAllow, Names.Refuse, Names.Fragments, Names.Stray, Names.Rotating];
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
