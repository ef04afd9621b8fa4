using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests;

/// <summary>Every golden script is accepted by the real nft, so a golden can never be wrong syntax.</summary>
public sealed class GoldenCheckTests
{
    [KernelFact]
    public async Task Every_golden_script_passes_nft_check()
    {
        var goldens = Directory.GetFiles(Repo.Path("tests", "NftKnock.Core.Tests", "Golden"), "*.nft");
        goldens.Length.ShouldBeGreaterThanOrEqualTo(6);
        await using var lab = await Lab.StartAsync();
        foreach (var golden in goldens)
        {
            var result = await lab.Server.RunAsync("nft", "--check", "-f", golden);
            result.ExitCode.ShouldBe(0, $"{Path.GetFileName(golden)}: {result.Stderr}");
        }
    }

    [KernelFact]
    public async Task Every_golden_script_loads_for_real_and_loads_again_over_itself()
    {
        foreach (var golden in Directory.GetFiles(Repo.Path("tests", "NftKnock.Core.Tests", "Golden"), "*.nft"))
        {
            await using var lab = await Lab.StartAsync();
            (await lab.Server.RunAsync("nft", "-f", golden)).EnsureSuccess(golden);
            (await lab.Server.RunAsync("nft", "-f", golden)).EnsureSuccess(golden + " (again)");
        }
    }
}
