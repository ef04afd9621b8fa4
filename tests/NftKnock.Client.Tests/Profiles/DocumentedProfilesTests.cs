using System.Text.RegularExpressions;
using NftKnock.Client.Profiles;

namespace NftKnock.Client.Tests.Profiles;

/// <summary>The profiles that docs/client.md shows are read without a single diagnostic.</summary>
public sealed partial class DocumentedProfilesTests
{
    public static TheoryData<string> Profiles()
    {
        var data = new TheoryData<string>();
        foreach (Match block in YamlBlock().Matches(File.ReadAllText(Repo.Path("docs", "client.md"))))
        {
            if (block.Groups[1].Value.StartsWith("hosts:", StringComparison.Ordinal))
            {
                data.Add(block.Groups[1].Value);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Documented_profile_reads_cleanly(string yaml)
    {
        var result = ProfileReader.Read(yaml);

        result.Diagnostics.ShouldBeEmpty();
        result.Profiles.ShouldNotBeNull().Hosts.ShouldNotBeEmpty();
    }

    [Fact]
    public void The_docs_show_three_profiles()
    {
        Profiles().Count.ShouldBe(3);
    }

    [GeneratedRegex("```yaml\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();
}
