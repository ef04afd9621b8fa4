using System.Diagnostics;
using System.Security.Cryptography;

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

    private readonly List<Process> started = [];
    private bool disposed;

    private DemoNetwork(string id)
    {
        Server = $"{id}-server";
        Laptop = $"{id}-laptop";
        Stranger = $"{id}-stranger";
    }

    public string Server { get; }

    public string Laptop { get; }

    public string Stranger { get; }

    private IEnumerable<string> All => [Server, Laptop, Stranger];

    public static async Task<DemoNetwork> CreateAsync(CancellationToken cancel)
    {
        var network = new DemoNetwork($"nkdemo{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2))}");
        try
        {
            foreach (var ns in network.All)
            {
                await Ip(cancel, "netns", "add", ns);
                await Ip(cancel, "-n", ns, "link", "set", "lo", "up");
            }

            await network.LinkAsync(network.Laptop, "lap0", ServerAddress, LaptopAddress, "2001:db8:100::1", "2001:db8:100::2", cancel);
            await network.LinkAsync(network.Stranger, "str0", ServerFromStranger, StrangerAddress, "2001:db8:101::1", "2001:db8:101::2", cancel);
            return network;
        }
        catch
        {
            await network.DisposeAsync();
            throw;
        }
    }

    public void Track(Process process)
    {
        lock (started)
        {
            started.Add(process);
        }
    }

    private async Task LinkAsync(string peer, string serverSide, string server4, string peer4, string server6, string peer6, CancellationToken cancel)
    {
        await Ip(cancel, "link", "add", serverSide, "netns", Server, "type", "veth", "peer", "name", "eth0", "netns", peer);
        await Ip(cancel, "-n", Server, "addr", "add", $"{server4}/24", "dev", serverSide);
        await Ip(cancel, "-n", Server, "addr", "add", $"{server6}/64", "dev", serverSide, "nodad");
        await Ip(cancel, "-n", Server, "link", "set", serverSide, "up");
        await Ip(cancel, "-n", peer, "addr", "add", $"{peer4}/24", "dev", "eth0");
        await Ip(cancel, "-n", peer, "addr", "add", $"{peer6}/64", "dev", "eth0", "nodad");
        await Ip(cancel, "-n", peer, "link", "set", "eth0", "up");
    }

    private static async Task Ip(CancellationToken cancel, params string[] args)
    {
        var info = new ProcessStartInfo("ip") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var error = await process.StandardError.ReadToEndAsync(cancel);
        await process.WaitForExitAsync(cancel);
        if (process.ExitCode != 0)
        {
            throw new DemoException($"ip {string.Join(' ', args)} failed: {error.Trim()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        lock (started)
        {
            foreach (var process in started)
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                }

                process.Dispose();
            }
        }

        // Cleanup must finish even when the demo was cancelled, so it does not take the token.
        foreach (var ns in All)
        {
            try
            {
                await Ip(CancellationToken.None, "netns", "del", ns);
            }
            catch (DemoException)
            {
            }
        }
    }
}

/// <summary>The demo could not set up its network.</summary>
internal sealed class DemoException(string message) : Exception(message);
