using System.Diagnostics;
using System.Globalization;

namespace NftKnock.Testing.Namespaces;

/// <summary>
/// A real dockerd that lives inside one network namespace a test created, with its own data, exec and
/// pid paths in a temp dir, so it shares nothing with a Docker the machine may run. Its bridge and
/// containers take 198.19.0.0/24 and 2001:db8:d0::/64; nothing is pulled: the image is made offline
/// from busybox-static. Disposing removes the containers, stops the daemon (containerd and the shims
/// with it) and deletes the temp dir. Dispose it before the namespace.
/// </summary>
public sealed class DockerDaemon : IAsyncDisposable
{
    /// <summary>The image every container runs: busybox-static and a web page.</summary>
    public const string Image = "nftknock-test:1";

    /// <summary>What the containers' web server answers.</summary>
    public const string Page = "published by docker";

    private const string Bridge = "198.19.0.1/24";
    private const string Pool = "base=198.19.128.0/17,size=24";
    private const string BridgeV6 = "2001:db8:d0::/64";

    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

    private readonly string root;
    private readonly Process daemon;
    private readonly List<int> containerPids = [];
    private bool disposed;

    private DockerDaemon(string root, Process daemon)
    {
        this.root = root;
        this.daemon = daemon;
    }

    private string Socket => $"unix://{root}/docker.sock";

    /// <summary>
    /// Starts dockerd in <paramref name="ns"/>. It runs in a mount namespace of its own: <c>ip netns exec</c>
    /// remounts /sys, so the cgroup mounts are bound back in, and /etc/docker (where dockerd 20.10 writes
    /// its key) is a directory of the temp dir there.
    /// </summary>
    public static async Task<DockerDaemon> StartAsync(Netns ns)
    {
        DockerRequirements.ThrowIfMissing();
        var root = Path.Combine(Path.GetTempPath(), $"{ns.Name}-docker");
        foreach (var dir in new[] { "data", "exec", "etc", "cg", "rootfs" })
        {
            Directory.CreateDirectory(Path.Combine(root, dir));
        }

        await File.WriteAllTextAsync(Path.Combine(root, "daemon.json"), "{}\n");
        string[] dockerd =
        [
            "dockerd", "--data-root", $"{root}/data", "--exec-root", $"{root}/exec", "--pidfile", $"{root}/docker.pid",
            "-H", $"unix://{root}/docker.sock", "--config-file", $"{root}/daemon.json", "--storage-driver", "vfs",
            "--exec-opt", "native.cgroupdriver=cgroupfs", "--bip", Bridge, "--default-address-pool", Pool,
            "--userland-proxy=false", "--experimental", "--ipv6", "--ip6tables", "--fixed-cidr-v6", BridgeV6,
        ];
        var inner = $"mount --rbind {root}/cg /sys/fs/cgroup && mount --bind {root}/etc /etc/docker && exec {string.Join(' ', dockerd)} >{root}/dockerd.log 2>&1";
        var outer = $"mount --rbind /sys/fs/cgroup {root}/cg && exec ip netns exec {ns.Name} sh -c '{inner}'";
        var process = Proc.Start("env", ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "unshare", "--mount", "--propagation", "private", "sh", "-c", outer]);
        var docker = new DockerDaemon(root, process);
        try
        {
            await docker.WaitReadyAsync();
            await docker.ImportImageAsync();
            return docker;
        }
        catch
        {
            await docker.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs the docker client against this daemon.</summary>
    public Task<ProcResult> RunAsync(params string[] args) => Proc.RunAsync(DockerRequirements.Client, ["-H", Socket, .. args], TimeSpan.FromSeconds(60));

    /// <summary>
    /// Starts a container whose web server on port 80 answers <see cref="Page"/>, published as
    /// <c>-p <paramref name="publish"/></c>, and waits until it answers on its own addresses from <paramref name="host"/>.
    /// </summary>
    public async Task RunWebAsync(Netns host, string name, string publish)
    {
        (await RunAsync("run", "-d", "--name", name, "-p", publish, Image, "/bin/busybox", "httpd", "-f", "-p", "80", "-h", "/www"))
            .EnsureSuccess($"docker run {name}");
        var inspect = (await RunAsync("inspect", "-f", "{{.State.Pid}} {{.NetworkSettings.IPAddress}} {{.NetworkSettings.GlobalIPv6Address}}", name)).EnsureSuccess("docker inspect");
        var words = inspect.Stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        containerPids.Add(int.Parse(words[0], CultureInfo.InvariantCulture));
        foreach (var address in words.Skip(1))
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (!await host.CanConnectAsync(address, 80))
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"container {name} does not answer on {address}:80\n{await LogAsync()}");
                }

                await Task.Delay(100);
            }
        }
    }

    private async Task WaitReadyAsync()
    {
        var deadline = DateTime.UtcNow + StartLimit;
        while ((await Proc.RunAsync(DockerRequirements.Client, ["-H", Socket, "version"], TimeSpan.FromSeconds(10))).ExitCode != 0)
        {
            if (daemon.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"dockerd did not start within {StartLimit.TotalSeconds} s\n{await LogAsync()}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>The image: /bin/busybox with the applets the container runs, and the page, imported from a tar.</summary>
    private async Task ImportImageAsync()
    {
        var rootfs = Path.Combine(root, "rootfs");
        Directory.CreateDirectory(Path.Combine(rootfs, "bin"));
        Directory.CreateDirectory(Path.Combine(rootfs, "www"));
        File.Copy(DockerRequirements.Busybox, Path.Combine(rootfs, "bin", "busybox"));
        foreach (var applet in new[] { "sh", "httpd" })
        {
            File.CreateSymbolicLink(Path.Combine(rootfs, "bin", applet), "busybox");
        }

        await File.WriteAllTextAsync(Path.Combine(rootfs, "www", "index.html"), Page + "\n");
        (await Proc.RunAsync("bash", ["-c", $"tar -C {rootfs} -c . | {DockerRequirements.Client} -H {Socket} import - {Image}"], TimeSpan.FromSeconds(60)))
            .EnsureSuccess("docker import");
    }

    private async Task<string> LogAsync()
    {
        var log = Path.Combine(root, "dockerd.log");
        return File.Exists(log) ? string.Join('\n', (await File.ReadAllLinesAsync(log)).TakeLast(20)) : "(no dockerd log)";
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;

        // Containers run in network namespaces of their own, which the lab's cleanup does not reach: remove them first.
        var containers = daemon.HasExited ? null : await Proc.RunAsync(DockerRequirements.Client, ["-H", Socket, "ps", "-aq"], TimeSpan.FromSeconds(20));
        var ids = containers?.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        if (ids.Length > 0)
        {
            await Proc.RunAsync(DockerRequirements.Client, ["-H", Socket, "rm", "-f", .. ids], TimeSpan.FromSeconds(30));
        }

        // dockerd stops its containerd when asked to stop; kill whatever is left that this daemon started.
        if (!daemon.HasExited)
        {
            await Proc.RunAsync("kill", ["-TERM", daemon.Id.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(5));
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await daemon.WaitForExitAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        KillStartedFrom(root);
        foreach (var pid in containerPids)
        {
            Kill(pid);
        }

        try
        {
            daemon.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }

        daemon.Dispose();
        if (!File.ReadAllText("/proc/self/mountinfo").Contains(root, StringComparison.Ordinal))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Kills the processes whose command line names <paramref name="root"/>: containerd and its shims, which no longer descend from dockerd.</summary>
    private static void KillStartedFrom(string root)
    {
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(root, StringComparison.Ordinal))
                {
                    Kill(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    private static void Kill(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
            process.WaitForExit(5000);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
        }
    }
}
