using NftKnock.Core.Config;
using NftKnock.Core.Model;

namespace NftKnock.Core.Tests;

/// <summary>grant-prefix on doors and rotating clients, and log-group: what is read, and every sentence about them.</summary>
public sealed class GrantConfigTests
{
    private static string Door(string extra) =>
        $"doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [17000/udp, 8000/tcp, 29000/udp]\n{extra}";

    private static string Clients(string door, string alice) => $"""
        doors:
          ssh:
            protect: [22/tcp]
        {door}
            rotating:
              clients:
                - name: alice
                  secret-file: /etc/alice.secret
        {alice}
                - {"{"}name: bob, secret-file: /etc/bob.secret{"}"}
        """;

    private static IEnumerable<string> Lines(string yaml) =>
        ConfigReader.Read(yaml).Diagnostics.Select(d => d.Format("c.yaml"));

    [Fact]
    public void A_door_grants_its_prefixes_and_a_family_left_out_keeps_the_full_length()
    {
        ConfigReader.Read(Door("    grant-prefix: {ipv4: 24, ipv6: 64}\n")).Config!.Doors[0].GrantPrefix.ShouldBe(new GrantPrefix(24, 64));
        ConfigReader.Read(Door("    grant-prefix: {ipv6: 56}\n")).Config!.Doors[0].GrantPrefix.ShouldBe(new GrantPrefix(32, 56));
        ConfigReader.Read(Door("    grant-prefix: {ipv4: 16, ipv6: 48}\n")).Diagnostics.ShouldBeEmpty();
    }

    [Fact]
    public void A_client_overrides_the_door_for_the_families_it_names_and_inherits_the_rest()
    {
        var door = ConfigReader.Read(Clients("    grant-prefix: {ipv4: 28, ipv6: 64}", "          grant-prefix: {ipv4: 24}")).Config!.Doors[0];

        door.Rotating!.HasClients.ShouldBeTrue();
        door.GrantPrefixOf(door.Clients[0]).ShouldBe(new GrantPrefix(24, 64));
        door.Clients[1].GrantPrefix.ShouldBeNull();
        door.GrantPrefixOf(door.Clients[1]).ShouldBe(new GrantPrefix(28, 64));
        door.GrantLengths(Families.IPv4).ShouldBe([28, 24]);
        door.GrantLengths(Families.IPv6).ShouldBe([64]);
    }

    [Fact]
    public void A_single_secret_is_not_a_door_with_clients()
    {
        var door = ConfigReader.Read("doors:\n  ssh:\n    protect: [22/tcp]\n    rotating: {secret-file: /etc/ssh.secret}\n").Config!.Doors[0];

        door.Rotating!.HasClients.ShouldBeFalse();
        door.Clients.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("{ipv4: 33}", "c.yaml:5:26: error NK220 at doors.ssh.grant-prefix.ipv4: grant-prefix ipv4 '33' is not a prefix length. Use a whole number from 1 to 32: 32 grants the knocking address alone, a shorter length its whole network, like ipv4: 24.")]
    [InlineData("{ipv4: 0}", "c.yaml:5:26: error NK220 at doors.ssh.grant-prefix.ipv4: grant-prefix ipv4 '0' is not a prefix length. Use a whole number from 1 to 32: 32 grants the knocking address alone, a shorter length its whole network, like ipv4: 24.")]
    [InlineData("{ipv4: /24}", "c.yaml:5:26: error NK220 at doors.ssh.grant-prefix.ipv4: grant-prefix ipv4 '/24' is not a prefix length. Use a whole number from 1 to 32: 32 grants the knocking address alone, a shorter length its whole network, like ipv4: 24.")]
    [InlineData("{ipv6: 129}", "c.yaml:5:26: error NK220 at doors.ssh.grant-prefix.ipv6: grant-prefix ipv6 '129' is not a prefix length. Use a whole number from 1 to 128: 128 grants the knocking address alone, a shorter length its whole network, like ipv6: 64.")]
    [InlineData("{ipv6: 64.5}", "c.yaml:5:26: error NK220 at doors.ssh.grant-prefix.ipv6: grant-prefix ipv6 '64.5' is not a prefix length. Use a whole number from 1 to 128: 128 grants the knocking address alone, a shorter length its whole network, like ipv6: 64.")]
    [InlineData("{ipv5: 24}", "c.yaml:5:20: error NK010 at doors.ssh.grant-prefix.ipv5: Unknown key 'ipv5'. Valid keys here: ipv4, ipv6.")]
    [InlineData("24", "c.yaml:5:19: error NK012 at doors.ssh.grant-prefix: grant-prefix must be a mapping with the keys ipv4, ipv6.")]
    [InlineData("{ipv4: 15}", "c.yaml:5:26: warning NK223 at doors.ssh.grant-prefix.ipv4: grant-prefix ipv4: 15 is wider than /16: one knock opens the door to every address in its /15, far more than one home, office or mobile network. Use 16 or more unless that is what you mean.")]
    [InlineData("{ipv6: 47}", "c.yaml:5:26: warning NK223 at doors.ssh.grant-prefix.ipv6: grant-prefix ipv6: 47 is wider than /48: one knock opens the door to every address in its /47, far more than one home, office or mobile network. Use 48 or more unless that is what you mean.")]
    public void A_bad_or_wide_grant_prefix_is_reported_verbatim(string value, string expected) =>
        Lines(Door($"    grant-prefix: {value}\n")).ShouldBe([expected]);

    [Fact]
    public void A_client_grant_prefix_is_checked_like_the_door_s()
    {
        var result = ConfigReader.Read(Clients(string.Empty, "          grant-prefix: {ipv4: 40, ipv6: 8}"));

        result.Config.ShouldBeNull();
        result.Diagnostics.Select(d => d.Format("c.yaml")).ShouldBe(
        [
            "c.yaml:9:32: error NK220 at doors.ssh.rotating.clients[0].grant-prefix.ipv4: grant-prefix ipv4 '40' is not a prefix length. Use a whole number from 1 to 32: 32 grants the knocking address alone, a shorter length its whole network, like ipv4: 24.",
            "c.yaml:9:42: warning NK223 at doors.ssh.rotating.clients[0].grant-prefix.ipv6: grant-prefix ipv6: 8 is wider than /48: one knock opens the door to every address in its /8, far more than one home, office or mobile network. Use 48 or more unless that is what you mean.",
        ]);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("65535", 65535)]
    public void A_log_group_is_an_nflog_group(string value, int group) =>
        ConfigReader.Read(Door($"    log-group: {value}\n")).Config!.Doors[0].LogGroup.ShouldBe(group);

    [Theory]
    [InlineData("65536")]
    [InlineData("-1")]
    [InlineData("ulogd")]
    public void A_bad_log_group_is_reported_verbatim(string value) =>
        Lines(Door($"    log-group: {value}\n")).ShouldBe(
            [$"c.yaml:5:16: error NK221 at doors.ssh.log-group: log-group '{value}' is not an NFLOG group. Use a whole number from 0 to 65535, the group ulogd2 listens on, like log-group: 1."]);

    [Fact]
    public void A_log_group_without_log_lines_is_an_error() =>
        Lines(Door("    log: false\n    log-group: 1\n")).ShouldBe(
            ["c.yaml:6:16: error NK222 at doors.ssh.log-group: log-group is set, but log: false turns the door's log lines off. Remove log-group, or remove log: false to send the lines to that NFLOG group."]);
}
