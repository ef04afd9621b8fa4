using System.Text.RegularExpressions;

namespace NftKnock.Core.Tests;

/// <summary>A diagnostic code names one sentence: users search for it, and docs list it once.</summary>
public sealed partial class CodeCatalogueTests
{
    [Fact]
    public void Every_diagnostic_code_belongs_to_one_sentence()
    {
        var codes = Directory.EnumerateFiles(Repo.Path("src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
            .SelectMany(f => CodeDeclaration().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .ToList();

        codes.Count.ShouldBeGreaterThan(50);
        codes.GroupBy(c => c).Where(g => g.Count() > 1).Select(g => g.Key).ShouldBeEmpty();
    }

    [GeneratedRegex(@"new\(""(NK\d{3})""")]
    private static partial Regex CodeDeclaration();
}
