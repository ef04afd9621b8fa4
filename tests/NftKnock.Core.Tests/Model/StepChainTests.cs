using NftKnock.Core.Config;
using NftKnock.Core.Rotating;
using NftKnock.Core.Ruleset;

namespace NftKnock.Core.Tests.Model;

/// <summary>
/// A door's step chains have one home, <c>Door.StepChains()</c>: the planner writes exactly those chains
/// and rotate points its map at exactly those, for every sample and case.
/// </summary>
public sealed class StepChainTests
{
    [Theory]
    [MemberData(nameof(GoldenTests.Configs), MemberType = typeof(GoldenTests))]
    public void The_planner_writes_exactly_the_step_chains_each_door_names(string config)
    {
        var parsed = ConfigReader.Read(File.ReadAllText(Repo.Path(config))).Config!;
        var planned = Planner.Plan(parsed).Model.Chains
            .Where(c => Names.TryParse(c.Name, out var o) && o.Role == DoorRole.Step)
            .Select(c => c.Name)
            .Order(StringComparer.Ordinal);

        planned.ShouldBe(parsed.Doors.SelectMany(d => d.StepChains()).Select(c => c.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(GoldenTests.Configs), MemberType = typeof(GoldenTests))]
    public void Rotate_points_only_at_step_chains_the_planner_writes(string config)
    {
        var parsed = ConfigReader.Read(File.ReadAllText(Repo.Path(config))).Config!;
        var chains = Planner.Plan(parsed).Model.Chains.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var doors = parsed.Doors.Select(WithSecrets);
        var fill = RotationScript.Fill(doors, DateTimeOffset.UnixEpoch.AddDays(20_000));

        (fill.Entries.Count > 0).ShouldBe(parsed.Doors.Any(d => d.Rotating is not null));
        fill.Entries.Select(e => e.Verdict.Chain).Distinct().ShouldAllBe(chain => chains.Contains(chain!));
    }

    /// <summary>The config reader leaves secrets to the caller; any 32 bytes derive knocks.</summary>
    private static NftKnock.Core.Model.Door WithSecrets(NftKnock.Core.Model.Door door) => door.Rotating is { } r
        ? door with { Rotating = r with { Clients = [.. r.Clients.Select(c => c with { Secret = new byte[32] })] } }
        : door;

    [Fact]
    public void A_door_with_clients_has_its_last_step_once_per_client_and_the_others_once()
    {
        var parsed = ConfigReader.Read(File.ReadAllText(Repo.Path("tests", "NftKnock.Core.Tests", "Cases", "rotating-clients-firewall.yaml"))).Config!;
        var door = parsed.Doors.First(d => d.Clients.Count > 0);

        var chains = door.StepChains().ToList();

        chains.Count(c => c.Client is null).ShouldBe(door.StepCount - 1);
        chains.Where(c => c.Client is not null).Select(c => c.Client).ShouldBe(door.Clients.Select(c => c.Name));
        chains.Where(c => c.Client is not null).ShouldAllBe(c => c.Step == door.StepCount);
    }
}
