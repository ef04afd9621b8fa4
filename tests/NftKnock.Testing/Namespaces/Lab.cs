using System.Security.Cryptography;

namespace NftKnock.Testing.Namespaces;

/// <summary>
/// Three namespaces made for one test: a server, a client and an attacker, each joined to the server by
/// its own veth pair. Addresses come from 198.18.0.0/15 and 2001:db8::/32; there is no default route
/// anywhere, so no packet can leave. Disposing kills what the test started and deletes the namespaces.
/// </summary>
public sealed class Lab : IAsyncDisposable
{
    /// <summary>The server's address on the client link.</summary>
    public const string ServerV4 = "198.18.1.1";

    /// <summary>The client's address.</summary>
    public const string ClientV4 = "198.18.1.2";

    /// <summary>The server's address on the attacker link.</summary>
    public const string ServerV4FromAttacker = "198.18.2.1";

    /// <summary>The attacker's address.</summary>
    public const string AttackerV4 = "198.18.2.2";

    /// <summary>The server's IPv6 address on the client link.</summary>
    public const string ServerV6 = "2001:db8:1::1";

    /// <summary>The client's IPv6 address.</summary>
    public const string ClientV6 = "2001:db8:1::2";

    /// <summary>The server's IPv6 address on the attacker link.</summary>
    public const string ServerV6FromAttacker = "2001:db8:2::1";

    /// <summary>The attacker's IPv6 address.</summary>
    public const string AttackerV6 = "2001:db8:2::2";

    private readonly List<string> etcDirs = [];

    private Lab(string id)
    {
        Id = id;
        Server = new Netns($"{id}-srv");
        Client = new Netns($"{id}-cli");
        Attacker = new Netns($"{id}-atk");
    }

    /// <summary>The unique prefix of this lab's namespace names.</summary>
    public string Id { get; }

    /// <summary>The protected host.</summary>
    public Netns Server { get; }

    /// <summary>The legitimate client.</summary>
    public Netns Client { get; }

    /// <summary>A second source that never knows the sequence.</summary>
    public Netns Attacker { get; }

    /// <summary>All three namespaces.</summary>
    public IEnumerable<Netns> All => [Server, Client, Attacker];

    /// <summary>Creates the namespaces and links; cleans up itself if any step fails.</summary>
    public static async Task<Lab> StartAsync(string prefix = "nks")
    {
        KernelRequirements.ThrowIfMissing();
        var lab = new Lab($"{prefix}{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}");
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

    /// <summary>Writes /etc/netns/NS/hosts for a namespace, removed on dispose.</summary>
    public async Task WriteHostsAsync(Netns ns, string hostsText)
    {
        var dir = Path.Combine("/etc/netns", ns.Name);
        Directory.CreateDirectory(dir);
        lock (etcDirs)
        {
            etcDirs.Add(dir);
        }

        await File.WriteAllTextAsync(Path.Combine(dir, "hosts"), hostsText);
    }

    private async Task BuildAsync()
    {
        foreach (var ns in All)
        {
            (await Proc.RunAsync("ip", ["netns", "add", ns.Name])).EnsureSuccess($"ip netns add {ns.Name}");
            (await ns.RunAsync("ip", "link", "set", "lo", "up")).EnsureSuccess("lo up");
        }

        await LinkAsync(Client, "c0", ServerV4, ClientV4, ServerV6, ClientV6);
        await LinkAsync(Attacker, "a0", ServerV4FromAttacker, AttackerV4, ServerV6FromAttacker, AttackerV6);
    }

    private async Task LinkAsync(Netns peer, string serverSide, string server4, string peer4, string server6, string peer6)
    {
        (await Proc.RunAsync("ip", ["link", "add", serverSide, "netns", Server.Name, "type", "veth", "peer", "name", "s0", "netns", peer.Name]))
            .EnsureSuccess("veth");
        var script = (string iface, string v4, string v6) =>
            $"ip addr add {v4}/24 dev {iface} && ip addr add {v6}/64 dev {iface} nodad && ip link set {iface} up";
        (await Server.ShAsync(script(serverSide, server4, server6))).EnsureSuccess("server link");
        (await peer.ShAsync(script("s0", peer4, peer6))).EnsureSuccess("peer link");
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        foreach (var ns in All)
        {
            ns.KillStarted();
            // Anything else still running in the namespace was started by this test (sshd, listeners).
            await Proc.RunAsync("bash", ["-c", $"pids=$(ip netns pids {ns.Name} 2>/dev/null); [ -n \"$pids\" ] && kill -9 $pids; true"]);
            await Proc.RunAsync("ip", ["netns", "del", ns.Name]);
            ns.DeleteDirectories();
        }

        lock (etcDirs)
        {
            foreach (var dir in etcDirs)
            {
                try
                {
                    Directory.Delete(dir, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }
    }
}
