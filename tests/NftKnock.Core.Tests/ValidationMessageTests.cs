using NftKnock.Core.Config;
using NftKnock.Core.Model;

namespace NftKnock.Core.Tests;

/// <summary>Every validation message, verbatim, with its line and column: the operator's view of a bad config.</summary>
public sealed class ValidationMessageTests
{
    private const string Ssh = "doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [7000/udp, 18000/tcp, 9000/udp]\n";

    private static string[] Diagnose(string yaml) =>
        ConfigReader.Read(yaml).Diagnostics.Select(d => d.Format("c.yaml")).ToArray();

    [Theory]
    [InlineData("doors:\n  ssh: [unclosed", "c.yaml:3:1: error NK001: The file is not valid YAML (While parsing a flow sequence, did not find expected ',' or ']'). Fix the syntax at this line.")]
    [InlineData("x: &a 1\ndoors: *a", "c.yaml:2:8: error NK001: The file is not valid YAML (anchors and aliases are not supported). Fix the syntax at this line.")]
    [InlineData("", "c.yaml: error NK002: The file is empty. Add a doors: map with at least one door.")]
    [InlineData("- a\n- b", "c.yaml:1:1: error NK012: The config must be a mapping with the keys table, mode, audit, firewall, doors.")]
    [InlineData("tables: x\n" + Ssh, "c.yaml:1:1: error NK010 at tables: Unknown key 'tables'. Valid keys here: table, mode, audit, firewall, doors.")]
    [InlineData("table: Bad-Name\n" + Ssh, "c.yaml:1:8: error NK020 at table: The table name 'Bad-Name' is invalid. Use a lowercase letter followed by up to 31 lowercase letters, digits or underscores.")]
    [InlineData("mode: paranoid\n" + Ssh, "c.yaml:1:7: error NK021 at mode: 'paranoid' is not a valid mode. Use guard or firewall.")]
    [InlineData("table: x", "c.yaml: error NK030 at doors: No doors are defined. Add at least one door under doors:, for example ssh: {protect: [22/tcp], sequence: [7000/udp, 8000/tcp, 9000/udp]}.")]
    [InlineData("doors: {}", "c.yaml:1:8: error NK030 at doors: No doors are defined. Add at least one door under doors:, for example ssh: {protect: [22/tcp], sequence: [7000/udp, 8000/tcp, 9000/udp]}.")]
    [InlineData("doors: [ssh]", "c.yaml:1:8: error NK012 at doors: 'doors' must be a mapping from door names to doors.")]
    [InlineData("doors:\n  SSH-1:\n    protect: [22/tcp]\n    sequence: [7000/udp, 18000/tcp, 9000/udp]", "c.yaml:2:3: error NK031 at doors.SSH-1: The door name 'SSH-1' is invalid. Use a lowercase letter followed by up to 15 lowercase letters, digits or underscores.")]
    [InlineData("doors:\n  ssh: 7", "c.yaml:2:8: error NK012 at doors.ssh: The door 'ssh' must be a mapping with the keys protect, sequence, rotating, step-timeout, open-for, refresh, close-on-connect, families, allow, grant-prefix, log, log-group, refuse, expires, days, hours, timezone.")]
    [InlineData("doors:\n  ssh:\n    protect: []\n    sequence: [7000/udp, 18000/tcp, 9000/udp]", "c.yaml:3:14: error NK042 at doors.ssh.protect: protect is empty. List the ports this door hides, like [22/tcp].")]
    [InlineData("doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: []", "c.yaml:4:15: error NK043 at doors.ssh.sequence: The sequence is empty. List 1 to 16 knock steps, like [7000/udp, 8000/tcp, 9000/udp].")]
    [InlineData("doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [1001, 2002, 3003, 4004, 5005, 6006, 7007, 8008, 9009, 10010, 11011, 12012, 13013, 14014, 15015, 16016, 17017]", "c.yaml:4:15: error NK044 at doors.ssh.sequence: The sequence has 17 steps. Use at most 16.")]
    [InlineData("doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [7000/udp, 18000/tcp, 9000/udp]\n    step-timeout: 50ms", "c.yaml:5:19: error NK051 at doors.ssh.step-timeout: step-timeout 50ms is out of range. Use a value from 100ms to 1m.")]
    [InlineData("doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [7000/udp, 18000/tcp, 9000/udp]\n    open-for: 25h", "c.yaml:5:15: error NK051 at doors.ssh.open-for: open-for 25h is out of range. Use a value from 1s to 24h.")]
    [InlineData("doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [7000/udp, 18000/tcp, 9000/udp]\n    open-for: 2d", "c.yaml:5:15: error NK050 at doors.ssh.open-for: '2d' is not a duration. Write a whole number followed by ms, s, m or h, like 500ms, 2s or 1m.")]
    [InlineData("doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [7000/udp, 18000/tcp, 9000/udp]\n    refresh: always", "c.yaml:5:14: error NK021 at doors.ssh.refresh: 'always' is not a valid refresh. Use update or keep.")]
    [InlineData("doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [7000/udp, 18000/tcp, 9000/udp]\n    close-on-connect: maybe", "c.yaml:5:23: error NK056 at doors.ssh.close-on-connect: 'maybe' is not a valid close-on-connect. Use true or false.")]
    [InlineData("doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [7000/udp, 18000/tcp, 9000/udp]\n    families: [ipx]", "c.yaml:5:16: error NK052 at doors.ssh.families: 'ipx' is not an address family. Use ipv4 or ipv6.")]
    [InlineData("doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [7000/udp, 18000/tcp, 9000/udp]\n    families: []", "c.yaml:5:15: error NK053 at doors.ssh.families: families is empty. List ipv4, ipv6 or both.")]
    [InlineData("doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [7000/udp, 18000/tcp, 9000/udp]\n    allow: [192.0.2.1/24]", "c.yaml:5:13: error NK054 at doors.ssh.allow[0]: '192.0.2.1/24' is not an address prefix. Write a canonical address (IPv4 as four decimal numbers 0-255 without leading zeros) or a prefix with its host bits zero, like 192.0.2.0/24 or 2001:db8::/32.")]
    [InlineData("doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [7000/udp, 18000/tcp, 9000/udp]\n    log: sometimes", "c.yaml:5:10: error NK056 at doors.ssh.log: 'sometimes' is not a valid log. Use true or false.")]
    [InlineData("doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [7000/udp, 18000/tcp, 9000/udp]\n    refuse: rst", "c.yaml:5:13: error NK021 at doors.ssh.refuse: 'rst' is not a valid refuse. Use drop or reset.")]
    [InlineData("doors:\n  dns:\n    protect: [53/udp]\n    sequence: [7000/udp, 18000/tcp, 9000/udp]\n    close-on-connect: true", "c.yaml:3:15: error NK055 at doors.dns.protect[0]: close-on-connect needs TCP, but 53/udp is UDP, which has no connection to use the grant up. Set close-on-connect: false or protect TCP ports only.")]
    [InlineData("doors:\n  ssh:\n    protect: {a: 1}\n    sequence: [7000/udp, 18000/tcp, 9000/udp]", "c.yaml:3:14: error NK012 at doors.ssh.protect: 'protect' must be a list.")]
    [InlineData("doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [[7000], 18000/tcp, 9000/udp]", "c.yaml:4:16: error NK012 at doors.ssh.sequence[0]: 'sequence[0]' must be a single value.")]
    [InlineData("doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [7000/udp, 18000/tcp, 9000/udp]\n    open-for: [1s]", "c.yaml:5:15: error NK012 at doors.ssh.open-for: 'open-for' must be a single value.")]
    public void A_single_problem_is_reported_verbatim(string yaml, string expected)
    {
        Diagnose(yaml).ShouldBe([expected]);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_in_file_order()
    {
        Diagnose("doors:\n  ssh:\n    protect: [22/tcp, 70000/tcp, 10-5/tcp, 22/sctp]\n    sequence: [7000/udp, 0/udp, 7000/udp, abc, 8000/icmp, 22/tcp]\n    timeout: 5s\n    open-for: 5s\n    open-for: 6s").ShouldBe(
        [
            "c.yaml:3:23: error NK041 at doors.ssh.protect[1]: '70000/tcp' is not a port or port range. Write PORT/tcp or FIRST-LAST/tcp with ports in 1..65535 and FIRST not above LAST, like 22/tcp or 6000-6010/tcp.",
            "c.yaml:3:34: error NK041 at doors.ssh.protect[2]: '10-5/tcp' is not a port or port range. Write PORT/tcp or FIRST-LAST/tcp with ports in 1..65535 and FIRST not above LAST, like 22/tcp or 6000-6010/tcp.",
            "c.yaml:3:44: error NK041 at doors.ssh.protect[3]: '22/sctp' is not a port or port range. Write PORT/tcp or FIRST-LAST/tcp with ports in 1..65535 and FIRST not above LAST, like 22/tcp or 6000-6010/tcp.",
            "c.yaml:4:26: error NK040 at doors.ssh.sequence[1]: '0/udp' is not a knock step. Write PORT/udp or PORT/tcp with PORT in 1..65535, like 7000/udp.",
            "c.yaml:4:33: error NK045 at doors.ssh.sequence[2]: The knock step 7000/udp repeats step 1. Use a different port for every step.",
            "c.yaml:4:43: error NK040 at doors.ssh.sequence[3]: 'abc' is not a knock step. Write PORT/udp or PORT/tcp with PORT in 1..65535, like 7000/udp.",
            "c.yaml:4:48: error NK040 at doors.ssh.sequence[4]: '8000/icmp' is not a knock step. Write PORT/udp or PORT/tcp with PORT in 1..65535, like 7000/udp.",
            "c.yaml:4:59: error NK046 at doors.ssh.sequence[5]: The knock step 22/tcp is a port that door 'ssh' protects. Pick a knock port that no door protects.",
            "c.yaml:5:5: error NK010 at doors.ssh.timeout: Unknown key 'timeout'. Valid keys here: protect, sequence, rotating, step-timeout, open-for, refresh, close-on-connect, families, allow, grant-prefix, log, log-group, refuse, expires, days, hours, timezone.",
            "c.yaml:7:5: error NK011 at doors.ssh.open-for: The key 'open-for' appears more than once. Keep one.",
        ]);
    }

    [Fact]
    public void A_door_without_protect_or_sequence_names_both()
    {
        Diagnose("doors:\n  ssh:\n    open-for: 10s").ShouldBe(
        [
            "c.yaml:2:3: error NK013 at doors.ssh: The door 'ssh' has no 'protect'. Add it, for example protect: [22/tcp].",
            "c.yaml:2:3: error NK013 at doors.ssh: The door 'ssh' has no 'sequence'. Add it, for example sequence: [7000/udp, 8000/tcp, 9000/udp].",
        ]);
    }

    [Fact]
    public void Ports_shared_between_doors_or_with_firewall_allow_are_errors()
    {
        Diagnose("mode: firewall\nfirewall:\n  allow: [80/tcp, 9000/udp, 2222/tcp]\ndoors:\n  ssh:\n    protect: [22/tcp, 2200-2300/tcp]\n    sequence: [7000/udp, 18000/tcp, 9000/udp]\n  web:\n    protect: [22/tcp, 2250/tcp]\n    sequence: [7000/udp, 31000/udp, 443/udp]").ShouldBe(
        [
            "c.yaml:6:23: error NK049 at doors.ssh.protect[1]: The port 2200-2300/tcp is also in firewall.allow, which opens it to everyone. Remove it from firewall.allow or pick another port.",
            "c.yaml:7:37: error NK049 at doors.ssh.sequence[2]: The port 9000/udp is also in firewall.allow, which opens it to everyone. Remove it from firewall.allow or pick another port.",
            "c.yaml:9:15: error NK048 at doors.web.protect[0]: The protected ports 22/tcp overlap 22/tcp of door 'ssh'. A port can belong to one door only.",
            "c.yaml:9:23: error NK048 at doors.web.protect[1]: The protected ports 2250/tcp overlap 2200-2300/tcp of door 'ssh'. A port can belong to one door only.",
            "c.yaml:10:16: error NK047 at doors.web.sequence[0]: The knock step 7000/udp is also a knock step of door 'ssh'. Give each door its own knock ports.",
        ]);
    }

    [Fact]
    public void Firewall_settings_are_checked_and_flagged_as_ignored_in_guard_mode()
    {
        Diagnose("firewall:\n  allow: [80/tcp]\n  icmp: some\n  forward: maybe\n  reject: nope\n  extra: 1\n" + Ssh).ShouldBe(
        [
            "c.yaml:2:3: warning NK022 at firewall: The firewall section only applies in firewall mode and is ignored in guard mode. Set mode: firewall or remove the section.",
            "c.yaml:3:9: error NK021 at firewall.icmp: 'some' is not a valid icmp. Use essential, all or none.",
            "c.yaml:4:12: error NK021 at firewall.forward: 'maybe' is not a valid forward. Use drop or accept.",
            "c.yaml:5:11: error NK056 at firewall.reject: 'nope' is not a valid reject. Use true or false.",
            "c.yaml:6:3: error NK010 at firewall.extra: Unknown key 'extra'. Valid keys here: allow, icmp, reject, forward.",
        ]);
    }

    [Theory]
    [InlineData("true", "drop", "c.yaml:8:13: warning NK105 at doors.ssh.refuse: The door 'ssh' answers with refuse: drop but firewall.reject: true answers every closed port the other way, so the door's ports stand out from their neighbours. Remove refuse to answer as the firewall does.")]
    [InlineData("false", "reset", "c.yaml:8:13: warning NK105 at doors.ssh.refuse: The door 'ssh' answers with refuse: reset but firewall.reject: false answers every closed port the other way, so the door's ports stand out from their neighbours. Remove refuse to answer as the firewall does.")]
    [InlineData("true", "reset", null)]
    [InlineData("false", "drop", null)]
    public void A_door_that_refuses_unlike_the_firewall_warns_and_keeps_its_choice(string reject, string refuse, string? expected)
    {
        var result = ConfigReader.Read(
            $"mode: firewall\nfirewall:\n  reject: {reject}\ndoors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [17000/udp, 8000/tcp, 29000/udp]\n    refuse: {refuse}\n");

        result.Diagnostics.Select(d => d.Format("c.yaml")).ShouldBe(expected is null ? [] : [expected]);
        result.Config!.Doors.ShouldHaveSingleItem().Refuse.ShouldBe(refuse == "reset" ? Refuse.Reset : Refuse.Drop);
    }

    [Theory]
    [InlineData("[7000/udp, 7050/udp]", "c.yaml:4:15: warning NK101 at doors.ssh.sequence: The sequence has only 2 steps, which a port sweep finds quickly. Use at least 3 steps.", "c.yaml:4:26: warning NK103 at doors.ssh.sequence[1]: The knock steps 7000/udp and 7050/udp follow each other on neighbouring ports, so a sweep that hits one soon hits the other. Spread the ports at least 100 apart.")]
    [InlineData("[9000/udp, 8000/tcp, 7000/udp, 6990/udp]", "c.yaml:4:15: warning NK102 at doors.ssh.sequence: The knock ports are in falling order, the order a sequential sweep walks them. Shuffle the order.", "c.yaml:4:46: warning NK103 at doors.ssh.sequence[3]: The knock steps 7000/udp and 6990/udp follow each other on neighbouring ports, so a sweep that hits one soon hits the other. Spread the ports at least 100 apart.")]
    public void Sweep_prone_sequences_warn_but_stay_usable(string sequence, string first, string second)
    {
        var result = ConfigReader.Read($"doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: {sequence}\n");

        result.IsValid.ShouldBeTrue();
        result.Diagnostics.Select(d => d.Format("c.yaml")).ShouldBe([first, second]);
    }

    [Fact]
    public void Rising_order_and_a_single_step_warn()
    {
        Diagnose("doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [7000/udp, 8000/tcp, 9000/udp]").ShouldBe(
            ["c.yaml:4:15: warning NK102 at doors.ssh.sequence: The knock ports are in rising order, the order a sequential sweep walks them. Shuffle the order."]);
        Diagnose("doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [7000/udp]").ShouldBe(
            ["c.yaml:4:15: warning NK101 at doors.ssh.sequence: The sequence has only 1 step, which a port sweep finds quickly. Use at least 3 steps."]);
    }
}
