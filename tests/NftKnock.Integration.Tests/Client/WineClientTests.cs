using NftKnock.Integration.Tests.Rotating;
using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests.Client;

/// <summary>
/// The Windows client (win-x64, self-contained) run by Wine inside the client namespace against a real
/// nftknock table: knock --check, a wrong knock's exit 3, and connect relaying a TCP service.
/// NFTKNOCK_WIN_CLIENT names the nftknock.exe of a folder publish (scripts/test.sh makes it with
/// LAYOUT=folder packaging/publish.sh win-x64): Wine cannot start the single-file bundle Windows users get.
/// </summary>
public sealed class WineClientTests
{
    private const string Config = """
        doors:
          ssh:
            protect: [22/tcp]
            sequence: [7000/udp, 8000/tcp, 9000/udp]
            open-for: 10s
        """;

    [WineFact]
    public async Task The_windows_client_knocks_and_connects_through_to_the_service()
    {
        Wine.ThrowIfMissing();
        await using var lab = await ServerSteps.StartServingAsync(Config);
        // Wine opens sockets in wineserver, so the prefix and its server live in the client namespace.
        await using var wine = await Wine.StartAsync(lab.Client);

        var wrong = await wine.RunAsync(null, "knock", Lab.ServerV4, "7000/udp", "9000/udp", "8000/tcp", "--check", "22", "--attempts", "2", "--connect-timeout", "200ms");
        wrong.ExitCode.ShouldBe(3, wrong.Stdout + wrong.Stderr);
        wrong.Stderr.ShouldContain($"nftknock: knocked 2 times on {Lab.ServerV4} but port 22 never opened.");
        (await lab.Client.CanConnectAsync(Lab.ServerV4, 22)).ShouldBeFalse();

        var knock = await wine.RunAsync(null, "knock", Lab.ServerV4, "7000/udp", "8000/tcp", "9000/udp", "--check", "22");
        knock.ExitCode.ShouldBe(0, knock.Stdout + knock.Stderr);
        knock.Stdout.ShouldBe($"Port 22 on {Lab.ServerV4} is open (attempt 1).\n");

        var connect = await wine.RunAsync("hello through wine\n", "connect", Lab.ServerV4, "22", "7000/udp", "8000/tcp", "9000/udp");
        connect.ExitCode.ShouldBe(0, connect.Stderr);
        connect.Stdout.ShouldBe("hello through wine\n");
    }

    [WineFact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task The_windows_client_imports_an_enrolment_link_and_knocks_the_rotating_door_with_it()
    {
        Wine.ThrowIfMissing();
        await using var lab = await RotatingLab.StartWithPrefixAsync("nkwi", ["seed"]);
        await lab.ApplyAsync(lab.Config(TimeSpan.FromMinutes(5), closeOnConnect: false, "seed"));
        var secrets = Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(lab.ConfigPath)!, "clients"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var add = await lab.Lab.Server.NftknockAsync("client", "add", "win", "--door", "ssh", "--host", Lab.ServerV4, "--secret-dir", secrets.FullName, "--apply", "--json", "-c", lab.ConfigPath);
        add.EnsureSuccess("nftknock client add --apply");
        using var added = System.Text.Json.JsonDocument.Parse(add.Stdout);
        var link = added.RootElement.GetProperty("link").GetString()!;
        link.ShouldStartWith("nftknock://");

        await using var wine = await Wine.StartAsync(lab.Lab.Client);
        var imported = await wine.RunAsync(link + "\n", "import", "-");
        imported.ExitCode.ShouldBe(0, imported.Stdout + imported.Stderr);
        imported.Stdout.ShouldContain("ProxyCommand");
        (await lab.Lab.Client.CanConnectAsync(Lab.ServerV4, 22)).ShouldBeFalse("closed before the imported profile knocks");

        var knock = await wine.RunAsync(null, "knock", Lab.ServerV4, "--check", "22");
        knock.ExitCode.ShouldBe(0, knock.Stdout + knock.Stderr);
        knock.Stdout.ShouldBe($"Port 22 on {Lab.ServerV4} is open (attempt 1).\n");

        var again = await wine.RunAsync(null, "import", link);
        again.ExitCode.ShouldBe(0, again.Stdout + again.Stderr);
        again.Stderr.ShouldContain("the link was given on the command line, so your shell history now holds its secret");
    }
}

/// <summary>A Wine prefix of its own in one namespace; disposing stops its wineserver and deletes it.</summary>
internal sealed class Wine : IAsyncDisposable
{
    /// <summary>Debian's wine64 loader.</summary>
    public const string Loader = "/usr/lib/wine/wine64";

    private const string WineServer = "/usr/lib/wine/wineserver";

    private readonly Netns ns;
    private readonly string prefix;

    private Wine(Netns ns, string prefix)
    {
        this.ns = ns;
        this.prefix = prefix;
    }

    /// <summary>The nftknock.exe under test, from NFTKNOCK_WIN_CLIENT.</summary>
    public static string? Client { get; } = Environment.GetEnvironmentVariable("NFTKNOCK_WIN_CLIENT") is { Length: > 0 } exe ? Path.GetFullPath(exe) : null;

    /// <summary>Why the Windows client cannot run here, or null when it can.</summary>
    public static string? Reason =>
        KernelRequirements.Reason
        ?? (File.Exists(Loader) ? null : $"needs {Loader} (apt-get install -y --no-install-recommends wine64)")
        ?? (Client is null ? "needs NFTKNOCK_WIN_CLIENT, the nftknock.exe of a win-x64 folder publish (scripts/test.sh sets it)" : null)
        ?? (File.Exists(Client) ? null : $"no Windows client at {Client}");

    /// <summary>Throws when the Windows client cannot run here (so CI fails loudly).</summary>
    public static void ThrowIfMissing()
    {
        if (Reason is { } reason)
        {
            throw new InvalidOperationException($"Wine test cannot run: {reason}");
        }
    }

    /// <summary>Creates the prefix inside <paramref name="ns"/> (wineboot: several seconds, bounded at two minutes).</summary>
    public static async Task<Wine> StartAsync(Netns ns)
    {
        var wine = new Wine(ns, Directory.CreateTempSubdirectory("nkwine").FullName);
        try
        {
            (await wine.ExecAsync(TimeSpan.FromMinutes(2), null, Loader, "wineboot", "--init")).EnsureSuccess("wineboot");
            return wine;
        }
        catch
        {
            await wine.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs nftknock.exe with <paramref name="args"/>; <paramref name="stdin"/> is written then closed.</summary>
    public Task<ProcResult> RunAsync(string? stdin, params string[] args) =>
        ExecAsync(TimeSpan.FromSeconds(60), stdin, Loader, [Client!, .. args]);

    public async ValueTask DisposeAsync()
    {
        await ExecAsync(TimeSpan.FromSeconds(30), null, WineServer, "-k");
        Directory.Delete(prefix, recursive: true);
    }

    private Task<ProcResult> ExecAsync(TimeSpan timeout, string? stdin, string file, params string[] args) =>
        Proc.RunAsync("ip", ["netns", "exec", ns.Name, "env", $"WINEPREFIX={prefix}", "WINEDEBUG=-all", file, .. args], timeout, stdin);
}

/// <summary>A Wine test: skipped off CI when the machine cannot run it, failed on CI.</summary>
public sealed class WineFactAttribute : FactAttribute
{
    /// <summary>Sets Skip when Wine or the Windows client is missing and this is not CI.</summary>
    public WineFactAttribute()
    {
        if (Wine.Reason is { } reason && !KernelRequirements.OnCi)
        {
            Skip = $"Wine test skipped: {reason}.";
        }
    }
}
