using System.Net;
using NftKnock.Core.Model;
using NftKnock.Core.Ruleset;
using NftKnock.Core.Ruleset.Model;
using NftKnock.Server.Safety;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Tests.Deploy;

public sealed class LockoutGuardTests
{
    private static TableReading Granted(string address, string set = "ssh_open_v4") => Holding(new Dictionary<string, string> { [set] = address });

    /// <summary>A loaded table whose grant sets each hold one address.</summary>
    private static TableReading Holding(IReadOnlyDictionary<string, string> grants) =>
        new(new NftTable("nftknock", string.Empty, [.. grants.Keys.Select(s => new NftSet(s, [KeyField.Listed(s.EndsWith("_v4", StringComparison.Ordinal) ? "ipv4_addr" : "ipv6_addr")], SetKind.Stateful))]), 1)
        {
            SetState = grants.ToDictionary(g => g.Key, g => new LiveSet(1, [new LiveElement(g.Value, 5000)], 1), StringComparer.Ordinal),
        };

    [Theory]
    [InlineData("198.18.1.2 50022 198.18.1.1 22", "198.18.1.2", 22)]
    [InlineData("::ffff:198.18.1.2 50022 ::ffff:198.18.1.1 2222", "198.18.1.2", 2222)]
    [InlineData("2001:db8:1::2 50022 2001:db8:1::1 22", "2001:db8:1::2", 22)]
    public void Ssh_connection_gives_the_client_and_the_port_it_came_in_on(string value, string client, int port) =>
        SshSession.Parse(value).ShouldBe(new SshSession(IPAddress.Parse(client), port));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("198.18.1.2 50022 198.18.1.1")]
    [InlineData("nonsense 1 2 x")]
    public void Without_a_readable_ssh_connection_there_is_no_session(string? value) => SshSession.Parse(value).ShouldBeNull();

    [Fact]
    public void A_door_on_the_session_port_hides_it_from_a_client_without_grant_or_allow()
    {
        var session = SshSession.Parse("198.18.1.2 50022 198.18.1.1 22")!;
        LockoutGuard.Check(Configs.Read(Configs.Ssh), session, current: null).ShouldBe(new Lockout(session, "ssh"));
    }

    [Fact]
    public void A_client_in_the_allow_list_is_not_locked_out()
    {
        var config = Configs.Read(Configs.Ssh + "\n    allow: [198.18.1.0/24]\n");
        LockoutGuard.Check(config, SshSession.Parse("198.18.1.2 50022 198.18.1.1 22")!, null).ShouldBeNull();
    }

    [Fact]
    public void A_client_that_holds_a_grant_now_is_not_locked_out()
    {
        var session = SshSession.Parse("198.18.1.2 50022 198.18.1.1 22")!;
        LockoutGuard.Check(Configs.Read(Configs.Ssh), session, Granted("198.18.1.2")).ShouldBeNull();
        LockoutGuard.Check(Configs.Read(Configs.Ssh), session, Granted("198.18.1.3")).ShouldNotBeNull();
    }

    [Fact]
    public void Audit_mode_hides_nothing_but_leaving_it_is_guarded_like_any_apply()
    {
        var session = SshSession.Parse("198.18.1.2 50022 198.18.1.1 22")!;
        var enforcing = Configs.Read(Configs.Ssh);
        var audited = enforcing with { Audit = true };
        var loadedInAudit = new TableReading(Planner.Plan(audited).Model, 1);

        LockoutGuard.Check(audited, session, current: null).ShouldBeNull();
        LockoutGuard.Check(enforcing, session, loadedInAudit).ShouldBe(new Lockout(session, "ssh"));
    }

    [Fact]
    public void A_session_on_a_port_no_door_protects_is_safe_in_guard_mode() =>
        LockoutGuard.Check(Configs.Read(Configs.Ssh), SshSession.Parse("198.18.1.2 50022 198.18.1.1 2222")!, null).ShouldBeNull();

    [Fact]
    public void Firewall_mode_hides_a_port_that_neither_a_door_nor_firewall_allow_opens()
    {
        var session = SshSession.Parse("198.18.1.2 50022 198.18.1.1 2222")!;
        var hidden = Configs.Read("mode: firewall\n" + Configs.Ssh);
        var open = Configs.Read("mode: firewall\nfirewall:\n  allow: [2222/tcp]\n" + Configs.Ssh);

        LockoutGuard.Check(hidden, session, null).ShouldBe(new Lockout(session, null));
        LockoutGuard.Check(open, session, null).ShouldBeNull();
    }

    [Theory]
    [InlineData("198.18.1.2 50022 198.18.1.1 22", "198.18.1.2", Families.IPv4)]
    [InlineData("2001:db8:1::2 50022 2001:db8:1::1 22", "2001:db8:1::2", Families.IPv6)]
    public void The_guard_sees_a_grant_in_the_grant_set_the_planner_declares_for_its_family(string connection, string client, Families family)
    {
        var config = Configs.Read(Configs.Ssh);
        var session = SshSession.Parse(connection)!;
        var grantSets = Planner.Plan(config).Model.Sets
            .Select(s => Names.TryParse(s.Name, out var name) ? name : default)
            .Where(name => name.Role == DoorRole.Open && name.Door == "ssh")
            .ToList();
        grantSets.Select(s => s.Family).ShouldBe([Families.IPv4, Families.IPv6]);

        // The client's grant sits only in the planned grant set of its family, other sources' in the other one.
        var state = Holding(grantSets.ToDictionary(s => s.ToString(), s => s.Family == family ? client : "198.18.1.99"));

        LockoutGuard.Check(config, session, state).ShouldBeNull();
    }

    [Theory]
    [InlineData("198.18.1.2 50022 198.18.1.1 22", "198.18.1.0", "ssh_open24_v4", true)]
    [InlineData("198.18.1.77 50022 198.18.1.1 22", "198.18.1.0", "ssh_open24_v4", true)]
    [InlineData("198.18.2.2 50022 198.18.1.1 22", "198.18.1.0", "ssh_open24_v4", false)]
    [InlineData("2001:db8:1::2 50022 2001:db8:1::1 22", "2001:db8:1::", "ssh_open64_v6", true)]
    [InlineData("2001:db8:1:0:aaaa::9 50022 2001:db8:1::1 22", "2001:db8:1::", "ssh_open64_v6", true)]
    [InlineData("2001:db8:2::2 50022 2001:db8:1::1 22", "2001:db8:1::", "ssh_open64_v6", false)]
    public void A_prefix_grant_keeps_every_address_of_its_network_in(string connection, string element, string set, bool safe)
    {
        var config = Configs.Read(Configs.Ssh + "\n    grant-prefix: {ipv4: 24, ipv6: 64}\n");

        (LockoutGuard.Check(config, SshSession.Parse(connection)!, Granted(element, set)) is null).ShouldBe(safe);
    }

    [Fact]
    public void A_grant_in_a_set_the_new_config_drops_does_not_keep_the_client_in()
    {
        // The running table grants the address alone; the new config grants /24s, so apply deletes ssh_open_v4.
        var config = Configs.Read(Configs.Ssh + "\n    grant-prefix: {ipv4: 24}\n");

        LockoutGuard.Check(config, SshSession.Parse("198.18.1.2 50022 198.18.1.1 22")!, Granted("198.18.1.2")).ShouldNotBeNull();
    }

    [Fact]
    public void A_client_of_a_rotating_door_is_kept_in_by_its_own_prefix_set()
    {
        var config = Configs.Read("""
            doors:
              ssh:
                protect: [22/tcp]
                rotating:
                  clients:
                    - {name: alice, secret-file: /etc/alice.secret, grant-prefix: {ipv4: 24}}
                    - {name: bob, secret-file: /etc/bob.secret}
            """);
        var session = SshSession.Parse("198.18.1.9 50022 198.18.1.1 22")!;

        LockoutGuard.Check(config, session, Granted("198.18.1.0", "ssh_open24_v4")).ShouldBeNull();
        LockoutGuard.Check(config, session, Granted("198.18.1.9")).ShouldBeNull();
        LockoutGuard.Check(config, session, Granted("198.18.1.8")).ShouldNotBeNull();
    }

    /// <summary>The table <paramref name="yaml"/> loads, read back with no grant in it.</summary>
    private static TableReading Loaded(string yaml) => new(Planner.Plan(Configs.Read(yaml)).Model, 1);

    private const string TwoClients = """
        doors:
          ssh:
            protect: [22/tcp]
            rotating:
              clients:
                - {name: alice, secret-file: /etc/alice.secret}
                - {name: bob, secret-file: /etc/bob.secret}
        """;

    [Fact]
    public void Re_applying_the_loaded_config_after_the_session_s_grant_expired_is_not_refused()
    {
        var session = SshSession.Parse("198.18.1.2 50022 198.18.1.1 22")!;

        LockoutGuard.Check(Configs.Read(Configs.Ssh), session, Loaded(Configs.Ssh)).ShouldBeNull();
        LockoutGuard.Check(Configs.Read("mode: firewall\n" + Configs.Ssh), SshSession.Parse("198.18.1.2 50022 198.18.1.1 2222")!, Loaded("mode: firewall\n" + Configs.Ssh)).ShouldBeNull();
    }

    [Fact]
    public void Revoking_another_client_is_not_refused()
    {
        var aliceOnly = TwoClients.Replace("        - {name: bob, secret-file: /etc/bob.secret}\n", string.Empty, StringComparison.Ordinal);

        LockoutGuard.Check(Configs.Read(aliceOnly), SshSession.Parse("198.18.1.2 50022 198.18.1.1 22")!, Loaded(TwoClients)).ShouldBeNull();
    }

    [Fact]
    public void A_change_that_newly_hides_the_session_s_port_is_still_refused()
    {
        var session = SshSession.Parse("198.18.1.2 50022 198.18.1.1 22")!;

        // The loaded table lets the session's network in without a knock; the new config does not.
        LockoutGuard.Check(Configs.Read(Configs.Ssh), session, Loaded(Configs.Ssh + "\n    allow: [198.18.1.0/24]\n")).ShouldBe(new Lockout(session, "ssh"));

        // The loaded table does not guard port 22 at all; the new config does.
        LockoutGuard.Check(Configs.Read(Configs.Ssh), session, Loaded(Configs.Ssh.Replace("[22/tcp]", "[2222/tcp]", StringComparison.Ordinal))).ShouldBe(new Lockout(session, "ssh"));
    }
}
