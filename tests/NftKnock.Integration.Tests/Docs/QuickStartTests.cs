using System.Globalization;
using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests.Docs;

/// <summary>
/// The quick starts run as written: every command of the blocks a document marks <c>```sh quickstart</c>
/// runs in a lab, server commands (those starting with sudo) in the server namespace with a private
/// /etc, the others in the client namespace, where bastion.example.org is the server. sudo runs the
/// command as it is (the test is root), and systemctl starts what the packaged unit would. A client
/// command reads the last <c>nftknock://</c> link a server command printed on its standard input, as
/// if pasted. Each command must exit 0.
/// </summary>
public sealed class QuickStartTests
{
    private const string Host = "bastion.example.org";

    public static TheoryData<string, string[]> Documents() => new()
    {
        { "README.md", ["sudo nftknock init --rotating", "systemctl enable --now nftknock-rotate.service", "client add alice", "nftknock import -", "nftknock knock bastion.example.org --check", "client revoke alice --apply"] },
        { "docs/rotating.md", ["sudo nftknock init --rotating", "systemctl enable --now nftknock-rotate.service"] },
    };

    [KernelTheory]
    [MemberData(nameof(Documents))]
    public async Task The_quick_start_runs_as_written(string document, string[] expected)
    {
        var commands = QuickStartBlocks.Read(document, await File.ReadAllTextAsync(Repo.Path(document.Split('/'))));
        foreach (var part in expected)
        {
            commands.ShouldContain(c => c.Text.Contains(part, StringComparison.Ordinal), $"{document} marks a block with: {part}");
        }

        await using var lab = await Lab.StartAsync("nkdocs");
        await using var host = await QuickStartHost.StartAsync(lab);
        await lab.Server.EchoServiceAsync(22);
        await lab.WriteHostsAsync(lab.Client, $"127.0.0.1 localhost\n{Lab.ServerV4} {Host}\n");

        string? link = null;
        foreach (var command in commands)
        {
            var run = command.OnServer ? await host.ServerAsync(command.Text) : await host.ClientAsync(command.Text, link);
            run.ExitCode.ShouldBe(0, $"{command}\nstdout:\n{run.Stdout}\nstderr:\n{run.Stderr}");
            link = run.Stdout.Split('\n').LastOrDefault(l => l.StartsWith("nftknock://", StringComparison.Ordinal)) ?? link;
        }
    }
}

/// <summary>
/// Where the quick starts run: a mount namespace for the server whose /etc is an overlay (so
/// /etc/nftknock is the test's own and the machine's /etc is never written), a home for the client,
/// and stand-ins for sudo, systemctl and nftknock on PATH.
/// </summary>
internal sealed class QuickStartHost : IAsyncDisposable
{
    private readonly Lab lab;
    private readonly string dir;
    private System.Diagnostics.Process? holder;

    private QuickStartHost(Lab lab, string dir)
    {
        this.lab = lab;
        this.dir = dir;
    }

    private string Bin => Path.Join(dir, "bin");

    public static async Task<QuickStartHost> StartAsync(Lab lab)
    {
        var host = new QuickStartHost(lab, Directory.CreateTempSubdirectory("nkdocs-").FullName);
        try
        {
            await host.BuildAsync();
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs <paramref name="command"/> in the server's namespaces.</summary>
    public Task<ProcResult> ServerAsync(string command) =>
        Proc.RunAsync("nsenter", ["-t", holder!.Id.ToString(CultureInfo.InvariantCulture), "-m", "-n", "--", .. Shell(Path.Join(dir, "root"), command)], TimeSpan.FromMinutes(3));

    /// <summary>Runs <paramref name="command"/> in the client namespace, with <paramref name="stdin"/> as if pasted.</summary>
    public Task<ProcResult> ClientAsync(string command, string? stdin) =>
        Proc.RunAsync("ip", ["netns", "exec", lab.Client.Name, .. Shell(Path.Join(dir, "alice"), command)], TimeSpan.FromMinutes(3), stdin is null ? null : stdin + "\n");

    public async ValueTask DisposeAsync()
    {
        var pid = Path.Join(dir, "rotate.pid");
        if (File.Exists(pid) && int.TryParse(await File.ReadAllTextAsync(pid), CultureInfo.InvariantCulture, out var rotate))
        {
            await Proc.RunAsync("kill", ["--", $"-{rotate}"]);
        }

        if (holder is { HasExited: false })
        {
            holder.Kill(entireProcessTree: true);
            await holder.WaitForExitAsync();
        }

        holder?.Dispose();
        Directory.Delete(dir, recursive: true);
    }

    private string[] Shell(string home, string command) =>
        ["env", $"PATH={Bin}:{Environment.GetEnvironmentVariable("PATH")}", $"HOME={home}", $"XDG_CONFIG_HOME={home}/.config", "bash", "-e", "-o", "pipefail", "-c", command];

    private async Task BuildAsync()
    {
        foreach (var sub in new[] { "bin", "root", "alice", "upper", "work", "run", "state" })
        {
            Directory.CreateDirectory(Path.Join(dir, sub));
        }

        await Script("sudo", "#!/bin/sh\n# The test runs as root: sudo runs the command as it is.\nexec \"$@\"\n");
        await Script("nftknock", $"#!/bin/sh\nexec env NFTKNOCK_RUN_DIR={dir}/run NFTKNOCK_STATE_DIR={dir}/state {NftknockCli.ShellCommand} \"$@\"\n");
        await Script("systemctl", $$"""
            #!/bin/sh
            # What the packaged units would start, started here; anything else is not known to the test.
            case "$*" in
                "enable --now nftknock-rotate.service")
                    setsid nftknock rotate -c /etc/nftknock/nftknock.yaml >{{dir}}/rotate.log 2>&1 </dev/null &
                    echo $! >{{dir}}/rotate.pid
                    for i in $(seq 300); do grep -q ' rotated ' {{dir}}/rotate.log && exit 0; sleep 0.1; done
                    cat {{dir}}/rotate.log >&2; exit 1 ;;
                "enable nftknock.service") exit 0 ;;
                *) echo "systemctl $*: not something the quick-start test can stand in for" >&2; exit 1 ;;
            esac

            """);

        holder = lab.Server.Start("unshare", "--mount", "--propagation", "private", "sh", "-c",
            $"mount -t overlay overlay -o lowerdir=/etc,upperdir={dir}/upper,workdir={dir}/work /etc && echo ready && exec sleep 900");
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var ready = await holder.StandardOutput.ReadLineAsync(limit.Token);
        if (ready != "ready")
        {
            throw new InvalidOperationException($"no private /etc for the server: {await holder.StandardError.ReadToEndAsync(limit.Token)}");
        }
    }

    private async Task Script(string name, string text)
    {
        var path = Path.Join(Bin, name);
        await File.WriteAllTextAsync(path, text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
