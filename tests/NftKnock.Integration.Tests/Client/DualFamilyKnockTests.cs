using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests.Client;

/// <summary>
/// <c>nftknock knock</c> by a name with A and AAAA records, from the client namespace against a real
/// table: the port opens over both families, so a later connection gets in over either; connect
/// still knocks and connects over one address.
/// </summary>
public sealed class DualFamilyKnockTests
{
    /// <summary>The name the client's /etc/hosts gives both of the server's addresses.</summary>
    private const string Name = "server.test";

    private const string Steps = "7000/udp 8000/tcp 9000/udp";

    private static string Config(string families) => $"""
        doors:
          ssh:
            protect: [22/tcp]
            sequence: [7000/udp, 8000/tcp, 9000/udp]
            open-for: 10s
            families: {families}
        """;

    /// <summary>
    /// A lab with the door applied, an echo service on 22/tcp, and <see cref="Name"/> in the client's
    /// /etc/netns/NS/hosts, which <c>ip netns exec</c> (how the kit runs every command) mounts over
    /// /etc/hosts; the lab deletes it on dispose.
    /// </summary>
    private static async Task<Lab> StartAsync(string families = "[ipv4, ipv6]")
    {
        var lab = await Lab.StartAsync("dualknock");
        try
        {
            await lab.ApplyOkAsync(Config(families));
            await lab.Server.EchoServiceAsync(22);
            await lab.WriteHostsAsync(lab.Client, $"127.0.0.1 localhost\n{Lab.ServerV6} {Name}\n{Lab.ServerV4} {Name}\n");
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    private static async Task<(bool V4, bool V6)> OpenAsync(Netns ns, string v4, string v6) =>
        (await ns.CanConnectAsync(v4, 22), await ns.CanConnectAsync(v6, 22));

    [KernelFact]
    public async Task Knock_by_name_opens_the_port_over_both_families_for_this_client_only()
    {
        await using var lab = await StartAsync();
        (await OpenAsync(lab.Client, Lab.ServerV4, Lab.ServerV6)).ShouldBe((false, false));

        var knock = await lab.Client.NftknockAsync(["knock", Name, .. Steps.Split(' ')]);

        knock.ExitCode.ShouldBe(0, knock.Stderr);
        knock.Stdout.ShouldBe($"Knocked 3 steps on {Lab.ServerV4} and {Lab.ServerV6}.\n");
        knock.Stderr.ShouldBeEmpty();
        (await OpenAsync(lab.Client, Lab.ServerV4, Lab.ServerV6)).ShouldBe((true, true), "a TCP connection over IPv4 and over IPv6");
        (await OpenAsync(lab.Attacker, Lab.ServerV4FromAttacker, Lab.ServerV6FromAttacker)).ShouldBe((false, false));
    }

    [KernelFact]
    public async Task Knock_check_by_name_checks_each_family()
    {
        await using var lab = await StartAsync();

        var knock = await lab.Client.NftknockAsync(["knock", Name, .. Steps.Split(' '), "--check", "22"]);

        knock.ExitCode.ShouldBe(0, knock.Stderr);
        knock.Stdout.ShouldBe($"Port 22 on {Lab.ServerV4} and {Lab.ServerV6} is open (attempt 1).\n");
    }

    [KernelFact]
    public async Task Knock_check_on_a_door_that_serves_IPv4_only_exits_3_and_names_IPv6()
    {
        await using var lab = await StartAsync("[ipv4]");

        var knock = await lab.Client.NftknockAsync(["knock", Name, .. Steps.Split(' '), "--check", "22", "--attempts", "2", "--connect-timeout", "200ms"]);

        knock.ExitCode.ShouldBe(3, knock.Stderr);
        knock.Stderr.ShouldBe(
            $"nftknock: port 22 on {Name} opened over IPv4 ({Lab.ServerV4}) but not over IPv6 ({Lab.ServerV6}), knocked 2 times. Check that the door's families: include ipv6 and that IPv6 reaches the server, or knock with -4.\n");
        knock.Stdout.ShouldBeEmpty();
    }

    [KernelTheory]
    [InlineData("-4")]
    [InlineData("-6")]
    public async Task Knock_by_name_with_a_family_option_opens_that_family_only(string option)
    {
        await using var lab = await StartAsync();

        var knock = await lab.Client.NftknockAsync(["knock", Name, .. Steps.Split(' '), option]);

        knock.ExitCode.ShouldBe(0, knock.Stderr);
        var v4 = option == "-4";
        knock.Stdout.ShouldBe($"Knocked 3 steps on {(v4 ? Lab.ServerV4 : Lab.ServerV6)}.\n");
        (await OpenAsync(lab.Client, Lab.ServerV4, Lab.ServerV6)).ShouldBe((v4, !v4));
    }

    [KernelFact]
    public async Task Connect_by_name_knocks_and_connects_over_one_family_only()
    {
        await using var lab = await StartAsync();

        // stdin is closed at once, so the session ends as soon as the echo service closes its side.
        var connect = await lab.Client.NftknockAsync(["connect", Name, "22", .. Steps.Split(' ')]);

        connect.ExitCode.ShouldBe(0, connect.Stderr);
        var (v4, v6) = await OpenAsync(lab.Client, Lab.ServerV4, Lab.ServerV6);
        (v4 ^ v6).ShouldBeTrue($"connect opened IPv4: {v4}, IPv6: {v6}; it knocks the one address it connects over");
    }
}
