using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests;

/// <summary>
/// Every path to a protected service is guarded, whatever address the connection used, as long as the host
/// delivers it or forwards it after DNAT: a DNAT on a VIP the host does not own, a connection straight to a
/// DNAT target that skips the published port, an address that only a policy route makes local. The attacker's
/// namespace plays the backend (a container behind a veth): the client routes its network through the server.
/// Traffic the server only routes, without DNAT, is not touched.
/// </summary>
public sealed class GuardPathTests
{
    private const string Knock = "7000/udp 8000/tcp 9000/udp";

    private static string Config(string mode = "guard") => $"""
        mode: {mode}
        firewall:
          forward: accept
        doors:
          web:
            protect: [8080/tcp]
            sequence: [{Knock.Replace(" ", ", ", StringComparison.Ordinal)}]
            step-timeout: 10s
            open-for: 30s
        """;

    private sealed record Addresses(string Server, string Backend, string Vip, string Policy, string ServerFromBackend, string Nft);

    private static Addresses For(string family) => family == "v4"
        ? new(Lab.ServerV4, Lab.AttackerV4, "198.18.50.1", "198.18.60.1", Lab.ServerV4FromAttacker, "ip")
        : new(Lab.ServerV6, Lab.AttackerV6, "2001:db8:50::1", "2001:db8:60::1", Lab.ServerV6FromAttacker, "ip6");

    private static string Bracketed(string address) => address.Contains(':', StringComparison.Ordinal) ? $"[{address}]" : address;

    /// <summary>The server forwards; the client reaches the backend's network, the VIP and the policy-routed address through it.</summary>
    private static async Task RouteAsync(Lab lab, Addresses a, string family)
    {
        var ip = family == "v4" ? "ip" : "ip -6";
        var (clientNet, backendNet, host) = family == "v4" ? ("198.18.1.0/24", "198.18.2.0/24", "32") : ("2001:db8:1::/64", "2001:db8:2::/64", "128");
        (await lab.Server.ShAsync("sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1")).EnsureSuccess("sysctl");
        (await lab.Client.ShAsync($"{ip} route add {backendNet} via {a.Server} && {ip} route add {a.Vip}/{host} via {a.Server} && {ip} route add {a.Policy}/{host} via {a.Server}"))
            .EnsureSuccess("client routes");
        (await lab.Attacker.ShAsync($"{ip} route add {clientNet} via {a.ServerFromBackend}")).EnsureSuccess("backend routes");

        // A fresh IPv6 router needs a moment before it forwards.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await lab.Client.CanConnectAsync(a.Backend, 81) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
    }

    /// <summary>The backend serves 80 (the DNAT target), 81 and 8080 (neither published: routed traffic).</summary>
    private static async Task BackendAsync(Lab lab)
    {
        await lab.Attacker.EchoServiceAsync(80);
        await lab.Attacker.EchoServiceAsync(81);
        await lab.Attacker.EchoServiceAsync(8080);
    }

    private static async Task NatAsync(Lab lab, Addresses a, string match)
    {
        var table = $"table {a.Nft} hostnat {{\n chain prerouting {{\n type nat hook prerouting priority dstnat;\n {match} tcp dport 8080 dnat to {Bracketed(a.Backend)}:80\n }}\n}}\n";
        (await lab.Server.NftAsync(table)).EnsureSuccess("host nat rule");
    }

    [KernelTheory]
    [InlineData("v4")]
    [InlineData("v6")]
    public async Task A_dnat_on_a_vip_the_host_does_not_own_is_closed_until_the_knock(string family)
    {
        await using var lab = await Lab.StartAsync("gpv");
        var a = For(family);
        await BackendAsync(lab);
        await RouteAsync(lab, a, family);
        await NatAsync(lab, a, $"{a.Nft} daddr {a.Vip}");
        (await lab.Client.CanConnectAsync(a.Vip, 8080)).ShouldBeTrue("the VIP forwards before nftknock is applied");

        await lab.ApplyOkAsync(Config());

        (await lab.Client.CanConnectAsync(a.Vip, 8080)).ShouldBeFalse("no knock, no VIP");
        (await lab.Client.CanConnectAsync(a.Backend, 8080)).ShouldBeTrue("routed, not DNATed: not ours");
        (await lab.Client.CanConnectAsync(a.Backend, 81)).ShouldBeTrue("routed, not DNATed: not ours");
        await lab.Client.KnockAsync(a.Server, Knock.Split(' '));
        (await lab.Client.CanConnectAsync(a.Vip, 8080)).ShouldBeTrue("knocked");
        (await lab.CounterAsync("web_blocked")).ShouldBeGreaterThan(0);
        (await lab.CounterAsync("web_resets")).ShouldBe(0);
    }

    [KernelTheory]
    [InlineData("guard", "v4")]
    [InlineData("guard", "v6")]
    [InlineData("firewall", "v4")]
    public async Task A_connection_straight_to_the_target_of_a_protected_published_port_is_closed_until_the_knock(string mode, string family)
    {
        await using var lab = await Lab.StartAsync("gpd");
        var a = For(family);
        await BackendAsync(lab);
        await RouteAsync(lab, a, family);

        // Published on the server's own address, as docker run -p 8080:80 does.
        await NatAsync(lab, a, $"{a.Nft} daddr {a.Server}");
        (await lab.Client.CanConnectAsync(a.Backend, 80)).ShouldBeTrue("the target is reachable before nftknock is applied");

        await lab.ApplyOkAsync(Config(mode));

        (await lab.Client.CanConnectAsync(a.Backend, 80)).ShouldBeFalse("no knock, not straight to the target either");
        (await lab.Client.CanConnectAsync(a.Server, 8080)).ShouldBeFalse("no knock, not through the published port");
        (await lab.Client.CanConnectAsync(a.Backend, 81)).ShouldBeTrue("a port nothing publishes is routed untouched");
        (await lab.Client.CanConnectAsync(a.Backend, 8080)).ShouldBeTrue("a port nothing publishes is routed untouched");
        await lab.Client.KnockAsync(a.Server, Knock.Split(' '));
        (await lab.Client.CanConnectAsync(a.Backend, 80)).ShouldBeTrue("knocked: straight to the target");
        (await lab.Client.CanConnectAsync(a.Server, 8080)).ShouldBeTrue("knocked: through the published port");
    }

    [KernelTheory]
    [InlineData("v4")]
    [InlineData("v6")]
    public async Task An_address_only_a_policy_route_makes_local_is_closed_until_the_knock(string family)
    {
        await using var lab = await Lab.StartAsync("gpp");
        var a = For(family);
        await BackendAsync(lab);
        await RouteAsync(lab, a, family);

        // Table 100 makes the address local, and only a rule sends packets there: the local table does not know it,
        // so the service answers from it as a transparent proxy's does (IP_TRANSPARENT).
        await TransparentServiceAsync(lab.Server, 8080);
        var ip = family == "v4" ? "ip" : "ip -6";
        (await lab.Server.ShAsync($"{ip} route add local {a.Policy} dev lo table 100 && {ip} rule add to {a.Policy} lookup 100 pref 100")).EnsureSuccess("policy route");
        (await lab.Client.CanConnectAsync(a.Policy, 8080)).ShouldBeTrue("the address is delivered before nftknock is applied");

        await lab.ApplyOkAsync(Config());

        (await lab.Client.CanConnectAsync(a.Policy, 8080)).ShouldBeFalse("no knock, not through the policy-routed address");
        (await lab.Client.CanConnectAsync(a.Backend, 8080)).ShouldBeTrue("routed: not ours");
        await lab.Client.KnockAsync(a.Server, Knock.Split(' '));
        (await lab.Client.CanConnectAsync(a.Policy, 8080)).ShouldBeTrue("knocked");
    }

    private static async Task TransparentServiceAsync(Netns ns, int port)
    {
        ns.Start("socat", $"TCP6-LISTEN:{port},ipv6only=0,fork,reuseaddr,ip-transparent", "EXEC:cat");
        for (var i = 0; i < 100 && !(await ns.RunAsync("ss", "-ltn", $"sport = :{port}")).Stdout.Contains($":{port}", StringComparison.Ordinal); i++)
        {
            await Task.Delay(50);
        }
    }

    [KernelFact]
    public async Task Doctor_calls_a_vip_port_guarded_only_when_the_loaded_table_guards_it()
    {
        await using var lab = await Lab.StartAsync("gpc");
        var a = For("v4");
        await NatAsync(lab, a, $"ip daddr {a.Vip}");
        var config = Path.Combine(Path.GetTempPath(), $"{lab.Id}-doctor.yaml");
        await File.WriteAllTextAsync(config, Config());
        try
        {
            var before = await lab.Server.NftknockAsync("doctor", "-c", config);
            before.Stdout.ShouldContain("8080/tcp is published by DNAT to 198.18.2.2:80 (table ip hostnat chain prerouting) and not guarded: nftknock's table is not loaded");
            before.Stdout.ShouldNotContain("guarded after DNAT");

            await lab.ApplyOkAsync(Config());
            var after = await lab.Server.NftknockAsync("doctor", "-c", config);
            after.Stdout.ShouldContain("8080/tcp is published by DNAT to 198.18.2.2:80 (table ip hostnat chain prerouting) and guarded after DNAT, on the forward path");
            after.Stdout.ShouldNotContain("is not in the loaded table");

            // A second backend published after apply: straight at it, nothing guards it until the next apply.
            (await lab.Server.NftAsync("add rule ip hostnat prerouting ip daddr 198.18.50.2 tcp dport 8080 dnat to 198.18.2.3:80")).EnsureSuccess("second rule");
            var stale = await lab.Server.NftknockAsync("doctor", "-c", config);
            stale.Stdout.ShouldContain("198.18.2.3 80/tcp");
            stale.Stdout.ShouldContain("is not in the loaded table");
        }
        finally
        {
            File.Delete(config);
        }
    }
}
