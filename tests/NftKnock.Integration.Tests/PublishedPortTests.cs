using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests;

/// <summary>
/// Ports the host publishes by DNAT are guarded like its own: a real dockerd in the server namespace
/// publishes a container's port 80 as 8080 (<c>-p 8080:80</c>, IPv4 and IPv6), so connections to it are
/// forwarded and never reach the input hook. Traffic the server only routes to another machine is not touched.
/// </summary>
public sealed class PublishedPortTests
{
    private static string Config(string mode) => $"""
        mode: {mode}
        firewall:
          forward: drop
        doors:
          web:
            protect: [8080/tcp]
            sequence: [7000/udp, 8000/tcp, 9000/udp]
            step-timeout: 10s
            open-for: 30s
        """;

    private static (string Server, string FromAttacker) Addresses(string family) =>
        family == "v4" ? (Lab.ServerV4, Lab.ServerV4FromAttacker) : (Lab.ServerV6, Lab.ServerV6FromAttacker);

    [DockerTheory]
    [InlineData("guard", "v4")]
    [InlineData("guard", "v6")]
    [InlineData("firewall", "v4")]
    [InlineData("firewall", "v6")]
    public async Task A_port_docker_publishes_is_closed_until_the_knock_and_then_open_to_that_source_only(string mode, string family)
    {
        await using var lab = await Lab.StartAsync();
        await using var docker = await DockerDaemon.StartAsync(lab.Server);
        await docker.RunWebAsync(lab.Server, "web", "8080:80");
        var (server, fromAttacker) = Addresses(family);
        // Docker publishes the port to everyone until nftknock is applied.
        (await PageAsync(lab.Client, server, 8080)).ShouldContain(DockerDaemon.Page);

        await lab.ApplyOkAsync(Config(mode));
        (await lab.Client.CanConnectAsync(server, 8080)).ShouldBeFalse();

        await lab.Client.KnockAsync(server, "7000/udp", "8000/tcp", "9000/udp");

        (await PageAsync(lab.Client, server, 8080)).ShouldContain(DockerDaemon.Page);
        (await lab.Attacker.CanConnectAsync(fromAttacker, 8080)).ShouldBeFalse();
        (await lab.CounterAsync("web_blocked")).ShouldBeGreaterThan(0);

        // doctor reads Docker's rules as nft lists them.
        var config = Path.Combine(Path.GetTempPath(), $"{lab.Id}-doctor.yaml");
        await File.WriteAllTextAsync(config, Config(mode));
        try
        {
            var doctor = await lab.Server.NftknockAsync("doctor", "-c", config);
            doctor.Stdout.ShouldContain($"8080/tcp is published by an iptables DNAT rule (table {(family == "v4" ? "ip" : "ip6")} nat chain DOCKER) and guarded after DNAT, on the forward path");
        }
        finally
        {
            File.Delete(config);
        }
    }

    [KernelTheory]
    [InlineData("v4")]
    [InlineData("v6")]
    public async Task Traffic_the_server_routes_to_another_machine_is_not_guarded_and_does_not_reset_a_knock(string family)
    {
        await using var lab = await Lab.StartAsync();
        await lab.Server.EchoServiceAsync(22);

        // The attacker's namespace plays a machine on a network the server routes to: port 22 there is not the server's.
        var lanHost = lab.Attacker;
        await lanHost.EchoServiceAsync(22);
        (await lab.Server.ShAsync("sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1")).EnsureSuccess("sysctl");
        (await lab.Client.ShAsync($"ip route add 198.18.2.0/24 via {Lab.ServerV4} && ip -6 route add 2001:db8:2::/64 via {Lab.ServerV6}")).EnsureSuccess("client routes");
        (await lanHost.ShAsync($"ip route add 198.18.1.0/24 via {Lab.ServerV4FromAttacker} && ip -6 route add 2001:db8:1::/64 via {Lab.ServerV6FromAttacker}")).EnsureSuccess("lan routes");
        var (server, _) = Addresses(family);
        var lan = family == "v4" ? Lab.AttackerV4 : Lab.AttackerV6;

        // A fresh IPv6 router needs a moment before it forwards: wait for the route before nftknock is applied.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await lab.Client.CanConnectAsync(lan, 22) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        await lab.ApplyOkAsync(Config("guard").Replace("8080/tcp", "22/tcp", StringComparison.Ordinal));
        (await lab.Client.CanConnectAsync(server, 22)).ShouldBeFalse();
        var blocked = await lab.CounterAsync("web_blocked");
        (await lab.Client.CanConnectAsync(lan, 22)).ShouldBeTrue();
        await lab.Client.KnockAsync(server, "7000/udp", "8000/tcp");
        (await lab.Client.CanConnectAsync(lan, 22)).ShouldBeTrue();
        await lab.Client.KnockAsync(server, "9000/udp");

        (await lab.Client.CanConnectAsync(server, 22)).ShouldBeTrue();
        (await lab.CounterAsync("web_resets")).ShouldBe(0);
        (await lab.CounterAsync("web_blocked")).ShouldBe(blocked);
    }

    /// <summary>What a web server on <paramref name="port"/> answers to GET /, or nothing within two seconds.</summary>
    private static async Task<string> PageAsync(Netns ns, string host, int port)
    {
        var result = await ns.ShAsync($"timeout 2 bash -c \"exec 3<>/dev/tcp/{host}/{port} && printf 'GET / HTTP/1.0\\r\\n\\r\\n' >&3 && cat <&3\" 2>/dev/null", TimeSpan.FromSeconds(10));
        return result.Stdout;
    }
}
