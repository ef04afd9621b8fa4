using NftKnock.Core.Config;

namespace NftKnock.Cli.Tests.Deploy;

public sealed class InstallTests : IDisposable
{
    private readonly CliHarness cli = new();

    public void Dispose() => cli.Dispose();

    private string Root => Path.Combine(cli.Directory, "root");

    private string Under(string path) => Path.Combine(Root, path.TrimStart('/'));

    private async Task InstallAsync()
    {
        var binary = cli.Write("nftknock-binary", "#!/bin/sh\necho nftknock 0.1.0\n");
        (await cli.RunAsync("install", "--root", Root, "--binary", binary)).ShouldBe(ExitCodes.Ok, cli.Error.ToString());
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Install_puts_binary_units_and_a_root_only_config_directory_in_place()
    {
        await InstallAsync();

        File.GetUnixFileMode(Under("/usr/local/bin/nftknock")).ShouldBe((UnixFileMode)Convert.ToInt32("755", 8));
        File.GetUnixFileMode(Under("/etc/nftknock")).ShouldBe((UnixFileMode)Convert.ToInt32("700", 8));
        File.GetUnixFileMode(Under("/etc/nftknock/nftknock.yaml")).ShouldBe((UnixFileMode)Convert.ToInt32("600", 8));
        var unit = File.ReadAllText(Under("/etc/systemd/system/nftknock.service"));
        unit.ShouldContain("ExecStart=/usr/local/bin/nftknock apply -c /etc/nftknock/nftknock.yaml");
        unit.ShouldNotContain("/usr/bin/nftknock");
        File.ReadAllText(Under("/etc/systemd/system/nftknock-rotate.service")).ShouldContain("ExecStart=/usr/local/bin/nftknock rotate");
        cli.Out.ToString().ShouldEndWith("Next: edit /etc/nftknock/nftknock.yaml, run nftknock doctor, then nftknock apply --confirm 60s, then systemctl enable nftknock.service." + Environment.NewLine);
    }

    [Fact]
    public async Task The_service_never_removes_the_table_so_a_restart_or_reload_never_leaves_a_port_unguarded()
    {
        await InstallAsync();

        var lines = File.ReadAllLines(Under("/etc/systemd/system/nftknock.service"));

        // systemctl restart runs ExecStop, then ExecStart: a stop that removed the table opened every protected port in between.
        lines.Where(l => l.StartsWith("ExecStop", StringComparison.Ordinal)).ShouldBeEmpty();
        lines.Where(l => l.StartsWith("Exec", StringComparison.Ordinal)).ShouldBe([
            "ExecStart=/usr/local/bin/nftknock apply -c /etc/nftknock/nftknock.yaml",
            "ExecReload=/usr/local/bin/nftknock apply -c /etc/nftknock/nftknock.yaml",
        ]);
        File.ReadAllLines(Under("/etc/systemd/system/nftknock-rotate.service")).ShouldNotContain(l => l.Contains("nftknock remove", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_sample_config_is_valid_and_warns_about_nothing()
    {
        await InstallAsync();
        var result = ConfigReader.Read(File.ReadAllText(Under("/etc/nftknock/nftknock.yaml")));
        result.Config.ShouldNotBeNull();
        result.Diagnostics.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_sample_config_gets_a_random_sequence_of_its_own()
    {
        await InstallAsync();
        var first = ConfigReader.Read(File.ReadAllText(Under("/etc/nftknock/nftknock.yaml"))).Config!.Doors.Single().Sequence;
        Directory.Delete(Under("/etc/nftknock"), recursive: true);
        await InstallAsync();
        var second = ConfigReader.Read(File.ReadAllText(Under("/etc/nftknock/nftknock.yaml"))).Config!.Doors.Single().Sequence;

        PublicSequences.Known.ShouldNotContain(PublicSequences.Key(first));
        second.ShouldNotBe(first);
        File.ReadAllText(Under("/etc/nftknock/nftknock.yaml")).ShouldNotContain("CHANGE THE SEQUENCE");
        cli.Out.ToString().ShouldContain("with a random sequence of its own.");
    }

    [Fact]
    public async Task Reinstalling_keeps_an_edited_config()
    {
        await InstallAsync();
        File.WriteAllText(Under("/etc/nftknock/nftknock.yaml"), "# mine\n");

        await InstallAsync();

        File.ReadAllText(Under("/etc/nftknock/nftknock.yaml")).ShouldBe("# mine\n");
        cli.Out.ToString().ShouldContain($"Kept the existing config {Under("/etc/nftknock/nftknock.yaml")}.");
    }

    [Fact]
    public async Task Uninstall_removes_binary_and_units_but_keeps_configs_and_secrets()
    {
        await InstallAsync();
        File.WriteAllText(Under("/etc/nftknock/ssh.secret"), "c2VjcmV0\n");

        (await cli.RunAsync("uninstall", "--root", Root)).ShouldBe(ExitCodes.Ok);

        File.Exists(Under("/usr/local/bin/nftknock")).ShouldBeFalse();
        File.Exists(Under("/etc/systemd/system/nftknock.service")).ShouldBeFalse();
        File.Exists(Under("/etc/systemd/system/nftknock-rotate.service")).ShouldBeFalse();
        File.Exists(Under("/etc/nftknock/nftknock.yaml")).ShouldBeTrue();
        File.Exists(Under("/etc/nftknock/ssh.secret")).ShouldBeTrue();
    }

    [Fact]
    public async Task Uninstall_with_purge_also_removes_configs_and_secrets()
    {
        await InstallAsync();

        (await cli.RunAsync("uninstall", "--root", Root, "--purge")).ShouldBe(ExitCodes.Ok);

        Directory.Exists(Under("/etc/nftknock")).ShouldBeFalse();
    }

    [Fact]
    public async Task Install_under_dotnet_without_a_binary_is_a_usage_error()
    {
        (await cli.RunAsync("install", "--root", Root, "--binary", "/usr/share/dotnet/dotnet")).ShouldBe(ExitCodes.Usage);
        Directory.Exists(Root).ShouldBeFalse();
    }
}
