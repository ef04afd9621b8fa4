using System.Diagnostics;
using System.Text.RegularExpressions;
using NftKnock.Server.Namespaces;
using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests.Fleet;

/// <summary>
/// A fleet for the Ansible collection: a controller namespace joined to three server namespaces, each
/// server running its own sshd (own config, host key and authorized_keys, listening on its namespace
/// address only) and keeping nftknock's config, run and state directories in its own folder, since the
/// namespaces share one file system. ansible-playbook runs in the controller namespace with a home of
/// its own, and reaches the servers through <c>nftknock connect</c> as ssh ProxyCommand.
/// </summary>
internal sealed partial class FleetLab : IAsyncDisposable
{
    public static readonly string[] Hosts = ["s1.test", "s2.test", "s3.test"];

    private readonly NamespaceNetwork network;
    private readonly DirectoryInfo dir;

    private FleetLab(NamespaceNetwork network, DirectoryInfo dir)
    {
        this.network = network;
        this.dir = dir;
    }

    public string Dir => dir.FullName;

    public string Home => Path.Join(Dir, "home");

    public string Wrapper => Path.Join(Dir, "nftknock");

    public string LinksDir => Path.Join(Dir, "links");

    public static string Address(int server) => $"198.18.{40 + server}.2";

    public string ServerNs(int server) => network.Name($"s{server}");

    public string ServerDir(int server) => Path.Join(Dir, $"s{server}");

    public string ConfigPath(int server) => Path.Join(ServerDir(server), "etc", "nftknock.yaml");

    public static async Task<FleetLab> StartAsync()
    {
        KernelRequirements.ThrowIfMissing();
        await FleetTools.EnsureAsync();
        var links = Enumerable.Range(1, Hosts.Length)
            .Select(i => new VethLink($"s{i}", $"h{i}", $"e{i}", $"198.18.{40 + i}.1", Address(i), $"2001:db8:{40 + i}::1", $"2001:db8:{40 + i}::2"))
            .ToList();
        var network = await NamespaceNetwork.CreateAsync("ansible", "ctl", links);
        var lab = new FleetLab(network, Directory.CreateTempSubdirectory("ansible-fleet-"));
        try
        {
            await lab.BuildAsync();
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs one of the collection's playbooks in the controller namespace, bounded in time.</summary>
    public async Task<ProcResult> PlaybookAsync(string playbook, params string[] extra)
    {
        var watch = Stopwatch.StartNew();
        var result = await Proc.RunAsync("ip", [
            "netns", "exec", network.Name("ctl"), "env", "-u", "XDG_CONFIG_HOME", "-u", "SSH_AUTH_SOCK",
            $"HOME={Home}", "LC_ALL=C.UTF-8", "ANSIBLE_NOCOLOR=1", "ANSIBLE_RETRY_FILES_ENABLED=0",
            $"ANSIBLE_COLLECTIONS_PATH={Path.Join(Dir, "collections")}", "ANSIBLE_FORKS=5", "ANSIBLE_PIPELINING=1",
            $"ANSIBLE_LOCAL_TEMP={Path.Join(Home, ".ansible", "tmp")}",
            "ansible-playbook", "-i", Path.Join(Dir, "inventory.json"), $"nftknock.nftknock.{playbook}", .. extra,
        ], TimeSpan.FromMinutes(10));
        Console.WriteLine($"ansible-playbook {playbook} {string.Join(' ', extra)}: exit {result.ExitCode} after {watch.Elapsed.TotalSeconds:F0} s");
        return result;
    }

    /// <summary>The PLAY RECAP counters of <paramref name="host"/> (ok, changed, unreachable, failed, ...).</summary>
    public static Dictionary<string, int> Recap(ProcResult run, string host)
    {
        var line = run.Stdout.Split('\n').LastOrDefault(l => l.StartsWith(host + " ", StringComparison.Ordinal) && l.Contains("ok=", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"no recap line for {host}:\n{run.Stdout}\n{run.Stderr}");
        return RecapCounter().Matches(line).ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>ssh from the controller with the stanza the client role wrote: the ProxyCommand knocks.</summary>
    public Task<ProcResult> SshAsync(int server, string command) =>
        Proc.RunAsync("ip", ["netns", "exec", network.Name("ctl"), "env", "-u", "XDG_CONFIG_HOME", $"HOME={Home}",
            "ssh", "-F", Path.Join(Home, ".ssh", "config"), Hosts[server - 1], command], TimeSpan.FromSeconds(60));

    /// <summary>A plain TCP connect to the server's sshd from the controller, without a knock.</summary>
    public async Task<bool> PlainConnectAsync(int server)
    {
        var probe = await Proc.RunAsync("ip", ["netns", "exec", network.Name("ctl"), "timeout", "3", "bash", "-c", $"exec 3<>/dev/tcp/{Address(server)}/22"], TimeSpan.FromSeconds(10));
        return probe.ExitCode == 0;
    }

    /// <summary>The nftknock table loaded in a server's namespace, as nft lists it.</summary>
    public Task<ProcResult> TableAsync(int server) =>
        Proc.RunAsync("ip", ["netns", "exec", ServerNs(server), "nft", "list", "table", "inet", "nftknock"], TimeSpan.FromSeconds(30));

    public async ValueTask DisposeAsync()
    {
        // Every process in the namespaces (sshd, sessions, rollback watchers) was started by this lab.
        await network.DisposeAsync();
        dir.Delete(recursive: true);
    }

    private async Task BuildAsync()
    {
        Directory.CreateDirectory(Path.Join(Home, ".ssh"));
        Directory.CreateDirectory(LinksDir);
        (await Proc.RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", Path.Join(Home, ".ssh", "id_fleet")])).EnsureSuccess("client key");
        await File.WriteAllTextAsync(Wrapper, $"#!/bin/sh\nexec {NftknockCli.ShellCommand} \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Wrapper, (UnixFileMode)0b111_101_101);
        }

        var collections = Directory.CreateDirectory(Path.Join(Dir, "collections", "ansible_collections", "nftknock"));
        File.CreateSymbolicLink(Path.Join(collections.FullName, "nftknock"), Repo.Path("deploy", "ansible"));
        Directory.CreateDirectory("/run/sshd");
        for (var i = 1; i <= Hosts.Length; i++)
        {
            await StartSshdAsync(i);
        }

        await File.WriteAllTextAsync(Path.Join(Dir, "inventory.json"), FleetInventory.Json(this));
    }

    private async Task StartSshdAsync(int server)
    {
        var own = Directory.CreateDirectory(Path.Join(ServerDir(server), "sshd")).FullName;
        Directory.CreateDirectory(Path.Join(ServerDir(server), "tmp"));
        (await Proc.RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", Path.Join(own, "host_key")])).EnsureSuccess("host key");
        File.Copy(Path.Join(Home, ".ssh", "id_fleet.pub"), Path.Join(own, "authorized_keys"));
        await File.WriteAllTextAsync(Path.Join(own, "sshd_config"), SshdConfig.Text(own, [Address(server)], "MaxStartups 30"));
        network.Track(Proc.Start("ip", ["netns", "exec", ServerNs(server), "/usr/sbin/sshd", "-D", "-e", "-f", Path.Join(own, "sshd_config")]));
        for (var i = 0; i < 100; i++)
        {
            var ss = await Proc.RunAsync("ip", ["netns", "exec", ServerNs(server), "ss", "-ltn", "sport = :22"]);
            if (ss.Stdout.Contains(Address(server) + ":22", StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new InvalidOperationException($"sshd of s{server} did not listen on {Address(server)}:22");
    }

    [GeneratedRegex(@"(\w+)=(\d+)")]
    private static partial Regex RecapCounter();
}
