using NftKnock.Core.Config;
using NftKnock.Core.Ruleset;
using NftKnock.Server.Doctor;
using NftKnock.Server.Nftables;
using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests;

/// <summary>
/// The reader reads what the kernel lists for every config's table, and drift finds it equal to the
/// plan. With <c>NFTKNOCK_RECAPTURE=1</c> the listings are saved as the reader's parser fixtures
/// (tests/NftKnock.Server.Tests/Fixtures/Captured), so those can never drift from what the planner writes.
/// </summary>
public sealed class CapturedListingTests
{
    private static string Captured(string config) =>
        Repo.Path("tests", "NftKnock.Server.Tests", "Fixtures", "Captured", Path.GetFileNameWithoutExtension(config) + ".json");

    [KernelFact]
    public async Task Every_config_loaded_into_the_kernel_reads_back_as_its_plan()
    {
        var configs = Directory.GetFiles(Repo.Path("samples"), "*.yaml")
            .Concat(Directory.GetFiles(Repo.Path("tests", "NftKnock.Core.Tests", "Cases"), "*.yaml"))
            .Order(StringComparer.Ordinal)
            .ToList();
        var recapture = Environment.GetEnvironmentVariable("NFTKNOCK_RECAPTURE") == "1";
        await using var lab = await Lab.StartAsync();
        foreach (var path in configs)
        {
            var config = ConfigReader.Read(File.ReadAllText(path)).Config.ShouldNotBeNull(path);
            var script = Path.GetTempFileName();
            try
            {
                await File.WriteAllTextAsync(script, Planner.Plan(config).FreshScript(string.Empty));
                (await lab.Server.RunAsync("nft", "-f", script)).EnsureSuccess(path);
            }
            finally
            {
                File.Delete(script);
            }

            var listed = await lab.Server.RunAsync("nft", "-j", "list", "table", "inet", config.Table);
            listed.EnsureSuccess(path);
            var check = Drift.Check(config, NftJson.ReadTable(listed.Stdout));
            check.Status.ShouldBe(CheckStatus.Pass, $"{Path.GetFileName(path)}: {check.Detail}");
            if (recapture)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Captured(path))!);
                await File.WriteAllTextAsync(Captured(path), listed.Stdout);
            }

            (await lab.Server.RunAsync("nft", "delete", "table", "inet", config.Table)).EnsureSuccess(path);
        }
    }
}
