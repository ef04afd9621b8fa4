using System.Globalization;
using System.Text;
using NftKnock.Core.Config;
using NftKnock.Core.Model;
using NftKnock.Core.Rotating;
using NftKnock.Core.Ruleset;

namespace NftKnock.Cli.Tests.Rotating;

/// <summary>Day-two changes while rotate runs: a client or a door saved or applied, and nobody locked out.</summary>
public sealed partial class RotateCommandTests
{
    private string BobSecretPath => Path.Join(folder, "bob.secret");

    private string WebSecretPath => Path.Join(folder, "web.secret");

    private void WriteClientsConfig(params string[] clients)
    {
        WriteSecret(BobSecretPath, 100);
        var lines = clients.Select(c => $"        - {{name: {c}, secret-file: {(c == "bob" ? BobSecretPath : SecretPath)}}}\n");
        File.WriteAllText(ConfigPath, "doors:\n  ssh:\n    protect: [22/tcp]\n    rotating:\n      period: 4s\n      clients:\n" + string.Concat(lines));
    }

    private void WriteTwoDoorsConfig()
    {
        WriteSecret(WebSecretPath, 50);
        File.AppendAllText(ConfigPath, $"\n  web:\n    protect: [443/tcp]\n    rotating: {{secret-file: {WebSecretPath}, period: 4s}}\n");
    }

    private static void WriteSecret(string path, int first)
    {
        File.WriteAllText(path, RotatingSecret.Format(Enumerable.Range(first, 32).Select(i => (byte)i).ToArray()));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    /// <summary>A listing of a loaded table with the given chains and the claims sets of <paramref name="doors"/>.</summary>
    private void LoadedWith(int handle, IEnumerable<string> chains, params string[] doors)
    {
        var json = new StringBuilder();
        json.Append(CultureInfo.InvariantCulture, $$$"""
            {"nftables": [{"metainfo": {"json_schema_version": 1}},
              {"table": {"family": "inet", "name": "nftknock", "handle": {{{handle}}}}},
              {"map": {"family": "inet", "name": "dispatch", "table": "nftknock", "type": ["inet_proto", "inet_service"], "handle": 2, "map": "verdict"}},
              {"map": {"family": "inet", "name": "rotating", "table": "nftknock", "type": ["inet_service", "integer"], "handle": 3, "map": "verdict", "flags": ["timeout"]}}
            """);
        var h = 10;
        foreach (var chain in chains)
        {
            json.Append(CultureInfo.InvariantCulture, $",\n  {{\"chain\": {{\"family\": \"inet\", \"table\": \"nftknock\", \"name\": \"{chain}\", \"handle\": {h++}}}}}");
        }

        foreach (var name in doors.Select(Names.Claims))
        {
            json.Append(CultureInfo.InvariantCulture, $",\n  {{\"set\": {{\"family\": \"inet\", \"name\": \"{name}\", \"table\": \"nftknock\", \"type\": \"integer\", \"handle\": {h++}, \"flags\": [\"timeout\", \"dynamic\"]}}}}");
        }

        json.Append("]}");
        nft.Tables["nftknock"] = json.ToString();
    }

    private ServerConfig ReadConfig() =>
        ConfigReader.Read(File.ReadAllText(ConfigPath), path => new SecretFileContent(File.ReadAllText(path), null, null)).Config!;

    private static int Gotos(string script, string chainPrefix) =>
        script.Split('\n').Count(l => l.Contains($"goto {chainPrefix}", StringComparison.Ordinal));

    [Fact]
    public async Task Rotate_keeps_writing_the_loaded_clients_when_the_config_names_one_not_applied_yet()
    {
        WriteClientsConfig("alice", "bob");
        LoadedWith(1, ["ssh_step1", "ssh_step2", Names.StepChain("ssh", 3, "alice")], "ssh");

        (await Run("rotate", "--once", "-c", ConfigPath)).ShouldBe(0, error.ToString());

        var door = ReadConfig().Doors.Single();
        var aliceOnly = door with { Rotating = door.Rotating! with { Clients = [.. door.Rotating.Clients.Where(c => c.Name == "alice")] } };
        nft.Scripts.ShouldHaveSingleItem().Script.ShouldBe(RotationScript.Build("nftknock", [aliceOnly], Boundary));
        error.ToString().ShouldBe("nftknock: door ssh: client bob is in the config but not loaded yet, so only the loaded clients' knocks are written. Run nftknock apply to load it.\n");
    }

    [Fact]
    public async Task Rotate_names_a_loaded_client_that_the_config_no_longer_has_and_stops_writing_it()
    {
        WriteClientsConfig("alice");
        LoadedWith(1, ["ssh_step1", "ssh_step2", Names.StepChain("ssh", 3, "alice"), Names.StepChain("ssh", 3, "bob")], "ssh");

        (await Run("rotate", "--once", "-c", ConfigPath)).ShouldBe(0, error.ToString());

        Gotos(nft.Scripts.ShouldHaveSingleItem().Script, Names.StepChain("ssh", 3, "alice")).ShouldBe(3);
        Gotos(nft.Scripts[0].Script, Names.StepChain("ssh", 3, "bob")).ShouldBe(0);
        error.ToString().ShouldBe($"nftknock: door ssh: client {Names.ClientId("bob")} is loaded but no longer in the config, so its knocks are no longer written. Run nftknock apply to remove it from the table.\n");
    }

    [Fact]
    public async Task Apply_that_adds_a_second_rotating_door_keeps_the_first_door_s_current_windows_and_so_does_the_next_rotate()
    {
        (await Run("apply", "-c", ConfigPath)).ShouldBe(0, error.ToString());
        Gotos(nft.Scripts[0].Script, "ssh_step").ShouldBe(9);
        LoadedWith(1, ["ssh_step1", "ssh_step2", "ssh_step3"], "ssh");
        WriteTwoDoorsConfig();
        clock.Advance(TimeSpan.FromSeconds(1));

        (await Run("apply", "-c", ConfigPath)).ShouldBe(0, error.ToString());

        Gotos(nft.Scripts[1].Script, "ssh_step").ShouldBe(9, "the first door's windows t-1, t and t+1 stay loaded");
        Gotos(nft.Scripts[1].Script, "web_step").ShouldBe(9);
        error.ToString().ShouldNotContain("the clock");

        LoadedWith(1, ["ssh_step1", "ssh_step2", "ssh_step3", "web_step1", "web_step2", "web_step3"], "ssh", "web");
        clock.Advance(TimeSpan.FromSeconds(1));
        (await Run("rotate", "--once", "-c", ConfigPath)).ShouldBe(0, error.ToString());

        Gotos(nft.Scripts[2].Script, "ssh_step").ShouldBe(9);
        Gotos(nft.Scripts[2].Script, "web_step").ShouldBe(9);
        error.ToString().ShouldNotContain("the clock");
    }

    [Fact]
    public async Task A_door_whose_claims_set_an_apply_adds_anew_gets_only_windows_never_served_while_the_other_keeps_its_own()
    {
        WriteTwoDoorsConfig();
        LoadedWith(1, ["ssh_step1", "ssh_step2", "ssh_step3", "web_step1", "web_step2", "web_step3"], "ssh", "web");
        (await Run("rotate", "--once", "-c", ConfigPath)).ShouldBe(0, error.ToString());

        // web's claims were lost (its sets recreated), ssh's were kept.
        LoadedWith(1, ["ssh_step1", "ssh_step2", "ssh_step3"], "ssh");
        clock.Advance(TimeSpan.FromSeconds(1));
        (await Run("apply", "-c", ConfigPath)).ShouldBe(0, error.ToString());

        Gotos(nft.Scripts[1].Script, "ssh_step").ShouldBe(9);
        Gotos(nft.Scripts[1].Script, "web_step").ShouldBe(0);
        error.ToString().ShouldContain("nftknock: door web: the clock");
    }

    [Fact]
    public async Task A_running_rotate_warns_once_about_a_client_not_loaded_and_again_only_when_that_changes()
    {
        WriteClientsConfig("alice", "bob");
        LoadedWith(1, ["ssh_step1", "ssh_step2", Names.StepChain("ssh", 3, "alice")], "ssh");
        using var stop = new CancellationTokenSource();

        var running = Run(stop.Token, "rotate", "-c", ConfigPath);
        await WaitUntil(() => nft.Scripts.Count == 1 && clock.Waiting == 1);
        clock.Advance(Period);
        await WaitUntil(() => nft.Scripts.Count == 2 && clock.Waiting == 1);
        LoadedWith(1, ["ssh_step1", "ssh_step2", Names.StepChain("ssh", 3, "alice"), Names.StepChain("ssh", 3, "bob")], "ssh");
        clock.Advance(Period);
        await WaitUntil(() => nft.Scripts.Count == 3 && clock.Waiting == 1);
        await stop.CancelAsync();

        (await running).ShouldBe(0);
        error.ToString().ShouldBe(
            "nftknock: door ssh: client bob is in the config but not loaded yet, so only the loaded clients' knocks are written. Run nftknock apply to load it.\n"
            + "nftknock: rotation stopped; rotating doors close within two periods.\n");
        Gotos(nft.Scripts[2].Script, Names.StepChain("ssh", 3, "bob")).ShouldBe(3);
    }
}
