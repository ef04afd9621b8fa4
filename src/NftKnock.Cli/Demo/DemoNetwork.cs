using System.Diagnostics;
using NftKnock.Server.Namespaces;

namespace NftKnock.Cli.Demo;

/// <summary>
/// The demo's three namespaces: a server, a laptop that knows the knock and a stranger that does not.
/// Addresses come from 198.18.0.0/15 and 2001:db8::/32 and there is no default route, so nothing
/// leaves them. Disposing kills what the demo started and deletes the namespaces.
/// </summary>
internal sealed class DemoNetwork : IAsyncDisposable
{
    public const string ServerAddress = "198.18.100.1";
    public const string LaptopAddress = "198.18.100.2";
    public const string ServerFromStranger = "198.18.101.1";
    public const string StrangerAddress = "198.18.101.2";

    private static readonly VethLink[] Links =
    [
        new("laptop", "lap0", "eth0", ServerAddress, LaptopAddress, "2001:db8:100::1", "2001:db8:100::2"),
        new("stranger", "str0", "eth0", ServerFromStranger, StrangerAddress, "2001:db8:101::1", "2001:db8:101::2"),
    ];

    private readonly NamespaceNetwork network;

    private DemoNetwork(NamespaceNetwork network) => this.network = network;

    public string Server => network.Name("server");

    public string Laptop => network.Name("laptop");

    public string Stranger => network.Name("stranger");

    public static async Task<DemoNetwork> CreateAsync(CancellationToken cancel)
    {
        try
        {
            return new DemoNetwork(await NamespaceNetwork.CreateAsync("nkdemo", "server", Links, cancel));
        }
        catch (NamespaceException e)
        {
            throw new DemoException(e.Message);
        }
    }

    public void Track(Process process) => network.Track(process);

    public ValueTask DisposeAsync() => network.DisposeAsync();
}

/// <summary>The demo could not set up its network.</summary>
internal sealed class DemoException(string message) : Exception(message);
