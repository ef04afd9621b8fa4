using NftKnock.Core.Config;
using NftKnock.Core.Diagnostics;
using NftKnock.Core.Model;

namespace NftKnock.Core.Tests.Rotating;

public class RotatingConfigTests
{
    private static readonly string GoodSecret = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()) + "\n";

    private static SecretReader Files(Dictionary<string, string> files, bool exposed = false) => path =>
        files.TryGetValue(path, out var text) ? new SecretFileContent(text, null, exposed ? "its mode 0644 lets group or other users read or write it" : null) : new SecretFileContent(null, "the file does not exist", null);

    private static ConfigResult Read(string yaml, SecretReader? secrets = null) =>
        ConfigReader.Read(yaml, secrets ?? Files(new() { ["/etc/nftknock/ssh.secret"] = GoodSecret }));

    private static string Errors(ConfigResult result) =>
        string.Join("\n", result.Diagnostics.Where(d => d.Severity == Severity.Error).Select(d => d.Format("c.yaml")));

    [Fact]
    public void A_rotating_door_takes_the_defaults()
    {
        var result = Read("""
            doors:
              ssh:
                protect: [22/tcp]
                rotating:
                  secret-file: /etc/nftknock/ssh.secret
            """);

        result.Diagnostics.ShouldBeEmpty();
        var rotating = result.Config!.Doors[0].Rotating!;
        rotating.Knocks.ShouldBe(3);
        rotating.Period.ShouldBe(TimeSpan.FromSeconds(30));
        rotating.Ports.ShouldBe(new PortRange(10000, 65000, Protocol.Udp));
        rotating.Clients.ShouldHaveSingleItem().Name.ShouldBe("ssh");
        rotating.Clients[0].Secret.Length.ShouldBe(32);
        result.Config.Doors[0].Sequence.ShouldBeEmpty();
        result.Config.Doors[0].StepCount.ShouldBe(3);
    }

    [Fact]
    public void Without_a_secret_reader_the_secrets_stay_empty_for_render()
    {
        var result = ConfigReader.Read("""
            doors:
              ssh:
                protect: [22/tcp]
                rotating: {secret-file: /nowhere}
            """);

        result.IsValid.ShouldBeTrue();
        result.Config!.Doors[0].Rotating!.Clients[0].Secret.IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public void Every_problem_of_a_rotating_section_is_reported_at_once()
    {
        var result = Read("""
            doors:
              ssh:
                protect: [22/tcp]
                sequence: [7000/udp]
                rotating:
                  knocks: 40
                  period: 2h
                  ports: 5000/tcp
                  exclude: [x]
            """);

        Errors(result).ShouldBe("""
            c.yaml:4:15: error NK060 at doors.ssh.sequence: The door 'ssh' has both sequence: and rotating:. Keep one: a fixed sequence, or rotating: for knocks derived from a secret.
            c.yaml:6:7: error NK061 at doors.ssh.rotating: rotating: names no secret. Add secret-file: /etc/nftknock/DOOR.secret, or clients: [{name: alice, secret-file: /etc/nftknock/alice.secret}]; nftknock init --rotating writes one.
            c.yaml:6:15: error NK063 at doors.ssh.rotating.knocks: knocks '40' is not a whole number from 1 to 16. Use 3 unless you have a reason.
            c.yaml:7:15: error NK051 at doors.ssh.rotating.period: period 2h is out of range. Use a value from 1s to 1h.
            c.yaml:8:14: error NK064 at doors.ssh.rotating.ports: '5000/tcp' is not a port range for rotating knocks. Write FIRST-LAST with ports in 1..65535, like 10000-65000; knocks are always UDP.
            c.yaml:9:17: error NK072 at doors.ssh.rotating.exclude: 'x' is not a port or port range to exclude. Write PORT or FIRST-LAST, like 51820 or 60000-61000.
            """);
    }

    [Fact]
    public void Secret_files_that_are_missing_malformed_or_short_are_errors()
    {
        var files = new Dictionary<string, string>
        {
            ["/s/bad"] = "not base64!\n",
            ["/s/short"] = Convert.ToBase64String(new byte[16]) + "\n",
        };

        var result = Read("""
            doors:
              ssh:
                protect: [22/tcp]
                rotating:
                  clients:
                    - {name: alice, secret-file: /s/missing}
                    - {name: bob, secret-file: /s/bad}
                    - {name: carol, secret-file: /s/short}
                    - {name: carol, secret-file: /s/other}
                    - {name: dave, secret-file: /s/bad}
            """, Files(files));

        Errors(result).ShouldBe("""
            c.yaml:6:38: error NK069 at doors.ssh.rotating.clients[0].secret-file: The secret file /s/missing cannot be read: the file does not exist. Create it with nftknock init --rotating, or fix the path.
            c.yaml:7:36: error NK070 at doors.ssh.rotating.clients[1].secret-file: The secret file /s/bad is not one line of base64. Write a fresh one with nftknock init --rotating, or: head -c 32 /dev/urandom | base64 > /s/bad.
            c.yaml:8:38: error NK071 at doors.ssh.rotating.clients[2].secret-file: The secret in /s/short is shorter than 32 bytes, which is too easy to guess. Write a fresh one with nftknock init --rotating, or: head -c 32 /dev/urandom | base64 > /s/short.
            c.yaml:9:18: error NK068 at doors.ssh.rotating.clients[3].name: The client name 'carol' appears more than once. Give every client its own name.
            c.yaml:10:37: error NK073 at doors.ssh.rotating.clients[4].secret-file: The secret file /s/bad is also the secret of client 'bob'. Give every client its own secret, so that each can be revoked alone.
            """);
    }

    [Fact]
    public void A_secret_others_can_read_is_an_error_and_a_short_period_a_warning()
    {
        var result = Read("""
            doors:
              ssh:
                protect: [22/tcp]
                rotating: {secret-file: /etc/nftknock/ssh.secret, period: 2s}
            """, Files(new() { ["/etc/nftknock/ssh.secret"] = GoodSecret }, exposed: true));

        result.IsValid.ShouldBeFalse();
        result.Diagnostics.Select(d => d.Format("c.yaml")).ShouldBe([
            "c.yaml:4:29: error NK079 at doors.ssh.rotating.secret-file: The secret file /etc/nftknock/ssh.secret is not safe: its mode 0644 lets group or other users read or write it. Other users could read it and knock, or replace it: run chown root:root /etc/nftknock/ssh.secret and chmod 600 /etc/nftknock/ssh.secret, keep it in a directory only root can write (like /etc/nftknock), and make a new secret, since the old one may have been read.",
            "c.yaml:4:63: warning NK111 at doors.ssh.rotating.period: A period of 2s leaves little room for clock skew and slow links. Use 10s or more unless this is a test.",
        ]);
    }

    [Fact]
    public void The_rotating_range_may_not_hold_ports_the_config_uses_elsewhere()
    {
        var result = Read("""
            mode: firewall
            firewall:
              allow: [443/tcp, 51820/udp]
            doors:
              ssh:
                protect: [22/tcp, 60000-61000/udp]
                rotating: {secret-file: /etc/nftknock/ssh.secret, ports: 10000-65000, exclude: [60000-60500]}
              web:
                protect: [8443/tcp]
                sequence: [12000/udp, 9000/tcp, 16000/udp]
            """);

        Errors(result).ShouldBe("""
            c.yaml:7:62: error NK066 at doors.ssh.rotating.ports: The rotating ports 10000-65000 include 60000-61000/udp, a port that door 'ssh' protects. Add 60000-61000 to the door's exclude: list (clients need the same list) or move ports: past it.
            c.yaml:7:62: error NK066 at doors.ssh.rotating.ports: The rotating ports 10000-65000 include 12000/udp, a knock step of door 'web'. Add 12000 to the door's exclude: list (clients need the same list) or move ports: past it.
            c.yaml:7:62: error NK066 at doors.ssh.rotating.ports: The rotating ports 10000-65000 include 16000/udp, a knock step of door 'web'. Add 16000 to the door's exclude: list (clients need the same list) or move ports: past it.
            c.yaml:7:62: error NK066 at doors.ssh.rotating.ports: The rotating ports 10000-65000 include 51820/udp, a port in firewall.allow. Add 51820 to the door's exclude: list (clients need the same list) or move ports: past it.
            """);
    }

    [Fact]
    public void Excluded_ports_satisfy_the_range_check()
    {
        var result = Read("""
            doors:
              ssh:
                protect: [22/tcp]
                rotating: {secret-file: /etc/nftknock/ssh.secret, exclude: [12000, 16000]}
              web:
                protect: [8443/tcp]
                sequence: [12000/udp, 9000/tcp, 16000/udp]
            """);

        result.Diagnostics.ShouldBeEmpty();
    }

    [Fact]
    public void A_range_with_too_few_free_ports_is_an_error()
    {
        var result = Read("""
            doors:
              ssh:
                protect: [22/tcp]
                rotating: {secret-file: /etc/nftknock/ssh.secret, ports: 20000-20050}
            """);

        Errors(result).ShouldBe("c.yaml:4:62: error NK065 at doors.ssh.rotating.ports: The rotating ports 20000-20050 leave only 51 ports after exclusions. Use a range with at least 100 free ports, like 10000-65000.");
    }
}
