using NftKnock.Server.Namespaces;

namespace NftKnock.Testing.Namespaces;

/// <summary>
/// Three namespaces made for one test: a server, a client and an attacker, each joined to the server by
/// its own veth pair, built by the same <see cref="NamespaceNetwork"/> as <c>nftknock demo</c>.
/// Addresses come from 198.18.0.0/15 and 2001:db8::/32; there is no default route anywhere, so no
/// packet can leave. Disposing kills what the test started and deletes the namespaces.
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

    private static readonly VethLink[] Links =
    [
        new("cli", "c0", "s0", ServerV4, ClientV4, ServerV6, ClientV6),
        new("atk", "a0", "s0", ServerV4FromAttacker, AttackerV4, ServerV6FromAttacker, AttackerV6),
    ];

    private readonly List<string> etcDirs = [];
    private readonly NamespaceNetwork network;

    private Lab(NamespaceNetwork network)
    {
        this.network = network;
        Server = new Netns(network.Name("srv"));
        Client = new Netns(network.Name("cli"));
        Attacker = new Netns(network.Name("atk"));
    }

    /// <summary>The unique prefix of this lab's namespace names.</summary>
    public string Id => network.Id;

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
        return new Lab(await NamespaceNetwork.CreateAsync(prefix, "srv", Links));
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

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        foreach (var ns in All)
        {
            ns.KillStarted();
        }

        await network.DisposeAsync();
        foreach (var ns in All)
        {
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
