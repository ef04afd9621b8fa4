using NftKnock.Core.Model;
using NftKnock.Server.Doctor;
using NftKnock.Server.Host;
using NftKnock.Server.Nftables;
using NftKnock.Server.Tests.Deploy;

namespace NftKnock.Server.Tests.Doctor;

/// <summary>Doctor's checks, driven through the fake nft and the fake host: nothing here reads this machine.</summary>
public sealed class DoctorTests
{
    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Deploy", "Fixtures", name));

    private static readonly ServerConfig Ssh = Configs.Read(Configs.Ssh);

    [Theory]
    [InlineData("drop-22.json", CheckStatus.Fail, "table inet hostfw chain input (priority 0) has a rule that drops 22/tcp")]
    [InlineData("policy-drop-no-accept.json", CheckStatus.Fail, "table inet hostfw chain input (priority 0) has policy drop and no rule that accepts 22/tcp")]
    [InlineData("accepts-22.json", CheckStatus.Pass, "1 other input or prerouting chain(s) let the protected ports through")]
    [InlineData("jump-accepts-22.json", CheckStatus.Pass, "1 other input or prerouting chain(s) let the protected ports through")]
    [InlineData("only-ours.json", CheckStatus.Pass, "no other table has an input or prerouting filter chain")]
    public void Foreign_input_chains_that_drop_a_protected_port_fail_the_host_firewall_check(string fixture, CheckStatus status, string detail)
    {
        // The fixtures are real nft -j list ruleset output; our own table in them is named nkdtest.
        var check = ForeignChains.Check(Fixture(fixture), Ssh with { Table = "nkdtest" });
        check.Status.ShouldBe(status);
        check.Detail.ShouldContain(detail);
        (check.Fix is null).ShouldBe(status == CheckStatus.Pass);
    }

    [Fact]
    public void Our_own_input_chain_is_not_a_foreign_one()
    {
        var ours = ForeignChains.Check(Fixture("only-ours.json"), Ssh with { Table = "nkdtest" });
        var someoneElses = ForeignChains.Check(Fixture("only-ours.json"), Ssh with { Table = "other" });
        ours.Status.ShouldBe(CheckStatus.Pass);
        // Seen from another table, ours decides 22/tcp through a verdict map, which the check cannot read.
        someoneElses.Status.ShouldBe(CheckStatus.Warn);
        someoneElses.Detail.ShouldContain("table inet nkdtest chain input (priority -10)");
    }

    /// <summary>A host firewall whose input chain holds one rule, with <paramref name="matches"/> and a drop.</summary>
    private static string OneRule(string matches) => $$$"""
        {"nftables": [
          {"chain": {"family": "inet", "table": "hostfw", "name": "input", "handle": 1, "type": "filter", "hook": "input", "prio": 0, "policy": "accept"}},
          {"rule": {"family": "inet", "table": "hostfw", "chain": "input", "handle": 2, "expr": [{{{matches}}}, {"drop": null}]}}
        ]}
        """;

    private static string Match(string left, string right) => $$$"""{"match": {"op": "==", "left": {{{left}}}, "right": {{{right}}}}}""";

    [Theory]
    [InlineData("""{"payload": {"protocol": "ip", "field": "protocol"}}""", "6", CheckStatus.Fail)]
    [InlineData("""{"meta": {"key": "l4proto"}}""", "6", CheckStatus.Fail)]
    [InlineData("""{"meta": {"key": "l4proto"}}""", "\"udp\"", CheckStatus.Pass)]
    [InlineData("""{"meta": {"key": "l4proto"}}""", "\"@protocols\"", CheckStatus.Warn)]
    public void A_foreign_rule_s_protocol_and_port_matches_are_read_as_the_nat_walk_reads_them(string left, string right, CheckStatus status)
    {
        var rule = Match(left, right) + ", " + Match("""{"payload": {"protocol": "th", "field": "dport"}}""", """{"set": [{"range": [20, 30]}]}""");

        ForeignChains.Check(OneRule(rule), Ssh).Status.ShouldBe(status);
    }

    private const string ProcTcp = """
          sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1000 1 0000000000000000 100 0 0 10 0
           1: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 1001 1 0000000000000000 20 4 30 10 -1
        """;

    [Fact]
    public void Listening_sockets_are_read_from_proc_net()
    {
        Listeners.Parse(ProcTcp, Protocol.Tcp).ShouldBe([22]);
        Listeners.Parse(ProcTcp.Replace(" 0A ", " 07 ", StringComparison.Ordinal), Protocol.Udp).ShouldBe([22]);
    }

    [Fact]
    public void A_protected_port_with_a_listener_passes_and_one_without_warns()
    {
        Listeners.Check(Ssh, new HashSet<(Protocol, int)> { (Protocol.Tcp, 22) }).Status.ShouldBe(CheckStatus.Pass);
        var silent = Listeners.Check(Ssh, new HashSet<(Protocol, int)> { (Protocol.Udp, 22), (Protocol.Tcp, 2222) });
        silent.Status.ShouldBe(CheckStatus.Warn);
        silent.Detail.ShouldBe("nothing listens on 22/tcp (door ssh), so a knock opens a port nobody answers");
    }

    [Fact]
    public void A_protected_port_the_host_has_no_listener_for_warns()
    {
        var host = new FakeHost().Listen(Protocol.Udp, 22).Listen(Protocol.Tcp, 2222);

        Listeners.Read(host).ShouldBe([(Protocol.Udp, 22), (Protocol.Tcp, 2222)], ignoreOrder: true);
        Listeners.Check(Ssh, Listeners.Read(host)).ShouldBe(DoctorCheck.Warn(
            "listeners",
            "nothing listens on 22/tcp (door ssh), so a knock opens a port nobody answers",
            "Start the service (for SSH: systemctl start ssh), or correct the door's protect list."));
        Listeners.Check(Ssh, Listeners.Read(host.Listen(Protocol.Tcp, 22))).ShouldBe(DoctorCheck.Pass("listeners", "a service listens on every protected port"));
    }

    [Fact]
    public void Secret_files_the_host_calls_unsafe_fail_and_safe_ones_pass()
    {
        const string Secret = "/etc/nftknock/ssh.key";
        var host = new FakeHost();
        host.SecretFiles[Secret] = null;
        SecretFiles.Check([Secret], host).ShouldBe(DoctorCheck.Pass("secret files", "1 secret file(s), owner-only (0600)"));

        host.SecretFiles[Secret] = "its mode 0640 lets group or other users read or write it";
        SecretFiles.Check([Secret], host).ShouldBe(DoctorCheck.Fail(
            "secret files",
            $"not safe: {Secret}: its mode 0640 lets group or other users read or write it",
            $"chown root:root {Secret}; chmod 600 {Secret}; keep them as regular files in a directory only root can write (like /etc/nftknock); then make new secrets, since the old ones may have been read."));

        SecretFiles.Check([Secret, "/etc/nftknock/bob.key"], host).ShouldBe(DoctorCheck.Fail(
            "secret files",
            "missing: /etc/nftknock/bob.key",
            "Create the secret (nftknock init --rotating) or fix the path in the config."));
        SecretFiles.Check([], host).ShouldBe(DoctorCheck.Pass("secret files", "the config names no secret files"));
    }

    [Fact]
    public void Secret_files_on_a_host_without_file_modes_warn()
    {
        var host = new FakeHost { ChecksFileModes = false };
        SecretFiles.Check(["/etc/nftknock/ssh.key"], host)
            .ShouldBe(DoctorCheck.Warn("secret files", "file modes cannot be checked on Windows", "Run nftknock doctor on the Linux server."));
    }

    [Fact]
    public async Task Doctor_reads_listeners_the_clock_and_secrets_from_its_host()
    {
        var host = new FakeHost { Clock = ClockState.Unsynchronised };
        host.SecretFiles["/etc/nftknock/alice.key"] = "it is a symbolic link";

        var checks = await new DoctorService(new FakeNftables(), host).RunAsync(new DoctorInputs(RotatingSsh(TimeSpan.FromSeconds(30)), ["/etc/nftknock/alice.key"]));

        checks.Single(c => c.Name == Listeners.Name).Detail.ShouldBe("nothing listens on 22/tcp (door ssh), so a knock opens a port nobody answers");
        checks.Single(c => c.Name == SecretFiles.Name).Detail.ShouldBe("not safe: /etc/nftknock/alice.key: it is a symbolic link");
        checks.Single(c => c.Name == DoctorService.ClockName).Status.ShouldBe(CheckStatus.Fail);
        checks.Select(c => c.Name).ShouldBe(["nft version", "kernel features", "host firewall", "published ports", "listeners", "secret files", "sequences", "clock sync", "rotation", "log lines", "table", "audit mode"]);
    }

    [Theory]
    [InlineData("nftables v1.0.6 (Lester Gooch #5)", CheckStatus.Pass)]
    [InlineData("nftables v1.1.1 (Commodore Bullmoose #2)", CheckStatus.Pass)]
    [InlineData("nftables v1.0.2 (Lester Gooch)", CheckStatus.Warn)]
    [InlineData("nftables v0.9.8 (E.D.S.)", CheckStatus.Fail)]
    public async Task Nft_versions_before_the_tested_release_warn_and_before_1_0_fail(string line, CheckStatus status)
    {
        var check = await NftChecks.VersionAsync(new FakeNftables { Version = line }, CancellationToken.None);
        check.Status.ShouldBe(status);
    }

    [Fact]
    public async Task A_failing_nft_listing_fails_its_checks_and_doctor_goes_on()
    {
        var nft = new FakeNftables { ListingFails = new NftException(NftFailureKind.Refused, "Error: Could not process rule: Cannot allocate memory\n", null) };

        var checks = await new DoctorService(nft, new FakeHost()).RunAsync(new DoctorInputs(Ssh, []));

        var host = checks.Single(c => c.Name == ForeignChains.Name);
        host.Status.ShouldBe(CheckStatus.Fail);
        host.Detail.ShouldBe("nft -j list ruleset failed: Error: Could not process rule: Cannot allocate memory");
        var drift = checks.Single(c => c.Name == Drift.Name);
        drift.Status.ShouldBe(CheckStatus.Fail);
        drift.Detail.ShouldBe("nft -j list table inet nftknock failed: Error: Could not process rule: Cannot allocate memory");
    }

    [Fact]
    public async Task A_version_query_that_fails_otherwise_than_missing_fails_the_version_check()
    {
        var nft = new FakeNftables { Missing = new NftException(NftFailureKind.Refused, "Error: broken\n", null) };

        var check = await NftChecks.VersionAsync(nft, CancellationToken.None);

        check.Status.ShouldBe(CheckStatus.Fail);
        check.Detail.ShouldBe("nft --version failed: Error: broken");
    }

    [Theory]
    [InlineData("1e17", "0")]
    [InlineData("100000000000000000", "0")]
    [InlineData("-1", "0")]
    [InlineData("\"60000\"", "0")]
    [InlineData("60000", "99999999999999999")]
    public void A_pending_apply_with_values_out_of_range_is_a_format_error(string windowMs, string takenAtMs)
    {
        var json = $"{{\"token\":\"t\",\"table\":\"nftknock\",\"applierPid\":1,\"snapshot\":null,\"windowMs\":{windowMs},\"takenAtMs\":{takenAtMs}}}";

        Should.Throw<FormatException>(() => Safety.PendingApply.FromJson(json));
        Safety.PendingApply.FromJson(json.Replace(windowMs, "60000", StringComparison.Ordinal).Replace(takenAtMs, "0", StringComparison.Ordinal)).Window.ShouldBe(TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task A_missing_nft_fails_the_version_check()
    {
        var nft = new FakeNftables { Missing = new NftException(NftFailureKind.NotInstalled, "nft not found", null) };
        var check = await NftChecks.VersionAsync(nft, CancellationToken.None);
        check.ShouldBe(DoctorCheck.Fail(NftChecks.VersionName, "nft is not installed", "apt-get install nftables (or your distribution's nftables package)."));
    }

    [Fact]
    public async Task Feature_probes_are_dry_runs_and_a_refused_one_fails_with_nfts_error()
    {
        var nft = new FakeNftables();
        (await NftChecks.FeaturesAsync(nft, null, CancellationToken.None)).Status.ShouldBe(CheckStatus.Pass);
        nft.Scripts.ShouldAllBe(s => s.CheckOnly);

        nft.Refuse = script => script.Contains("delete @s", StringComparison.Ordinal)
            ? new NftException(NftFailureKind.Refused, "/dev/stdin:9:3-23: Error: Could not process rule: Operation not supported\n", script)
            : null;
        var refused = await NftChecks.FeaturesAsync(nft, null, CancellationToken.None);
        refused.Status.ShouldBe(CheckStatus.Fail);
        refused.Detail.ShouldBe("the kernel refuses: dynamic sets with timeouts, updated and deleted from the packet path (Error: Could not process rule: Operation not supported)");
    }

    [Fact]
    public async Task Without_root_the_nft_checks_warn_instead_of_failing()
    {
        var checks = await new DoctorService(new FakeNftables(), new FakeHost()).RunAsync(new DoctorInputs(Ssh, [], Privileged: false));
        checks.Single(c => c.Name == NftChecks.FeaturesName).Status.ShouldBe(CheckStatus.Warn);
        checks.Single(c => c.Name == Drift.Name).Detail.ShouldBe("skipped: needs root");
    }

    private static string Skipped(IEnumerable<DoctorCheck> checks) =>
        string.Join("; ", checks.Where(c => c.Detail.StartsWith("skipped: ", StringComparison.Ordinal)).Select(c => $"{c.Name}: {c.Detail} {c.Fix}"));

    [Fact]
    public async Task Without_root_nft_is_asked_only_its_version_and_the_checks_that_need_more_say_so()
    {
        var nft = new FakeNftables();

        var checks = await new DoctorService(nft, new FakeHost()).RunAsync(new DoctorInputs(Ssh, [], Privileged: false));

        nft.Calls.ShouldBe(1);
        Skipped(checks).ShouldBe(string.Join("; ", new[] { "kernel features", "host firewall", "published ports", "table", "audit mode" }
            .Select(name => $"{name}: skipped: needs root Run nftknock doctor with sudo.")));
        checks.Single(c => c.Name == DoctorService.RotationName).Detail.ShouldBe("not applicable: no rotating doors");
    }

    [Fact]
    public async Task A_broken_nft_skips_every_check_that_asks_it_and_no_config_skips_the_checks_that_read_one()
    {
        var nft = new FakeNftables { Missing = new NftException(NftFailureKind.NotInstalled, "nft not found", null) };

        var broken = await new DoctorService(nft, new FakeHost()).RunAsync(new DoctorInputs(Ssh, []));
        var noConfig = await new DoctorService(new FakeNftables(), new FakeHost()).RunAsync(new DoctorInputs(null, []));

        Skipped(broken).ShouldBe(string.Join("; ", new[] { "kernel features", "host firewall", "published ports", "table", "audit mode" }
            .Select(name => $"{name}: skipped: nft does not work Install nftables first.")));
        Skipped(noConfig).ShouldBe(string.Join("; ", new[] { "host firewall", "published ports", "listeners", "sequences", "rotation", "log lines", "table", "audit mode" }
            .Select(name => $"{name}: skipped: no valid config Pass the config with -c FILE, or fix the errors nftknock check reports.")));
        noConfig.Single(c => c.Name == NftChecks.FeaturesName).Status.ShouldBe(CheckStatus.Pass);
    }

    private static ServerConfig RotatingSsh(TimeSpan period) => Ssh with
    {
        Doors = [Ssh.Doors[0] with { Sequence = [], Rotating = new RotatingDoor(3, period, RotatingDoor.DefaultPorts, [], [new RotatingClient("alice", "/etc/nftknock/alice.key", new byte[32])]) }],
    };

    [Fact]
    public async Task Clock_and_rotation_checks_do_not_apply_without_rotating_doors()
    {
        var checks = await new DoctorService(new FakeNftables(), new FakeHost { Clock = ClockState.Unsynchronised }).RunAsync(new DoctorInputs(Ssh, []));
        checks.Where(c => c.Name is DoctorService.ClockName or DoctorService.RotationName)
            .Select(c => $"{c.Status} {c.Name}: {c.Detail}")
            .ShouldBe(["Warn clock sync: not applicable: no rotating doors", "Warn rotation: not applicable: no rotating doors"]);
    }

    [Fact]
    public void A_synchronised_clock_passes_the_clock_check_of_a_rotating_door()
    {
        var check = ClockSync.Check(RotatingSsh(TimeSpan.FromSeconds(30)), () => ClockState.Synchronised);
        check.ShouldBe(DoctorCheck.Pass("clock sync", "the kernel reports the clock synchronised"));
    }

    [Fact]
    public void An_unsynchronised_clock_fails_the_clock_check_of_a_rotating_door()
    {
        var check = ClockSync.Check(RotatingSsh(TimeSpan.FromSeconds(30)), () => ClockState.Unsynchronised);
        check.ShouldBe(DoctorCheck.Fail(
            "clock sync",
            "the clock is not synchronised, so rotating doors (ssh) may expect other knocks than clients send",
            "Enable NTP: apt-get install systemd-timesyncd or chrony."));
    }

    [Fact]
    public void A_clock_the_kernel_cannot_report_warns()
    {
        var check = ClockSync.Check(RotatingSsh(TimeSpan.FromSeconds(30)), () => ClockState.Unknown);
        check.Status.ShouldBe(CheckStatus.Warn);
        check.Detail.ShouldBe("cannot tell whether the clock is synchronised");
    }

    [Fact]
    public void Rotating_knocks_with_more_than_half_a_period_left_pass_the_rotation_check()
    {
        // The fixture's latest ssh elements have 56 s left: current for 30 s windows.
        var check = NftKnock.Server.Doctor.Rotation.Check(RotatingSsh(TimeSpan.FromSeconds(30)), NftJson.ReadTable(Tests.Fixture.Read("rotating-live.json")));
        check.ShouldBe(DoctorCheck.Pass("rotation", "the knocks of 1 rotating door(s) are current"));
    }

    [Fact]
    public void A_one_knock_door_with_clients_is_current_when_its_knocks_go_to_the_clients_own_last_steps()
    {
        var alice = new RotatingClient("alice", "/etc/nftknock/alice.key", new byte[32]);
        var config = Ssh with
        {
            Doors = [Ssh.Doors[0] with { Sequence = [], Rotating = new RotatingDoor(1, TimeSpan.FromSeconds(30), RotatingDoor.DefaultPorts, [], [alice]) { HasClients = true } }],
        };
        var target = Core.Ruleset.Names.StepChain("ssh", 1, "alice");
        var table = """
            {"nftables": [{"metainfo": {"json_schema_version": 1}},
              {"table": {"family": "inet", "name": "nftknock", "handle": 1}},
              {"map": {"family": "inet", "name": "rotating", "table": "nftknock", "type": ["inet_service", "integer"], "map": "verdict", "flags": ["timeout"],
               "elem": [[{"elem": {"val": {"concat": [23563, 1]}, "timeout": 60, "expires": 56}}, {"goto": {"target": "TARGET"}}]]}}]}
            """.Replace("TARGET", target, StringComparison.Ordinal);

        NftKnock.Server.Doctor.Rotation.Check(config, NftJson.ReadTable(table)).ShouldBe(DoctorCheck.Pass("rotation", "the knocks of 1 rotating door(s) are current"));
    }

    [Fact]
    public void A_client_in_the_config_but_not_loaded_yet_does_not_make_rotation_look_stopped()
    {
        // rotate serves the loaded clients (alice, bob) and leaves carol out until apply loads her.
        var clients = new[] { "alice", "bob", "carol" }.Select(n => new RotatingClient(n, $"/etc/nftknock/{n}.key", new byte[32])).ToList();
        var config = Ssh with
        {
            Doors = [Ssh.Doors[0] with { Sequence = [], Rotating = new RotatingDoor(3, TimeSpan.FromSeconds(30), RotatingDoor.DefaultPorts, [], clients) { HasClients = true } }],
        };

        NftKnock.Server.Doctor.Rotation.Check(config, NftJson.ReadTable(Tests.Fixture.Read("rotating-clients-live.json")))
            .ShouldBe(DoctorCheck.Pass("rotation", "the knocks of 1 rotating door(s) are current"));
    }

    [Fact]
    public void Rotating_knocks_about_to_expire_fail_the_rotation_check()
    {
        // 56 s left is less than half of a 2 min window: nothing has written the next windows.
        var check = NftKnock.Server.Doctor.Rotation.Check(RotatingSsh(TimeSpan.FromMinutes(2)), NftJson.ReadTable(Tests.Fixture.Read("rotating-live.json")));
        check.ShouldBe(DoctorCheck.Fail(
            "rotation",
            "rotation is not running for door ssh",
            "Start it: systemctl enable --now nftknock-rotate.service (or run nftknock rotate)."));
    }

    [Fact]
    public void A_rotating_map_without_elements_fails_the_rotation_check()
    {
        const string Empty = """{"nftables": [{"table": {"family": "inet", "name": "nftknock", "handle": 1}}, {"map": {"family": "inet", "name": "rotating", "table": "nftknock", "type": ["inet_service", "integer"], "handle": 45, "map": "verdict", "flags": ["timeout"]}}]}""";
        var check = NftKnock.Server.Doctor.Rotation.Check(RotatingSsh(TimeSpan.FromSeconds(30)), NftJson.ReadTable(Empty));
        check.Status.ShouldBe(CheckStatus.Fail);
        check.Detail.ShouldBe("rotation is not running for door ssh");
    }

    [Fact]
    public async Task Doctor_reads_the_live_rotating_map_and_skips_rotation_when_the_table_is_absent()
    {
        var nft = new FakeNftables();
        var config = RotatingSsh(TimeSpan.FromSeconds(30));
        var absent = await new DoctorService(nft, new FakeHost()).RunAsync(new DoctorInputs(config, []));
        absent.Single(c => c.Name == DoctorService.RotationName).ShouldBe(DoctorCheck.Warn("rotation", "skipped: table inet nftknock is not loaded", "Run nftknock apply first (see the table check)."));

        nft.Tables["nftknock"] = Tests.Fixture.Read("rotating-live.json");
        var live = await new DoctorService(nft, new FakeHost()).RunAsync(new DoctorInputs(config, []));
        live.Single(c => c.Name == DoctorService.RotationName).Status.ShouldBe(CheckStatus.Pass);
        live.Single(c => c.Name == DoctorService.ClockName).Status.ShouldBe(CheckStatus.Pass);
    }

    [Fact]
    public void Doctor_json_lists_every_check_and_the_totals()
    {
        var json = DoctorCheck.ToJson([DoctorCheck.Pass("a", "fine"), DoctorCheck.Fail("b", "broken", "fix it")]);
        json.ShouldBe("""{"schemaVersion":1,"checks":[{"name":"a","status":"pass","detail":"fine","fix":null},{"name":"b","status":"fail","detail":"broken","fix":"fix it"}],"pass":1,"warn":0,"fail":1}""");
    }
}
