using System.Diagnostics;
using System.Text;
using NftKnock.Core.Diagnostics;

namespace NftKnock.Testing;

/// <summary>
/// The fuzz-style checks shared by the config and profile readers: every hostile document is
/// refused with diagnostics, one line apiece and free of control characters, and never an exception.
/// </summary>
public static class HostileDocuments
{
    /// <summary>The file names of the corpus kept in <c>Hostile/</c> beside the test binary.</summary>
    public static TheoryData<string> Corpus()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Folder).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    /// <summary>A corpus file's text, read as the readers get it: UTF-8, whatever it holds.</summary>
    public static string Read(string name) => Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(Folder, name)));

    /// <summary>
    /// Runs <paramref name="read"/> (true when it produced a usable result) and asserts that it refused
    /// the document with at least one error and only one-line, control-free diagnostics.
    /// </summary>
    public static void ShouldBeRefusedQuietly(Func<(bool Usable, IReadOnlyList<Diagnostic> Diagnostics)> read, string fileName)
    {
        var clock = Stopwatch.StartNew();
        var (usable, diagnostics) = read();
        clock.Stop();

        usable.ShouldBeFalse();
        diagnostics.ShouldContain(d => d.Severity == Severity.Error);
        foreach (var line in diagnostics.Select(d => d.Format(fileName)))
        {
            line.ShouldNotContain('\n');
            line.Any(c => char.IsControl(c) || c is '\u202e' or '\u2066').ShouldBeFalse(line);
        }

        // A bound against hangs and runaway (quadratic) checks, which took minutes; not a speed target.
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30));
    }

    private static string Folder => Path.Combine(AppContext.BaseDirectory, "Hostile");
}
