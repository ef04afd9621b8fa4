using System.Text.RegularExpressions;

namespace NftKnock.Core.Tests;

/// <summary>How the source is laid out: a namespace is its folder, and a long file says why it is long.</summary>
public sealed partial class LayoutTests
{
    private const int LongFile = 250;

    [Fact]
    public void Every_namespace_is_its_folder()
    {
        var wrong = SourceFiles("src", "tests")
            .Where(f => Path.GetFileName(f) != "Program.cs")
            .Select(f => (File: Relative(f), Namespace: NamespaceOf(f), Folder: FolderNamespace(f)))
            .Where(f => f.Namespace != f.Folder)
            .Select(f => $"{f.File}: namespace {f.Namespace ?? "(none)"}, folder {f.Folder}")
            .ToList();
        wrong.ShouldBeEmpty();
    }

    [Fact]
    public void A_source_file_over_250_lines_says_why_at_its_top()
    {
        var silent = SourceFiles("src")
            .Where(f => File.ReadLines(f).Count() > LongFile && !File.ReadLines(f).First().StartsWith("// ", StringComparison.Ordinal))
            .Select(Relative)
            .ToList();
        silent.ShouldBeEmpty();
    }

    private static IEnumerable<string> SourceFiles(params string[] roots) =>
        roots.SelectMany(root => Directory.EnumerateFiles(Repo.Path(root), "*.cs", SearchOption.AllDirectories))
            .Where(f => !Relative(f).Split('/').Any(part => part is "bin" or "obj"))
            .Order(StringComparer.Ordinal);

    private static string Relative(string path) => Path.GetRelativePath(Repo.Root, path).Replace('\\', '/');

    private static string? NamespaceOf(string path) =>
        File.ReadLines(path).Select(line => FileScopedNamespace().Match(line)).FirstOrDefault(m => m.Success)?.Groups[1].Value;

    /// <summary><c>src/NftKnock.Cli/Commands/X.cs</c> is in <c>NftKnock.Cli.Commands</c>.</summary>
    private static string FolderNamespace(string path) =>
        string.Join('.', Relative(Path.GetDirectoryName(path)!).Split('/').Skip(1));

    [GeneratedRegex(@"^namespace ([\w.]+);$")]
    private static partial Regex FileScopedNamespace();
}
