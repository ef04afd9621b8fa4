using System.Text.RegularExpressions;
using NftKnock.Core.Ruleset;

namespace NftKnock.Core.Tests.Ruleset;

/// <summary>The kernel log prefix: what the planner writes is what the events reader takes apart, and nothing else.</summary>
public sealed partial class LogPrefixTests
{
    [Theory]
    [InlineData("ssh", LogKind.Grant, null, "nftknock ssh open: ")]
    [InlineData("ssh", LogKind.Replay, null, "nftknock ssh replay: ")]
    [InlineData("vpn_2", LogKind.Grant, "alice", "nftknock vpn_2 open client=alice: ")]
    [InlineData("vpn", LogKind.Replay, "bob.phone-2", "nftknock vpn replay client=bob.phone-2: ")]
    [InlineData("ssh", LogKind.WouldDrop, null, "nftknock ssh would-drop: ")]
    public void A_prefix_reads_back_as_what_was_written(string door, LogKind kind, string? client, string text)
    {
        var prefix = new LogPrefix(door, kind, client);

        prefix.Format().ShouldBe(text);
        LogPrefix.TryParse(text + "IN=eth0 OUT= SRC=198.18.0.2", out var parsed, out var length).ShouldBeTrue();
        parsed.ShouldBe(prefix);
        length.ShouldBe(text.Length);
    }

    [Theory]
    [InlineData("nftknock ssh opened: IN=")]
    [InlineData("nftknock ssh: IN=")]
    [InlineData("nftknock Ssh open: IN=")]
    [InlineData("nftknock ssh open client=: IN=")]
    [InlineData("nftknock ssh open client=Alice: IN=")]
    [InlineData("nftknock ssh open alice: IN=")]
    [InlineData("nftknock ssh open client=alice extra: IN=")]
    [InlineData("nftknock ssh open:IN=")]
    [InlineData(" nftknock ssh open: IN=")]
    [InlineData("nftknock probe: IN=")]
    [InlineData("xnftknock ssh open: IN=")]
    [InlineData("nftknock ssh would_drop: IN=")]
    [InlineData("nftknock ssh would drop: IN=")]
    public void Anything_format_would_not_write_is_not_a_prefix(string line) =>
        LogPrefix.TryParse(line, out _, out _).ShouldBeFalse();

    [Fact]
    public void No_source_file_but_its_home_spells_out_a_log_prefix()
    {
        var home = Path.Combine("src", "NftKnock.Core", "Ruleset", "LogPrefix.cs");
        var spelled = Directory.EnumerateFiles(Repo.Path("src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && !f.EndsWith(home, StringComparison.Ordinal))
            .Where(f => PrefixLiteral().IsMatch(File.ReadAllText(f)))
            .ToList();

        spelled.ShouldBeEmpty();
    }

    // A string literal or interpolation that starts like a log prefix: "nftknock DOOR open...", a bare "nftknock " to build one from, or the probe's.
    [GeneratedRegex(@"""nftknock (\{[^}]*\}|[a-z_]+) (open|replay|\{)|""nftknock ""|""nftknock probe: ")]
    private static partial Regex PrefixLiteral();
}
