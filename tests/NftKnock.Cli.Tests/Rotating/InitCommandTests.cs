using NftKnock.Core.Config;
using NftKnock.Core.Rotating;

namespace NftKnock.Cli.Tests.Rotating;

/// <summary>nftknock init in a temporary folder.</summary>
public sealed class InitCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("nftknock-init-").FullName;
    private readonly StringWriter output = new();
    private readonly StringWriter error = new();

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string ConfigPath => Path.Join(folder, "etc", "nftknock.yaml");

    private Task<int> Run(params string[] args) => NftKnockApp.RunAsync(args, new CliContext { Out = output, Error = error });

    [Fact]
    public async Task Init_writes_a_random_sequence_that_draws_no_warning_and_prints_the_profile()
    {
        (await Run("init", "-o", ConfigPath, "--host", "bastion.example.org")).ShouldBe(0);

        var result = ConfigReader.Read(File.ReadAllText(ConfigPath));
        result.Diagnostics.ShouldBeEmpty();
        var steps = result.Config!.Doors.ShouldHaveSingleItem().Sequence;
        steps.Count.ShouldBe(4);
        output.ToString().ShouldBe(
            "# ~/.config/nftknock/client.yaml on the machine you connect from (%APPDATA%\\nftknock\\client.yaml on Windows)\n"
            + "hosts:\n  bastion.example.org:\n    port: 22\n"
            + $"    sequence: [{string.Join(", ", steps)}]\n");
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(ConfigPath).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    [Fact]
    public async Task Init_without_host_names_the_server_by_its_fully_qualified_name_and_says_so()
    {
        var context = new CliContext { Out = output, Error = error, HostNames = () => ("bastion", "bastion.example.org") };
        (await NftKnockApp.RunAsync(["init", "-o", ConfigPath], context)).ShouldBe(0);

        output.ToString().ShouldContain("hosts:\n  bastion.example.org:\n");
        error.ToString().ShouldStartWith("nftknock: the client profile names this server bastion.example.org, its fully qualified name. If clients reach it by another name, pass --host NAME.\n");
    }

    [Fact]
    public async Task Init_on_a_machine_without_a_fully_qualified_name_uses_the_short_name_and_warns()
    {
        var context = new CliContext { Out = output, Error = error, HostNames = () => ("bastion", null) };
        (await NftKnockApp.RunAsync(["init", "-o", ConfigPath], context)).ShouldBe(0);

        output.ToString().ShouldContain("hosts:\n  bastion:\n");
        error.ToString().ShouldStartWith("nftknock: the client profile names this server bastion, its short host name (the resolver knows no fully qualified name for it). Clients elsewhere may not resolve it: pass --host NAME with the name they reach it by.\n");
    }

    [Fact]
    public async Task Init_with_host_uses_it_and_says_nothing_about_the_name()
    {
        var context = new CliContext { Out = output, Error = error, HostNames = () => throw new InvalidOperationException("--host was given") };
        (await NftKnockApp.RunAsync(["init", "-o", ConfigPath, "--host", "b.example"], context)).ShouldBe(0);

        output.ToString().ShouldContain("hosts:\n  b.example:\n");
        error.ToString().ShouldNotContain("names this server");
    }

    [Fact]
    public async Task Two_inits_draw_different_sequences()
    {
        (await Run("init", "-o", ConfigPath)).ShouldBe(0);
        (await Run("init", "-o", ConfigPath + ".2")).ShouldBe(0);

        File.ReadAllText(ConfigPath).ShouldNotBe(File.ReadAllText(ConfigPath + ".2"));
    }

    [Fact]
    public async Task Init_rotating_writes_an_owner_only_secret_and_a_profile_with_the_same_secret()
    {
        (await Run("init", "--rotating", "--door", "vpn", "--protect", "51820/udp", "-o", ConfigPath, "--host", "b.example")).ShouldBe(0);

        var secretPath = Path.Join(folder, "etc", "vpn.secret");
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(secretPath).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var result = ConfigReader.Read(File.ReadAllText(ConfigPath), path => new SecretFileContent(File.ReadAllText(path), null, null));
        result.Diagnostics.ShouldBeEmpty();
        var door = result.Config!.Doors.ShouldHaveSingleItem();
        door.Rotating!.Exclude.ShouldHaveSingleItem().PortsText.ShouldBe("51820");
        RotatingSecret.TryParse(File.ReadAllText(secretPath), out var secret).ShouldBe(RotatingSecret.Problem.None);
        output.ToString().ShouldBe(
            "# ~/.config/nftknock/client.yaml on the machine you connect from (%APPDATA%\\nftknock\\client.yaml on Windows)\n"
            + "hosts:\n  b.example:\n    port: 51820\n    rotating:\n      door: vpn\n"
            + $"      secret: {Convert.ToBase64String(secret)}\n"
            + "      knocks: 3\n      period: 30s\n      ports: 10000-65000\n      exclude: [51820]\n");
    }

    [Fact]
    public async Task Init_never_overwrites_a_config_or_a_secret()
    {
        Directory.CreateDirectory(Path.Join(folder, "etc"));
        File.WriteAllText(Path.Join(folder, "etc", "ssh.secret"), "keep me\n");

        (await Run("init", "--rotating", "-o", ConfigPath)).ShouldBe(2);
        error.ToString().ShouldBe($"nftknock: {Path.Join(folder, "etc", "ssh.secret")} already exists, and init never overwrites. Pass another path with -o (or --secret-file), or move the file away.\n");
        File.Exists(ConfigPath).ShouldBeFalse();
        File.ReadAllText(Path.Join(folder, "etc", "ssh.secret")).ShouldBe("keep me\n");

        File.WriteAllText(ConfigPath, "mine\n");
        (await Run("init", "-o", ConfigPath)).ShouldBe(2);
        File.ReadAllText(ConfigPath).ShouldBe("mine\n");
    }

    [Fact]
    public async Task A_bad_door_name_or_port_writes_nothing()
    {
        (await Run("init", "--door", "SSH", "--protect", "99999", "-o", ConfigPath)).ShouldBe(2);

        error.ToString().ShouldBe(
            "nftknock: The door name 'SSH' is invalid. Use a lowercase letter followed by up to 15 lowercase letters, digits or underscores.\n"
            + "nftknock: '99999' is not a port or port range. Write PORT/tcp or FIRST-LAST/tcp with ports in 1..65535 and FIRST not above LAST, like 22/tcp or 6000-6010/tcp.\n");
        File.Exists(ConfigPath).ShouldBeFalse();
    }
}
