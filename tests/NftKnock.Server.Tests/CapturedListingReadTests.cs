using NftKnock.Core.Config;
using NftKnock.Core.Ruleset;
using NftKnock.Server.Doctor;
using NftKnock.Server.Nftables;

namespace NftKnock.Server.Tests;

/// <summary>
/// The reader on listings the kernel printed for every sample's and case's table, recaptured with
/// <c>NFTKNOCK_RECAPTURE=1</c> (CapturedListingTests): each reads back as its config's plan.
/// </summary>
public sealed class CapturedListingReadTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Captured");

    public static TheoryData<string> Listings() =>
        new(Directory.GetFiles(Folder, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal));

    [Fact]
    public void Every_sample_and_case_has_a_captured_listing()
    {
        var configs = Directory.GetFiles(Repo.Path("samples"), "*.yaml").Concat(Directory.GetFiles(Repo.Path("tests", "NftKnock.Core.Tests", "Cases"), "*.yaml"));

        configs.Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)
            .ShouldBe(Directory.GetFiles(Folder, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Listings))]
    public void A_captured_listing_reads_back_as_the_plan_of_its_config(string name)
    {
        var path = File.Exists(Repo.Path("samples", name + ".yaml")) ? Repo.Path("samples", name + ".yaml") : Repo.Path("tests", "NftKnock.Core.Tests", "Cases", name + ".yaml");
        var config = ConfigReader.Read(File.ReadAllText(path)).Config!;
        var plan = Planner.Plan(config).Model;

        var reading = NftJson.ReadTable(File.ReadAllText(Path.Combine(Folder, name + ".json")));

        reading.Model.Objects.Select(o => $"{o.Keyword} {o.Name}").Order(StringComparer.Ordinal)
            .ShouldBe(plan.Objects.Select(o => $"{o.Keyword} {o.Name}").Order(StringComparer.Ordinal));
        reading.Handle.ShouldBeGreaterThan(0);
        var check = Drift.Check(config, reading);
        check.Status.ShouldBe(CheckStatus.Pass, check.Detail);
    }
}
