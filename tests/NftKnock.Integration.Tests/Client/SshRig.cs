using System.Diagnostics;
using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests.Client;

/// <summary>
/// A real OpenSSH server behind nftknock in a lab's server namespace, and everything an ssh client
/// in the client namespace needs: its own sshd config, host key, client key, a wrapper that runs the
/// CLI under test, an ssh_config made by <c>nftknock ssh-config</c>, and counters that see every SYN
/// to port 22 and every first knock, per family, before nftknock's table drops anything.
/// </summary>
internal sealed class SshRig : IAsyncDisposable
{
    public const string ServerConfig = """
        doors:
          ssh:
            protect: [22/tcp]
            sequence: [7000/udp, 8000/tcp, 9000/udp]
            open-for: 10s
        """;

    private const string Counters = """
        table inet nkc_count {
            counter syn22_v4 {}
            counter syn22_v6 {}
            counter knock_v4 {}
            counter knock_v6 {}
            counter syn8000 {}
            chain prerouting {
                type filter hook prerouting priority -400; policy accept;
                meta nfproto ipv4 tcp dport 22 tcp flags & (syn | ack) == syn counter name "syn22_v4"
                meta nfproto ipv6 tcp dport 22 tcp flags & (syn | ack) == syn counter name "syn22_v6"
                meta nfproto ipv4 udp dport 7000 counter name "knock_v4"
                meta nfproto ipv6 udp dport 7000 counter name "knock_v6"
                tcp dport 8000 tcp flags & (syn | ack) == syn counter name "syn8000"
            }
        }
        """;

    private readonly DirectoryInfo dir;
    private readonly Func<SshRig, string> serverConfig;
    private Process? sshd;

    private SshRig(Lab lab, DirectoryInfo dir, Func<SshRig, string> serverConfig)
    {
        Lab = lab;
        this.dir = dir;
        this.serverConfig = serverConfig;
    }

    public Lab Lab { get; }

    public string Dir => dir.FullName;

    /// <summary>The folder ssh's ProxyCommand finds its profiles in (XDG_CONFIG_HOME).</summary>
    public string ConfigHome => Path.Join(Dir, "xdg");

    /// <summary>The server config's file, written from the config the rig was started with.</summary>
    public string ConfigPath => Path.Join(Dir, "nftknock.yaml");

    /// <summary>
    /// Starts a lab, applies the server config (<see cref="ServerConfig"/>, or what
    /// <paramref name="serverConfig"/> writes for the rig), starts sshd and the counters.
    /// </summary>
    public static async Task<SshRig> StartAsync(Func<SshRig, string>? serverConfig = null, string prefix = "nkc")
    {
        await EnsureOpenSshAsync();
        var lab = await Lab.StartAsync(prefix);
        var rig = new SshRig(lab, Directory.CreateTempSubdirectory($"{prefix}-ssh-"), serverConfig ?? (_ => ServerConfig));
        try
        {
            await rig.BuildAsync();
            return rig;
        }
        catch
        {
            await rig.DisposeAsync();
            throw;
        }
    }

    /// <summary>Writes the client profile that ssh's ProxyCommand reads by default.</summary>
    public Task WriteProfileAsync(string yaml)
    {
        Directory.CreateDirectory(Path.Join(ConfigHome, "nftknock"));
        return File.WriteAllTextAsync(Path.Join(ConfigHome, "nftknock", "client.yaml"), yaml);
    }

    /// <summary>Runs ssh (or scp) in the client namespace with the rig's ssh_config.</summary>
    public Task<ProcResult> ClientAsync(string program, params string[] args) =>
        Lab.Client.RunAsync(TimeSpan.FromSeconds(60), "env", [$"XDG_CONFIG_HOME={ConfigHome}", "HOME=" + Dir, program, "-F", Path.Join(Dir, "ssh_config"), .. args]);

    /// <summary>
    /// A counter of what reaches the server, before nftknock decides (its guard runs in prerouting at
    /// priority raw): SYNs to 22 or first knocks, per family.
    /// </summary>
    public Task<long> CountAsync(string name) => Lab.CounterAsync(name, "nkc_count");

    public async ValueTask DisposeAsync()
    {
        if (sshd is { HasExited: false })
        {
            sshd.Kill(entireProcessTree: true);
            await sshd.WaitForExitAsync();
        }

        sshd?.Dispose();
        await Lab.DisposeAsync();
        dir.Delete(recursive: true);
    }

    private async Task BuildAsync()
    {
        await File.WriteAllTextAsync(ConfigPath, serverConfig(this));
        (await Lab.Server.NftknockAsync("apply", "-c", ConfigPath)).EnsureSuccess("nftknock apply");
        (await Lab.Server.NftAsync(Counters)).EnsureSuccess("counter table");

        (await Proc.RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", Path.Join(Dir, "host_key")])).EnsureSuccess("host key");
        (await Proc.RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", Path.Join(Dir, "id")])).EnsureSuccess("client key");
        File.Copy(Path.Join(Dir, "id.pub"), Path.Join(Dir, "authorized_keys"));
        await File.WriteAllTextAsync(Path.Join(Dir, "sshd_config"), SshdConfig.Text(Dir, ["0.0.0.0", "::"], "LogLevel VERBOSE"));
        Directory.CreateDirectory("/run/sshd");
        sshd = Lab.Server.Start("/usr/sbin/sshd", "-D", "-e", "-f", Path.Join(Dir, "sshd_config"));
        await WaitForListenAsync();

        var wrapper = Path.Join(Dir, "nftknock");
        await File.WriteAllTextAsync(wrapper, $"#!/bin/sh\nexec {NftknockCli.ShellCommand} \"$@\"\n");
        (await Proc.RunAsync("chmod", ["+x", wrapper])).EnsureSuccess("chmod");

        // The ssh_config is what the user's setup step prints, plus where this rig keeps its keys.
        var stanza = (await Proc.RunAsync(NftknockCli.File, [.. NftknockCli.Prefix, "ssh-config", "*.test", "--program", wrapper])).EnsureSuccess("ssh-config").Stdout;
        await File.WriteAllTextAsync(Path.Join(Dir, "ssh_config"), $"""
            {stanza.TrimEnd()}
                User root
                IdentityFile {Dir}/id
                UserKnownHostsFile {Dir}/known_hosts
                StrictHostKeyChecking accept-new
                BatchMode yes
                ConnectTimeout 20

            """);
    }

    /// <summary>Installs OpenSSH when it is missing, through the repository's one dependency script.</summary>
    private static async Task EnsureOpenSshAsync()
    {
        if (File.Exists("/usr/sbin/sshd") && File.Exists("/usr/bin/ssh") && File.Exists("/usr/bin/scp"))
        {
            return;
        }

        (await Proc.RunAsync("bash", [Repo.Path("scripts", "deps.sh")], TimeSpan.FromMinutes(10)))
            .EnsureSuccess("scripts/deps.sh (installs openssh-server and openssh-client)");
    }

    private async Task WaitForListenAsync()
    {
        for (var i = 0; i < 100; i++)
        {
            var ss = await Lab.Server.RunAsync("ss", "-ltn", "sport = :22");
            if (ss.Stdout.Contains(":22", StringComparison.Ordinal))
            {
                return;
            }

            if (sshd!.HasExited)
            {
                throw new InvalidOperationException($"sshd exited {sshd.ExitCode}: {await sshd.StandardError.ReadToEndAsync()}");
            }

            await Task.Delay(50);
        }

        throw new InvalidOperationException("sshd did not listen on port 22");
    }
}
