using System.Security.Cryptography;
using System.Text;
using NftKnock.Core.Rotating;
using NftKnock.Integration.Tests.Client;
using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests.Enrolment;

/// <summary>
/// Enrolment end to end, as an operator and a new user do it: <c>client add --qr --apply</c> on the
/// server, the QR code read back from the terminal by a real decoder, <c>import -</c> on the client,
/// and ssh through the ProxyCommand to a real sshd behind the rotating door.
/// </summary>
public sealed class QrEnrolmentTests
{
    private const string Host = "server.test";

    /// <summary>A rotating door whose one client, bob, is there before alice is added.</summary>
    private static string Config(SshRig rig)
    {
        var secret = Path.Join(rig.Dir, "bob.secret");
        File.WriteAllText(secret, RotatingSecret.Format(RandomNumberGenerator.GetBytes(32)));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return $"""
            doors:
              ssh:
                protect: [22/tcp]
                open-for: 10s
                rotating:
                  period: 30s
                  clients:
                    - {"{"}name: bob, secret-file: {secret}{"}"}

            """;
    }

    [KernelFact]
    public async Task A_client_added_with_a_qr_code_imports_the_decoded_link_and_gets_in_over_ssh()
    {
        await using var rig = await SshRig.StartAsync(Config, "nkqr");
        await rig.Lab.WriteHostsAsync(rig.Lab.Client, $"127.0.0.1 localhost\n{Lab.ServerV4} {Host}\n");

        var add = await rig.Lab.Server.NftknockAsync("client", "add", "alice", "-c", rig.ConfigPath, "--host", Host, "--qr", "--apply");

        add.ExitCode.ShouldBe(0, add.Stderr);
        var lines = add.Stdout.Split('\n');
        var link = lines.Single(l => l.StartsWith("nftknock://", StringComparison.Ordinal));
        var decoded = await QrCodes.DecodeAsync(QrCodes.TerminalRows(lines), Path.Join(rig.Dir, "qr.pbm"));
        decoded.ShouldBe(link, "the QR code drawn in the terminal holds the link");

        var import = await Proc.RunAsync(
            "ip",
            ["netns", "exec", rig.Lab.Client.Name, "env", $"XDG_CONFIG_HOME={rig.ConfigHome}", $"HOME={rig.Dir}", .. NftknockCli.Command("import", "-", "--program", Path.Join(rig.Dir, "nftknock"))],
            TimeSpan.FromSeconds(60),
            decoded + "\n");
        import.ExitCode.ShouldBe(0, import.Stderr);
        import.Stdout.ShouldContain($"Host {Host}");
        import.Stdout.ShouldContain("ProxyCommand ");

        var ssh = await rig.ClientAsync("ssh", Host, "echo", "alice-is-in");

        ssh.ExitCode.ShouldBe(0, ssh.Stderr);
        ssh.Stdout.ShouldBe("alice-is-in\n");
    }
}

/// <summary>QR codes as <c>client add --qr</c> draws them, read back by zbarimg as a phone camera would read the screen.</summary>
internal static class QrCodes
{
    /// <summary>The rows of the code in <paramref name="output"/>: the lines of half blocks and spaces after the link.</summary>
    public static IReadOnlyList<string> TerminalRows(IReadOnlyList<string> output)
    {
        var start = output.ToList().FindIndex(l => l.StartsWith("nftknock://", StringComparison.Ordinal)) + 1;
        return [.. output.Skip(start).SkipWhile(l => l.Length == 0).TakeWhile(l => l.Length > 0)];
    }

    /// <summary>
    /// Turns the drawn rows back into modules (a drawn half block is a light module, a blank one dark),
    /// writes them as a PBM eight pixels a module, and decodes it with zbarimg.
    /// </summary>
    public static async Task<string> DecodeAsync(IReadOnlyList<string> rows, string path)
    {
        await EnsureZbarAsync();
        var width = rows[0].Length;
        rows.ShouldAllBe(r => r.Length == width, "every row of the code is as wide as the first");
        const int Scale = 8;
        var image = new StringBuilder();
        image.Append(System.Globalization.CultureInfo.InvariantCulture, $"P1\n{width * Scale} {width * Scale}\n");
        for (var y = 0; y < width; y++)
        {
            var row = rows[y / 2];
            var pixels = new StringBuilder();
            for (var x = 0; x < width; x++)
            {
                var light = (row[x], y % 2) switch
                {
                    ('\u2588', _) => true,
                    ('\u2580', 0) => true,
                    ('\u2584', 1) => true,
                    _ => false,
                };
                pixels.Append(light ? '0' : '1', Scale);
            }

            for (var i = 0; i < Scale; i++)
            {
                image.Append(pixels).Append('\n');
            }
        }

        await File.WriteAllTextAsync(path, image.ToString());
        var zbar = await Proc.RunAsync("zbarimg", ["--raw", "-q", "-Sdisable", "-Sqrcode.enable", path], TimeSpan.FromSeconds(60));
        zbar.ExitCode.ShouldBe(0, $"zbarimg found no code: {zbar.Stderr}");
        return zbar.Stdout.TrimEnd('\n');
    }

    /// <summary>Installs zbarimg when it is missing, through the repository's one dependency script.</summary>
    private static async Task EnsureZbarAsync()
    {
        if (File.Exists("/usr/bin/zbarimg"))
        {
            return;
        }

        (await Proc.RunAsync("bash", [Repo.Path("scripts", "deps.sh")], TimeSpan.FromMinutes(10)))
            .EnsureSuccess("scripts/deps.sh (installs zbar-tools)");
    }
}
