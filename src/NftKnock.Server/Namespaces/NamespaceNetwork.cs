using System.Diagnostics;
using System.Security.Cryptography;

namespace NftKnock.Server.Namespaces;

/// <summary>
/// Throwaway network namespaces with unique names: a hub joined to each peer by its own veth pair, no
/// default route anywhere, so nothing leaves them. The demo and the kernel tests both build on it.
/// Disposing kills what runs inside and deletes the namespaces, also after a failed or cancelled run.
/// </summary>
public sealed class NamespaceNetwork : IAsyncDisposable
{
    private readonly List<Process> started = [];
    private readonly List<string> created = [];
    private bool disposed;

    private NamespaceNetwork(string id) => Id = id;

    /// <summary>The unique prefix of every namespace name here: the caller's prefix and six random hex digits.</summary>
    public string Id { get; }

    /// <summary>The name of the namespace that plays <paramref name="role"/>.</summary>
    public string Name(string role) => $"{Id}-{role}";

    /// <summary>Creates the hub, the peers and their links; cleans up itself if any step fails.</summary>
    /// <exception cref="NamespaceException">An <c>ip</c> command failed.</exception>
    public static async Task<NamespaceNetwork> CreateAsync(string prefix, string hub, IReadOnlyList<VethLink> links, CancellationToken cancel = default)
    {
        foreach (var link in links)
        {
            link.EnsureReserved();
        }

        var network = new NamespaceNetwork($"{prefix}{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}");
        try
        {
            foreach (var role in links.Select(l => l.Peer).Prepend(hub))
            {
                var ns = network.Name(role);
                await Ip(cancel, "netns", "add", ns);
                network.created.Add(ns);
                await Ip(cancel, "-n", ns, "link", "set", "lo", "up");
            }

            foreach (var link in links)
            {
                await network.LinkAsync(network.Name(hub), network.Name(link.Peer), link, cancel);
            }

            return network;
        }
        catch
        {
            await network.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills <paramref name="process"/> (and what it started) when the network is disposed.</summary>
    public void Track(Process process)
    {
        lock (started)
        {
            started.Add(process);
        }
    }

    private async Task LinkAsync(string hub, string peer, VethLink link, CancellationToken cancel)
    {
        await Ip(cancel, "link", "add", link.HubSide, "netns", hub, "type", "veth", "peer", "name", link.PeerSide, "netns", peer);
        foreach (var (ns, iface, v4, v6) in new[] { (hub, link.HubSide, link.Hub4, link.Hub6), (peer, link.PeerSide, link.Peer4, link.Peer6) })
        {
            await Ip(cancel, "-n", ns, "addr", "add", $"{v4}/24", "dev", iface);
            await Ip(cancel, "-n", ns, "addr", "add", $"{v6}/64", "dev", iface, "nodad");
            await Ip(cancel, "-n", ns, "link", "set", iface, "up");
        }
    }

    private static async Task<string> Ip(CancellationToken cancel, params string[] args)
    {
        var info = new ProcessStartInfo("ip") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync(cancel);
        var error = await process.StandardError.ReadToEndAsync(cancel);
        await process.WaitForExitAsync(cancel);
        if (process.ExitCode != 0)
        {
            throw new NamespaceException($"ip {string.Join(' ', args)} failed: {error.Trim()}");
        }

        return await output;
    }

    /// <inheritdoc/>
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
                Kill(process);
            }
        }

        // Cleanup must finish even when the run was cancelled, so it does not take the token.
        foreach (var ns in created)
        {
            try
            {
                // Anything else still running inside was started by this run (listeners, sshd).
                var pids = await Ip(CancellationToken.None, "netns", "pids", ns);
                foreach (var pid in pids.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    try
                    {
                        Kill(Process.GetProcessById(int.Parse(pid, System.Globalization.CultureInfo.InvariantCulture)));
                    }
                    catch (ArgumentException)
                    {
                    }
                }

                await Ip(CancellationToken.None, "netns", "del", ns);
            }
            catch (NamespaceException)
            {
            }
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        process.Dispose();
    }
}

/// <summary>An <c>ip</c> command that builds or tears down the namespaces failed.</summary>
public sealed class NamespaceException(string message) : Exception(message);
