using NftKnock.Core.Config;
using NftKnock.Core.Diagnostics;
using NftKnock.Core.Ruleset;
using NftKnock.Core.Ruleset.Model;

namespace NftKnock.Core.Tests;

/// <summary><c>audit: true</c>: read strictly, and planned as a table that lets refused connections through and says so.</summary>
public sealed class AuditConfigTests
{
    private const string Door = "doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [17000/udp, 8000/tcp, 29000/udp]\n";

    [Theory]
    [InlineData("", false)]
    [InlineData("audit: false\n", false)]
    [InlineData("audit: true\n", true)]
    public void Audit_is_off_unless_the_config_turns_it_on(string root, bool expected) =>
        ConfigReader.Read(root + Door).Config!.Audit.ShouldBe(expected);

    [Fact]
    public void An_audit_value_that_is_not_a_boolean_is_an_error_on_its_line()
    {
        var result = ConfigReader.Read("table: nftknock\naudit: sometimes\n" + Door);

        result.Config.ShouldBeNull();
        var error = result.Diagnostics.ShouldHaveSingleItem();
        error.Severity.ShouldBe(Severity.Error);
        error.Line.ShouldBe(2);
        error.Message.ShouldBe("'sometimes' is not a valid audit. Use true or false.");
    }

    [Fact]
    public void An_audited_table_counts_and_logs_instead_of_refusing_and_reads_as_audited()
    {
        var enforcing = ConfigReader.Read(Door).Config!;
        var audited = Planner.Plan(enforcing with { Audit = true }).Model;
        var plain = Planner.Plan(enforcing).Model;

        Planner.Audits(audited).ShouldBeTrue();
        Planner.Audits(audited, "ssh").ShouldBeTrue();
        Planner.Audits(plain).ShouldBeFalse();
        audited.Find<NftCounter>(Names.Counter("ssh", CounterKind.Audited)).ShouldNotBeNull();
        audited.Find<NftChain>(Names.AuditLog("ssh")).ShouldNotBeNull();
        audited.Find<NftSet>(Names.Seen("ssh", Core.Model.Families.IPv6)).ShouldNotBeNull();
        plain.Find<NftChain>(Names.AuditLog("ssh")).ShouldBeNull();
    }
}
