using NftKnock.Core.Config;
using NftKnock.Core.Ruleset;

namespace NftKnock.Core.Tests;

/// <summary>
/// Every sample config and every case renders to its golden script. Regenerate with
/// NFTKNOCK_UPDATE_GOLDEN=1 and review the diff like code; the integration tests feed every golden
/// to nft --check. A golden was written by an earlier process, so a render that varies from one
/// process or run to the next (hash order, the clock, the environment) fails here.
/// </summary>
public sealed class GoldenTests
{
    /// <summary>Every sample and every case, relative to the repository root.</summary>
    public static IEnumerable<string> ConfigPaths() =>
        Directory.GetFiles(Repo.Path("samples"), "*.yaml").Concat(Directory.GetFiles(Repo.Path("tests", "NftKnock.Core.Tests", "Cases"), "*.yaml"))
            .Order(StringComparer.Ordinal)
            .Select(file => System.IO.Path.GetRelativePath(Repo.Root, file));

    public static TheoryData<string> Configs() => new(ConfigPaths());

    [Theory]
    [MemberData(nameof(Configs))]
    public void Config_renders_to_its_golden_script(string config)
    {
        var result = ConfigReader.Read(File.ReadAllText(Repo.Path(config)));
        result.Config.ShouldNotBeNull(string.Join("\n", result.Diagnostics.Select(d => d.Format(config))));
        var script = Planner.Plan(result.Config).FreshScript(ScriptHeader.For(config));
        var golden = Golden(config);
        if (Environment.GetEnvironmentVariable("NFTKNOCK_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(golden, script);
        }

        File.Exists(golden).ShouldBeTrue($"no golden for {config}; run with NFTKNOCK_UPDATE_GOLDEN=1");
        script.ShouldBe(File.ReadAllText(golden));
    }

    private static string Golden(string config) =>
        Repo.Path("tests", "NftKnock.Core.Tests", "Golden", System.IO.Path.GetFileNameWithoutExtension(config) + ".nft");

    [Fact]
    public void Samples_are_valid_without_warnings()
    {
        foreach (var file in Directory.GetFiles(Repo.Path("samples"), "*.yaml"))
        {
            ConfigReader.Read(File.ReadAllText(file)).Diagnostics.ShouldBeEmpty(file);
        }
    }
}
