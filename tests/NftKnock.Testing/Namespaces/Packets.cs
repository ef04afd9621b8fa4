using System.Diagnostics;
using System.Globalization;

namespace NftKnock.Testing.Namespaces;

/// <summary>Single packets and probes sent from inside a namespace with bash's /dev/udp and /dev/tcp.</summary>
public static class Packets
{
    /// <summary>One UDP datagram to <paramref name="port"/>.</summary>
    public static Task UdpAsync(this Netns ns, string host, int port) => ns.KnockAsync(host, $"{port}/udp");

    /// <summary>One TCP SYN to <paramref name="port"/>: a connect that is abandoned before any retransmit.</summary>
    public static Task SynAsync(this Netns ns, string host, int port) => ns.KnockAsync(host, $"{port}/tcp");

    /// <summary>
    /// Sends steps like <c>7000/udp</c> in order, 50 ms apart, from one bash process: a TCP step is a
    /// connect in a forked subshell that is killed after 100 ms, before the first SYN retransmit.
    /// </summary>
    public static async Task KnockAsync(this Netns ns, string host, params string[] steps)
    {
        var script = string.Join("; sleep 0.05; ", steps.Select(step =>
        {
            var parts = step.Split('/');
            var port = int.Parse(parts[0], CultureInfo.InvariantCulture);
            return parts.Length > 1 && parts[1] == "tcp"
                ? $"{{ (exec 3<>/dev/tcp/{host}/{port}) 2>/dev/null & p=$!; sleep 0.1; kill $p 2>/dev/null; wait $p 2>/dev/null; }}"
                : $"echo -n knock > /dev/udp/{host}/{port}";
        }));
        (await ns.ShAsync(script + "; true")).EnsureSuccess($"knock {string.Join(' ', steps)}");
    }

    /// <summary>True when a TCP connection to <paramref name="port"/> completes within <paramref name="seconds"/>.</summary>
    public static async Task<bool> CanConnectAsync(this Netns ns, string host, int port, double seconds = 1)
    {
        var limit = seconds.ToString(CultureInfo.InvariantCulture);
        var result = await ns.ShAsync($"timeout {limit} bash -c 'exec 3<>/dev/tcp/{host}/{port}' 2>/dev/null");
        return result.ExitCode == 0;
    }

    /// <summary>
    /// True when a TCP connection to <paramref name="port"/> from the namespace's address
    /// <paramref name="source"/> (one it has, see <see cref="AddAddressAsync"/>) completes within a second.
    /// </summary>
    public static async Task<bool> CanConnectFromAsync(this Netns ns, string source, string host, int port)
    {
        var script = "import socket, sys\n"
            + "try:\n"
            + $"    socket.create_connection(('{host}', {port}), timeout=1, source_address=('{source}', 0)).close()\n"
            + "except OSError:\n"
            + "    sys.exit(1)\n";
        return (await ns.RunAsync(TimeSpan.FromSeconds(10), "/usr/bin/python3", "-c", script)).ExitCode == 0;
    }

    /// <summary>Gives the namespace's link <paramref name="device"/> one more address (a /24 or /64 neighbour of its own), gone with the namespace.</summary>
    public static async Task AddAddressAsync(this Netns ns, string address, string device = "s0")
    {
        var prefix = address.Contains(':', StringComparison.Ordinal) ? $"{address}/64" : $"{address}/24";
        string[] args = address.Contains(':', StringComparison.Ordinal) ? ["addr", "add", prefix, "dev", device, "nodad"] : ["addr", "add", prefix, "dev", device];
        (await ns.RunAsync("ip", args)).EnsureSuccess($"ip addr add {prefix}");
    }

    /// <summary>Starts a TCP echo service on <paramref name="port"/> (IPv4 and IPv6) and waits until it listens.</summary>
    public static async Task<Process> EchoServiceAsync(this Netns ns, int port, string protocol = "TCP")
    {
        var listen = protocol == "TCP"
            ? $"TCP6-LISTEN:{port},ipv6only=0,fork,reuseaddr"
            : $"UDP6-RECVFROM:{port},ipv6only=0,fork";
        var process = ns.Start("socat", listen, "EXEC:cat");
        var flag = protocol == "TCP" ? "-ltn" : "-lun";
        for (var i = 0; i < 100; i++)
        {
            var ss = await ns.RunAsync("ss", flag, $"sport = :{port}");
            if (ss.Stdout.Contains($":{port}", StringComparison.Ordinal))
            {
                return process;
            }

            await Task.Delay(50);
        }

        throw new InvalidOperationException($"socat did not listen on {port} in {ns.Name}");
    }
}
