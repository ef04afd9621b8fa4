using NftKnock.Core.Config;
using NftKnock.Core.Ruleset;

namespace NftKnock.Core.Tests;

/// <summary>
/// Every sample config and every case renders to its golden script. Regenerate with
/// NFTKNOCK_UPDATE_GOLDEN=1 and review the diff like code; the integration tests feed every golden
/// to nft --check.
/// </summary>
public sealed class GoldenTests
{
    public static TheoryData<string> Configs()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Repo.Path("samples"), "*.yaml").Concat(Directory.GetFiles(Repo.Path("tests", "NftKnock.Core.Tests", "Cases"), "*.yaml")).Order(StringComparer.Ordinal))
        {
            data.Add(System.IO.Path.GetRelativePath(Repo.Root, file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void Config_renders_to_its_golden_script(string config)
    {
        var result = ConfigReader.Read(File.ReadAllText(Repo.Path(config)));
        result.Config.ShouldNotBeNull(string.Join("\n", result.Diagnostics.Select(d => d.Format(config))));
        var script = Planner.Plan(result.Config).FreshScript(ScriptHeader.For(config));
        var golden = Repo.Path("tests", "NftKnock.Core.Tests", "Golden", System.IO.Path.GetFileNameWithoutExtension(config) + ".nft");
        if (Environment.GetEnvironmentVariable("NFTKNOCK_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(golden, script);
        }

        File.Exists(golden).ShouldBeTrue($"no golden for {config}; run with NFTKNOCK_UPDATE_GOLDEN=1");
        script.ShouldBe(File.ReadAllText(golden));
    }

    [Fact]
    public void Rendering_is_deterministic()
    {
        var config = ConfigReader.Read(File.ReadAllText(Repo.Path("samples", "two-doors.yaml"))).Config!;

        Planner.Plan(config).Body.ShouldBe(Planner.Plan(config).Body);
    }

    [Fact]
    public void Samples_are_valid_without_warnings()
    {
        foreach (var file in Directory.GetFiles(Repo.Path("samples"), "*.yaml"))
        {
            ConfigReader.Read(File.ReadAllText(file)).Diagnostics.ShouldBeEmpty(file);
        }
    }
}
