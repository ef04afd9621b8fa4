using System.Runtime.Versioning;

namespace NftKnock.Cli.Tests.Deploy;

/// <summary>One rule of "unsafe" for secret files, and check, apply, rotate and doctor all keep it.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class SecretSafetyTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly CliHarness cli = new();

    public void Dispose() => cli.Dispose();

    private string Secret(string name = "ssh.secret")
    {
        var path = cli.Write(name, Convert.ToBase64String(new byte[32]) + "\n");
        File.SetUnixFileMode(path, OwnerOnly);
        return path;
    }

    private string Config(string secret) =>
        cli.Write("nftknock.yaml", $"doors:\n  ssh:\n    protect: [22/tcp]\n    rotating:\n      secret-file: {secret}\n");

    private string DoctorLine() => cli.Out.ToString().Split(Environment.NewLine).Single(l => l.StartsWith("FAIL  secret files ", StringComparison.Ordinal) || l.StartsWith("PASS  secret files ", StringComparison.Ordinal));

    private static string Error(string path, string reason) =>
        $"error NK079 at doors.ssh.rotating.secret-file: The secret file {path} is not safe: {reason}. Other users could read it and knock, or replace it: run chown root:root {path} and chmod 600 {path}, keep it in a directory only root can write (like /etc/nftknock), and make a new secret, since the old one may have been read.";

    /// <summary>check and apply refuse (exit 2, nothing applied), rotate says so too, doctor fails with the same reason.</summary>
    private async Task AllRefuse(string secretInConfig, string reason)
    {
        var config = Config(secretInConfig);
        var line = $"{config}:5:20: {Error(secretInConfig, reason)}";

        (await cli.RunAsync("check", "-c", config)).ShouldBe(ExitCodes.Usage);
        cli.Error.ToString().ShouldBe(line + "\n");
        cli.Error.GetStringBuilder().Clear();

        (await cli.RunAsync("apply", "-c", config)).ShouldBe(ExitCodes.Usage);
        cli.Error.ToString().ShouldBe(line + "\n");
        cli.Nft.Applied.ShouldBeEmpty();
        cli.Error.GetStringBuilder().Clear();

        (await cli.RunAsync("rotate", "--once", "-c", config)).ShouldBe(ExitCodes.Usage);
        cli.Error.ToString().ShouldBe(line + "\n");
        cli.Nft.Applied.ShouldBeEmpty();

        (await cli.RunAsync("doctor", "-c", config)).ShouldBe(ExitCodes.Failure);
        DoctorLine().ShouldStartWith($"FAIL  secret files     not safe: {secretInConfig}: {reason}. Fix: chown root:root {secretInConfig}; chmod 600 {secretInConfig};");
    }

    [Fact]
    public async Task A_safe_secret_passes_everywhere()
    {
        var config = Config(Secret());

        (await cli.RunAsync("check", "-c", config)).ShouldBe(ExitCodes.Ok, cli.Error.ToString());
        (await cli.RunAsync("doctor", "-c", config)).ShouldBe(ExitCodes.Ok, cli.Out.ToString());
        DoctorLine().ShouldBe("PASS  secret files     1 secret file(s), owner-only (0600).");
    }

    [Theory]
    [InlineData("640")]
    [InlineData("604")]
    [InlineData("620")]
    public async Task A_secret_others_can_read_or_write_is_an_error(string mode)
    {
        var secret = Secret();
        File.SetUnixFileMode(secret, (UnixFileMode)Convert.ToInt32(mode, 8));

        await AllRefuse(secret, $"its mode 0{mode} lets group or other users read or write it");
    }

    [RootFact]
    public async Task A_secret_owned_by_another_user_is_an_error()
    {
        var secret = Secret();
        File.SetUnixFileMode(secret, OwnerOnly);
        Chown(secret, 65534);

        await AllRefuse(secret, "it is owned by uid 65534, not by uid 0 that runs nftknock");
    }

    [Fact]
    public async Task A_secret_behind_a_symbolic_link_is_an_error()
    {
        var target = Secret("real.secret");
        var link = Path.Combine(cli.Directory, "ssh.secret");
        File.CreateSymbolicLink(link, target);

        await AllRefuse(link, "it is a symbolic link");
    }

    [Fact]
    public async Task A_secret_in_a_directory_others_can_write_is_an_error()
    {
        var shared = Directory.CreateDirectory(Path.Combine(cli.Directory, "shared")).FullName;
        File.SetUnixFileMode(shared, (UnixFileMode)Convert.ToInt32("777", 8));
        var secret = Path.Combine(shared, "ssh.secret");
        File.WriteAllText(secret, Convert.ToBase64String(new byte[32]) + "\n");
        File.SetUnixFileMode(secret, OwnerOnly);

        await AllRefuse(secret, $"its directory {shared} (mode 0777) lets other users replace the file");
    }

    [Fact]
    public async Task A_sticky_directory_like_tmp_does_not_count_as_writable_by_others()
    {
        var sticky = Directory.CreateDirectory(Path.Combine(cli.Directory, "sticky")).FullName;
        File.SetUnixFileMode(sticky, (UnixFileMode)Convert.ToInt32("1777", 8));
        var secret = Path.Combine(sticky, "ssh.secret");
        File.WriteAllText(secret, Convert.ToBase64String(new byte[32]) + "\n");
        File.SetUnixFileMode(secret, OwnerOnly);

        (await cli.RunAsync("check", "-c", Config(secret))).ShouldBe(ExitCodes.Ok, cli.Error.ToString());
    }

    [Fact]
    public async Task An_inline_profile_secret_others_can_read_warns_on_every_use()
    {
        var profiles = cli.Write("client.yaml", $"hosts:\n  b.test:\n    rotating:\n      door: ssh\n      secret: {Convert.ToBase64String(new byte[32])}\n");
        File.SetUnixFileMode(profiles, (UnixFileMode)Convert.ToInt32("644", 8));
        var warning = $"{profiles}:5:15: warning NK112 at hosts.b.test.rotating.secret: secret: holds the secret inline, and the profiles file is not safe: its mode 0644 lets group or other users read or write it; other users could read the secret and knock. Run chmod 600 on the profiles file, or move the secret to a secret-file: that only you can read.\n";

        (await cli.RunAsync("ssh-config", "b.test", "--profiles", profiles)).ShouldBe(ExitCodes.Ok);
        (await cli.RunAsync("ssh-config", "b.test", "--profiles", profiles)).ShouldBe(ExitCodes.Ok);
        cli.Error.ToString().ShouldBe(warning + warning);

        cli.Error.GetStringBuilder().Clear();
        File.SetUnixFileMode(profiles, OwnerOnly);
        (await cli.RunAsync("ssh-config", "b.test", "--profiles", profiles)).ShouldBe(ExitCodes.Ok);
        cli.Error.ToString().ShouldBeEmpty();
    }

    private static void Chown(string path, int uid)
    {
        using var chown = System.Diagnostics.Process.Start("chown", [uid.ToString(System.Globalization.CultureInfo.InvariantCulture), path])!;
        chown.WaitForExit();
        chown.ExitCode.ShouldBe(0);
    }
}
