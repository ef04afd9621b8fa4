namespace NftKnock.Cli.Tests.Deploy;

public sealed class DoctorCommandTests : IDisposable
{
    private readonly CliHarness cli = new();

    public void Dispose() => cli.Dispose();

    private string Line(string check) => cli.Out.ToString().Split(Environment.NewLine).Single(l => l.Length > 6 && l[6..].StartsWith(check + " ", StringComparison.Ordinal));

    [Fact]
    public async Task A_valid_config_passes_the_config_check_and_a_missing_table_warns()
    {
        var path = cli.Write("nftknock.yaml", "doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [7000/udp, 9000/tcp, 8000/udp]\n");

        (await cli.RunAsync("doctor", "-c", path)).ShouldBe(ExitCodes.Ok);

        Line("config").ShouldBe($"PASS  config           {path}: valid, 1 door.");
        Line("table").ShouldStartWith("WARN  table            table inet nftknock is not loaded, so nothing is protected. Fix: Run nftknock apply --confirm 60s");
        Line("sequences").ShouldBe("PASS  sequences        no door uses a sequence printed in nftknock's documentation.");
        Line("published ports").ShouldBe("PASS  published ports  no DNAT rule publishes a protected port.");
        cli.Out.ToString().ShouldEndWith("doctor: 9 passed, 4 warnings, 0 failed." + Environment.NewLine);
    }

    [Fact]
    public async Task A_sequence_from_the_documentation_draws_a_warning()
    {
        var path = cli.Write("nftknock.yaml", "doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [41873/udp, 12794/tcp, 30571/udp]\n");

        (await cli.RunAsync("doctor", "-c", path)).ShouldBe(ExitCodes.Ok);

        Line("sequences").ShouldBe("WARN  sequences        NK104: door ssh uses a sequence printed in nftknock's documentation, so anyone who has read it can knock. Fix: Use a fresh random sequence: nftknock init -o /tmp/fresh.yaml writes one to copy from.");
    }

    [Fact]
    public async Task An_invalid_config_fails_doctor_with_exit_1()
    {
        var path = cli.Write("nftknock.yaml", "doors:\n  ssh:\n    protect: [99999/tcp]\n    sequence: [7000/udp, 9000/tcp, 8000/udp]\n");

        (await cli.RunAsync("doctor", "-c", path)).ShouldBe(ExitCodes.Failure);

        Line("config").ShouldBe($"FAIL  config           {path} cannot be used. Fix: Fix the errors that nftknock check -c {path} reports.");
    }

    [Fact]
    public async Task A_missing_config_warns_and_skips_the_checks_that_need_it()
    {
        var path = Path.Combine(cli.Directory, "absent.yaml");

        (await cli.RunAsync("doctor", "-c", path)).ShouldBe(ExitCodes.Ok);

        Line("config").ShouldStartWith($"WARN  config           {path} does not exist.");
        Line("listeners").ShouldStartWith("WARN  listeners        skipped: no valid config.");
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_rotating_doors_secret_readable_by_others_fails_the_secret_check()
    {
        var secret = cli.Write("alice.key", Convert.ToBase64String(new byte[32]) + "\n");
        var path = cli.Write("nftknock.yaml", "doors:\n  ssh:\n    protect: [22/tcp]\n    rotating:\n      secret-file: alice.key\n");
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        (await cli.RunAsync("doctor", "-c", path)).ShouldBe(ExitCodes.Ok);
        Line("secret files").ShouldBe("PASS  secret files     1 secret file(s), owner-only (0600).");

        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        cli.Out.GetStringBuilder().Clear();
        (await cli.RunAsync("doctor", "-c", path)).ShouldBe(ExitCodes.Failure);

        Line("secret files").ShouldBe($"FAIL  secret files     not safe: {secret}: its mode 0644 lets group or other users read or write it. Fix: chown root:root {secret}; chmod 600 {secret}; keep them as regular files in a directory only root can write (like /etc/nftknock); then make new secrets, since the old ones may have been read.");
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_rotating_door_on_an_unsynchronised_clock_without_its_table_fails_the_clock_check()
    {
        var secret = cli.Write("alice.key", Convert.ToBase64String(new byte[32]) + "\n");
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var path = cli.Write("nftknock.yaml", "doors:\n  ssh:\n    protect: [22/tcp]\n    rotating:\n      secret-file: alice.key\n");
        cli.Clock = NftKnock.Server.Host.ClockState.Unsynchronised;

        (await cli.RunAsync("doctor", "-c", path)).ShouldBe(ExitCodes.Failure);

        Line("clock sync").ShouldBe("FAIL  clock sync       the clock is not synchronised, so rotating doors (ssh) may expect other knocks than clients send. Fix: Enable NTP: apt-get install systemd-timesyncd or chrony.");
        Line("rotation").ShouldBe("WARN  rotation         skipped: table inet nftknock is not loaded. Fix: Run nftknock apply first (see the table check).");
    }
}
