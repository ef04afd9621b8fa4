using NftKnock.Core.Config;
using NftKnock.Core.Rotating;
using NftKnock.Server.Nftables;
using NftKnock.Server.Rotation;

namespace NftKnock.Cli.Tests.Rotating;

/// <summary>rotate and apply with rotating doors, in-process against the nft fake and a manual clock.</summary>
public sealed partial class RotateCommandTests : IDisposable
{
    private static readonly DateTimeOffset Boundary = new(2026, 11, 21, 22, 0, 0, TimeSpan.Zero);

    private readonly string folder = Directory.CreateTempSubdirectory("nftknock-rotate-").FullName;
    private readonly StringWriter output = new();
    private readonly StringWriter error = new();
    private readonly FakeNftables nft = new();
    private readonly TestClock clock = new(Boundary);
    private string bootId = "4f1c0de2b00t";

    public RotateCommandTests()
    {
        File.WriteAllText(SecretPath, RotatingSecret.Format(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(SecretPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.WriteAllText(ConfigPath, $"""
            doors:
              ssh:
                protect: [22/tcp]
                rotating: {"{"}secret-file: {SecretPath}, period: 4s{"}"}
            """);
    }

    private string SecretPath => Path.Join(folder, "ssh.secret");

    private string ConfigPath => Path.Join(folder, "nftknock.yaml");

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private CliContext Context() => new()
    {
        Out = output,
        Error = error,
        Time = clock,
        Nftables = () => nft,
        IsPrivileged = () => true,
        Environment = Environment,
        BootId = () => bootId,
    };

    /// <summary>Run and state directories inside the test's folder, never the host's.</summary>
    private string? Environment(string name) => name switch
    {
        "NFTKNOCK_RUN_DIR" => Path.Join(folder, "run"),
        "NFTKNOCK_STATE_DIR" => Path.Join(folder, "state"),
        _ => null,
    };

    private Task<int> Run(params string[] args) => NftKnockApp.RunAsync(args, Context());

    private Task<int> Run(CancellationToken cancel, params string[] args) => NftKnockApp.RunAsync(args, Context(), cancel);

    /// <summary>
    /// A listing of a table that apply loaded: the maps and the door's step chains. Another table handle
    /// stands for a table recreated since, whose chains the kernel numbered anew.
    /// </summary>
    private void Loaded(int handle = 1) => nft.Tables["nftknock"] = """
        {"nftables": [{"metainfo": {"json_schema_version": 1}},
          {"table": {"family": "inet", "name": "nftknock", "handle": 1}},
          {"map": {"family": "inet", "name": "dispatch", "table": "nftknock", "type": ["inet_proto", "inet_service"], "handle": 2, "map": "verdict"}},
          {"map": {"family": "inet", "name": "rotating", "table": "nftknock", "type": ["inet_service", "integer"], "handle": 3, "map": "verdict", "flags": ["timeout"]}},
          {"chain": {"family": "inet", "table": "nftknock", "name": "ssh_step1", "handle": 4}},
          {"chain": {"family": "inet", "table": "nftknock", "name": "ssh_step2", "handle": 5}},
          {"chain": {"family": "inet", "table": "nftknock", "name": "ssh_step3", "handle": 6}}]}
        """.Replace("\"handle\": 1}", $"\"handle\": {handle}}}", StringComparison.Ordinal)
        .Replace("\"handle\": 4}", $"\"handle\": {(handle * 10) + 4}}}", StringComparison.Ordinal)
        .Replace("\"handle\": 5}", $"\"handle\": {(handle * 10) + 5}}}", StringComparison.Ordinal)
        .Replace("\"handle\": 6}", $"\"handle\": {(handle * 10) + 6}}}", StringComparison.Ordinal);

    private string Expected(DateTimeOffset at, long floor = long.MinValue)
    {
        var config = ConfigReader.Read(File.ReadAllText(ConfigPath), _ => new SecretFileContent(File.ReadAllText(SecretPath), null, null)).Config!;
        return RotationScript.Build("nftknock", config.Doors, at, new Dictionary<string, long> { ["ssh"] = floor });
    }

    private static readonly TimeSpan Period = TimeSpan.FromSeconds(4);

    private static long Window(DateTimeOffset at) => RotatingDerivation.Window(at, Period);

    [Fact]
    public async Task Rotate_keeps_the_newest_window_served_on_disk()
    {
        Loaded();

        (await Run("rotate", "--once", "-c", ConfigPath)).ShouldBe(0);

        var w = Window(Boundary);
        File.ReadAllText(Path.Join(folder, "state", "nftknock.served")).ShouldBe(
            "# nftknock: windows served by rotate and apply; never edit while they run\n"
            + $"boot {bootId}\ntable-handle 1\nwall-ms {Boundary.ToUnixTimeMilliseconds()}\nmonotonic-ms 3600000\n"
            + $"table-print {TablePrint.Of(NftJson.ReadTable(nft.Tables["nftknock"]))}\n"
            + $"door ssh 4000 {w + 1} {w - 1} 1\n");
    }

    [Fact]
    public async Task Rotate_with_the_clock_stepped_back_loads_no_window_already_served_and_says_so()
    {
        Loaded();
        (await Run("rotate", "--once", "-c", ConfigPath)).ShouldBe(0);
        var w = Window(Boundary);

        clock.Step(-3 * Period);
        (await Run("rotate", "--once", "-c", ConfigPath)).ShouldBe(0);

        nft.Scripts[1].Script.ShouldBe("flush map inet nftknock rotating\n");
        error.ToString().ShouldBe(
            $"nftknock: door ssh: the clock (2026-11-21T21:59:48.000Z) is behind window {w + 1}, which was already served, or the table lost its claims since; "
            + "its knocks stay unloaded until 2026-11-21T22:00:04.000Z so that no captured knock works twice. Check the clock (nftknock doctor).\n");

        // Once the clock is back and moves on, only windows never served are written, even though nothing looks wrong any more.
        clock.Step(3 * Period);
        clock.Advance(Period);
        (await Run("rotate", "--once", "-c", ConfigPath)).ShouldBe(0);
        nft.Scripts[2].Script.ShouldBe(Expected(Boundary + Period, floor: w + 2));
        nft.Scripts[2].Script.Split('\n').Count(l => l.Contains("goto ssh_step", StringComparison.Ordinal)).ShouldBe(3);
    }

    [Theory]
    [InlineData("reboot")]
    [InlineData("recreated table")]
    public async Task Rotate_after_claims_were_lost_loads_only_windows_never_served(string how)
    {
        Loaded();
        (await Run("rotate", "--once", "-c", ConfigPath)).ShouldBe(0);
        var w = Window(Boundary);

        if (how == "reboot")
        {
            bootId = "an0th3rb00t";
        }
        else
        {
            Loaded(handle: 9);
        }

        clock.Advance(Period);
        (await Run("rotate", "--once", "-c", ConfigPath)).ShouldBe(0);

        nft.Scripts[1].Script.ShouldBe(Expected(Boundary + Period, floor: w + 2));
        error.ToString().ShouldBeEmpty();
    }

    [Fact]
    public async Task Apply_after_a_reboot_in_the_same_window_loads_no_window_already_served()
    {
        (await Run("apply", "-c", ConfigPath)).ShouldBe(0);
        var w = Window(Boundary);
        nft.Tables.Clear();
        bootId = "an0th3rb00t";
        clock.Advance(TimeSpan.FromSeconds(1));

        (await Run("apply", "-c", ConfigPath)).ShouldBe(0);

        nft.Scripts[1].Script.ShouldEndWith("flush map inet nftknock rotating\n");
        error.ToString().ShouldContain($"\nnftknock: door ssh: the clock (2026-11-21T22:00:01.000Z) is behind window {w + 1}, which was already served");
    }

    [Fact]
    public async Task Rotate_once_writes_the_three_windows_in_one_batch_and_says_when_to_run_again()
    {
        Loaded();

        (await Run("rotate", "--once", "-c", ConfigPath)).ShouldBe(0);

        nft.Scripts.ShouldHaveSingleItem().ShouldBe((Expected(Boundary), false));
        nft.Scripts[0].Script.Split('\n').Count(l => l.Contains("goto ssh_step", StringComparison.Ordinal)).ShouldBe(9);
        output.ToString().ShouldBe("2026-11-21T22:00:00.000Z rotated ssh: 9 knocks of the previous, current and next windows; next rotation at 2026-11-21T22:00:04.000Z.\n");
        error.ToString().ShouldBeEmpty();
    }

    [Fact]
    public async Task Rotate_without_a_loaded_table_asks_for_apply()
    {
        (await Run("rotate", "--once", "-c", ConfigPath)).ShouldBe(1);

        error.ToString().ShouldBe("nftknock: table inet nftknock is not loaded, so there is nowhere to write knocks. Run nftknock apply first.\n");
        nft.Scripts.ShouldBeEmpty();
    }

    [Fact]
    public async Task Rotate_names_a_door_that_the_loaded_table_does_not_have_yet()
    {
        nft.Tables["nftknock"] = """
            {"nftables": [{"metainfo": {"json_schema_version": 1}},
              {"table": {"family": "inet", "name": "nftknock", "handle": 1}},
              {"map": {"family": "inet", "name": "dispatch", "table": "nftknock", "type": ["inet_proto", "inet_service"], "handle": 2, "map": "verdict"}}]}
            """;

        (await Run("rotate", "--once", "-c", ConfigPath)).ShouldBe(1);

        error.ToString().ShouldBe("nftknock: door ssh is in the config but not in the loaded table, so its knocks are not written yet. Run nftknock apply to load it.\n");
        nft.Scripts.ShouldBeEmpty();
    }

    [Fact]
    public async Task Rotate_writes_a_door_with_clients_only_to_a_table_with_each_client_s_last_step()
    {
        File.WriteAllText(ConfigPath, $"""
            doors:
              ssh:
                protect: [22/tcp]
                rotating: {"{"}clients: [{"{"}name: alice, secret-file: {SecretPath}{"}"}], period: 4s{"}"}
            """);
        var alice = Core.Ruleset.Names.StepChain("ssh", 3, "alice");

        // A table applied before the door had clients has only the shared last step.
        Loaded();
        (await Run("rotate", "--once", "-c", ConfigPath)).ShouldBe(1);
        error.ToString().ShouldBe("nftknock: door ssh: client alice is in the config but not loaded yet, so only the loaded clients' knocks are written. Run nftknock apply to load it.\n");

        nft.Tables["nftknock"] = nft.Tables["nftknock"].Replace(
            "\"name\": \"ssh_step3\", \"handle\": 16}}",
            $"\"name\": \"ssh_step3\", \"handle\": 16}}}},\n  {{\"chain\": {{\"family\": \"inet\", \"table\": \"nftknock\", \"name\": \"{alice}\", \"handle\": 7}}}}",
            StringComparison.Ordinal);
        (await Run("rotate", "--once", "-c", ConfigPath)).ShouldBe(0);

        var script = nft.Scripts.ShouldHaveSingleItem().Script;
        script.ShouldBe(Expected(Boundary));
        script.ShouldContain($": goto {alice}");
        System.Text.RegularExpressions.Regex.IsMatch(script, @"goto ssh_step3\b").ShouldBeFalse();
    }

    [Fact]
    public async Task Rotate_with_no_rotating_door_is_a_usage_error()
    {
        File.WriteAllText(ConfigPath, "doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [17000/udp, 41000/udp, 23000/udp]\n");

        (await Run("rotate", "--once", "-c", ConfigPath)).ShouldBe(2);

        error.ToString().ShouldBe($"nftknock: {ConfigPath} has no rotating doors, so there is nothing to rotate. Give a door rotating: instead of sequence:.\n");
    }

    [Fact]
    public async Task Rotate_needs_privileges()
    {
        var context = new CliContext { Out = output, Error = error, Time = clock, Nftables = () => nft, IsPrivileged = () => false, Environment = Environment };

        (await NftKnockApp.RunAsync(["rotate", "-c", ConfigPath], context)).ShouldBe(4);
    }

    [Fact]
    public async Task Rotate_wakes_at_each_window_boundary_until_stopped()
    {
        Loaded();
        clock.Advance(TimeSpan.FromMilliseconds(1500));
        using var stop = new CancellationTokenSource();

        var running = Run(stop.Token, "rotate", "-c", ConfigPath);
        await WaitUntil(() => nft.Scripts.Count == 1 && clock.Waiting == 1);
        clock.Advance(TimeSpan.FromMilliseconds(2499));
        await Task.Delay(100);
        nft.Scripts.Count.ShouldBe(1, "not before the boundary");
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await WaitUntil(() => nft.Scripts.Count == 2 && clock.Waiting == 1);
        clock.Advance(TimeSpan.FromSeconds(4));
        await WaitUntil(() => nft.Scripts.Count == 3 && clock.Waiting == 1);
        await stop.CancelAsync();

        (await running).ShouldBe(0);
        nft.Scripts.Select(s => s.Script).ShouldBe([
            Expected(Boundary + TimeSpan.FromMilliseconds(1500)),
            Expected(Boundary + TimeSpan.FromSeconds(4)),
            Expected(Boundary + TimeSpan.FromSeconds(8)),
        ]);
        error.ToString().ShouldBe("nftknock: rotation stopped; rotating doors close within two periods.\n");
    }

    [Fact]
    public async Task Apply_loads_the_current_windows_in_the_same_batch_as_the_table()
    {
        (await Run("apply", "-c", ConfigPath)).ShouldBe(0);

        var script = nft.Scripts.ShouldHaveSingleItem().Script;
        script.ShouldContain("map rotating {");
        script.ShouldEndWith(Expected(Boundary));
        output.ToString().ShouldEndWith("Rotating door ssh: the current windows' knocks are loaded. Keep nftknock rotate running, or it closes within two periods.\n");
    }

    [Fact]
    public async Task A_missing_secret_file_stops_apply_with_its_line()
    {
        File.Delete(SecretPath);

        (await Run("apply", "-c", ConfigPath)).ShouldBe(2);

        error.ToString().ShouldBe(
            $"{ConfigPath}:4:29: error NK069 at doors.ssh.rotating.secret-file: The secret file {SecretPath} cannot be read: the file does not exist. Create it with nftknock init --rotating, or fix the path.\n"
            + $"{ConfigPath}:4:{39 + SecretPath.Length}: warning NK111 at doors.ssh.rotating.period: A period of 4s leaves little room for clock skew and slow links. Use 10s or more unless this is a test.\n");
        nft.Scripts.ShouldBeEmpty();
    }

    [Fact]
    public async Task Render_needs_no_secret()
    {
        File.Delete(SecretPath);

        (await Run("render", "-c", ConfigPath)).ShouldBe(0);

        output.ToString().ShouldContain("udp dport . @th,64,64 vmap @rotating");
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(25);
        }

        condition().ShouldBeTrue();
    }
}
