using NftKnock.Core.Config;
using NftKnock.Core.Diagnostics;
using NftKnock.Core.Model;
using NftKnock.Core.Yaml;

namespace NftKnock.Core.Tests;

/// <summary>
/// Fuzz-style: hostile documents, kept in Hostile/ or generated here when they run to megabytes,
/// must each give diagnostics, one line apiece and free of control characters, and never an exception.
/// </summary>
public sealed class HostileDocumentTests
{
    private static SecretReader NoSecrets => _ => new SecretFileContent(null, "the file does not exist", null);

    public static TheoryData<string> Corpus() => HostileDocuments.Corpus();

    public static TheoryData<string> Generated() => [.. Documents.Keys];

    private static readonly Dictionary<string, Func<string>> Documents = new()
    {
        ["flow nesting 100000 deep"] = () => "doors: " + new string('[', 100_000) + new string(']', 100_000),
        ["block nesting 100000 deep"] = () => "doors:\n  ssh:\n    protect: " + string.Concat(Enumerable.Repeat("- ", 100_000)) + "22/tcp\n",
        ["mapping nesting 100000 deep"] = () => "doors: " + string.Concat(Enumerable.Repeat("{a: ", 100_000)) + "1" + new string('}', 100_000),
        ["alias bomb"] = () => "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + string.Concat(Enumerable.Range(1, 12).Select(i => $"l{i}: &l{i} [{string.Join(", ", Enumerable.Repeat(i == 1 ? "*a" : $"*l{i - 1}", 10))}]\n")),
        ["one 900 KB line"] = () => "table: " + new string('x', 900_000) + "\n",
        ["ten thousand doors"] = () => "doors:\n" + string.Concat(Enumerable.Range(0, 10_000).Select(i => $"  d{i}:\n    protect: [{20_000 + i}/tcp]\n    sequence: [{1000 + i}/udp, {40_000 + i}/tcp, {11_000 + i}/udp]\n")),
        ["a sequence of 60000 steps"] = () => "doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [" + string.Join(", ", Enumerable.Range(1, 60_000).Select(p => $"{p}/udp")) + "]\n",
        ["60000 protected ports"] = () => "doors:\n  ssh:\n    protect: [" + string.Join(", ", Enumerable.Range(1, 60_000).Select(p => $"{p}/tcp")) + "]\n    sequence: [7000/udp, 9000/tcp, 8000/udp]\n",
        ["50000 allowed prefixes"] = () => "doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [7000/udp, 9000/tcp, 8000/udp]\n    allow: [" + string.Join(", ", Enumerable.Range(0, 50_000).Select(i => $"10.{i / 256}.{i % 256}.0/24")) + "]\n",
        ["100000 unknown keys"] = () => string.Concat(Enumerable.Range(0, 100_000).Select(i => $"k{i}: 1\n")),
        ["every control character"] = () => "doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [\"" + string.Concat(Enumerable.Range(1, 31).Where(c => c is not 9 and not 10 and not 13).Select(c => $"\\x{c:x2}")) + "\\x7f\\x9b\"]\n",
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public void A_hostile_config_file_gives_diagnostics_and_never_an_exception(string name) =>
        ShouldBeRefusedQuietly(HostileDocuments.Read(name));

    [Theory]
    [MemberData(nameof(Generated))]
    public void A_generated_hostile_config_gives_diagnostics_and_never_an_exception(string name) =>
        ShouldBeRefusedQuietly(Documents[name]());

    private static void ShouldBeRefusedQuietly(string text) =>
        HostileDocuments.ShouldBeRefusedQuietly(() => ConfigReader.Read(text, NoSecrets) is var r ? (r.Config is not null, r.Diagnostics) : default, "c.yaml");

    [Theory]
    [InlineData("open-for", "999999999h", "c.yaml:5:15: error NK051 at doors.ssh.open-for: open-for 999999999h is out of range. Use a value from 1s to 24h.")]
    [InlineData("step-timeout", "999999999h", "c.yaml:5:19: error NK051 at doors.ssh.step-timeout: step-timeout 999999999h is out of range. Use a value from 100ms to 1m.")]
    [InlineData("open-for", "99999999999999999999999999ms", "c.yaml:5:15: error NK051 at doors.ssh.open-for: open-for 99999999999999999999999999ms is out of range. Use a value from 1s to 24h.")]
    public void A_duration_too_long_for_any_clock_is_out_of_range(string key, string value, string diagnostic)
    {
        var result = ConfigReader.Read($"doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [7000/udp, 9000/tcp, 8000/udp]\n    {key}: {value}\n");

        result.Diagnostics.Where(d => d.Severity == Severity.Error).Select(d => d.Format("c.yaml")).ShouldBe([diagnostic]);
    }

    [Fact]
    public void A_rotating_period_too_long_for_any_clock_is_out_of_range()
    {
        var result = ConfigReader.Read("doors:\n  ssh:\n    protect: [22/tcp]\n    rotating:\n      secret-file: /nowhere\n      period: 999999999h\n");

        result.Diagnostics.Select(d => d.Format("c.yaml"))
            .ShouldContain("c.yaml:6:15: error NK051 at doors.ssh.rotating.period: period 999999999h is out of range. Use a value from 1s to 1h.");
    }

    [Theory]
    [InlineData("999999999h")]
    [InlineData("999999999m")]
    [InlineData("999999999s")]
    [InlineData("99999999999999999999999999ms")]
    public void Durations_past_what_a_TimeSpan_holds_parse_as_its_largest_value(string text)
    {
        Duration.TryParse(text, out var value).ShouldBeTrue();
        value.ShouldBeGreaterThan(TimeSpan.FromDays(365));
    }

    [Fact]
    public void Nesting_deeper_than_the_cap_is_a_syntax_error_at_its_line()
    {
        var error = Should.Throw<YamlSyntaxException>(() => YamlTree.Parse("a:\n  b: " + new string('[', YamlTree.MaxDepth) + new string(']', YamlTree.MaxDepth)));

        error.Message.ShouldBe("nested deeper than 64 levels");
        error.Line.ShouldBe(2);
        YamlTree.Parse("a: " + new string('[', YamlTree.MaxDepth - 1) + new string(']', YamlTree.MaxDepth - 1)).ShouldNotBeNull();
    }

    [Fact]
    public void A_nul_byte_is_a_syntax_error_not_the_end_of_a_word()
    {
        var result = ConfigReader.Read("doors:\n  ssh\0junk:\n    protect: [22/tcp]\n    sequence: [7000/udp, 9000/tcp, 8000/udp]\n");

        result.Config.ShouldBeNull();
        result.Diagnostics.Select(d => d.Format("c.yaml")).ShouldBe(
            ["c.yaml:2:6: error NK001: The file is not valid YAML (the file holds a NUL byte; is it a binary file?). Fix the syntax at this line."]);
    }

    [Fact]
    public void Too_many_doors_are_one_error_before_the_checks_between_doors()
    {
        var yaml = "doors:\n" + string.Concat(Enumerable.Range(0, 65).Select(i => $"  d{i}:\n    protect: [{20_000 + i}/tcp]\n    sequence: [{1000 + i}/udp, {40_000 + i}/tcp, {11_000 + i}/udp]\n"));

        ConfigReader.Read(yaml).Diagnostics.Where(d => d.Severity == Severity.Error).Select(d => d.Format("c.yaml")).ShouldBe(
            ["c.yaml:2:3: error NK058 at doors: doors has 65 entries. Use at most 64; ranges like 6000-6010/tcp and prefixes like 192.0.2.0/24 cover many at once."]);
    }

    [Theory]
    [InlineData("ok", "ok")]
    [InlineData("red \u001b[31m", "red \\x1b[31m")]
    [InlineData("title \u001b]0;x\u0007 tab\t nl\n del\u007f csi\u009b", "title \\x1b]0;x\\x07 tab\\x09 nl\\x0a del\\x7f csi\\x9b")]
    [InlineData("evil\u202eexe.txt\u2066", "evil\\u202eexe.txt\\u2066")]
    [InlineData("ſsh ✓ 🔑", "ſsh ✓ 🔑")]
    public void Control_and_reordering_characters_are_shown_as_escapes(string text, string shown) =>
        Visible.Escape(text).ShouldBe(shown);

    [Fact]
    public void A_diagnostic_shows_the_control_characters_of_its_value_as_escapes()
    {
        var result = ConfigReader.Read("doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [7000/udp, 9000/tcp, 8000/udp]\n    open-for: \"\u001b]0;owned\u0007\"\n");

        result.Diagnostics.Single().Format("c.yaml").ShouldBe(
            "c.yaml:5:15: error NK050 at doors.ssh.open-for: '\\x1b]0;owned\\x07' is not a duration. Write a whole number followed by ms, s, m or h, like 500ms, 2s or 1m.");
    }
}
