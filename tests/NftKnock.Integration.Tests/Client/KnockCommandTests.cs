using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests.Client;

/// <summary><c>nftknock knock</c> from the client namespace against a real nftknock table, and its exit codes.</summary>
public sealed class KnockCommandTests
{
    private const string Config = """
        doors:
          ssh:
            protect: [22/tcp]
            sequence: [7000/udp, 8000/tcp, 9000/udp]
            open-for: 10s
        """;

    private static async Task<Lab> StartAsync()
    {
        var lab = await Lab.StartAsync("nkc");
        try
        {
            await lab.ApplyOkAsync(Config);
            await lab.Server.EchoServiceAsync(22);
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    [KernelTheory]
    [InlineData(Lab.ServerV4)]
    [InlineData(Lab.ServerV6)]
    public async Task Knock_opens_the_port_for_this_client_only(string server)
    {
        await using var lab = await StartAsync();
        (await lab.Client.CanConnectAsync(server, 22)).ShouldBeFalse();

        var knock = await lab.Client.NftknockAsync("knock", server, "7000/udp", "8000/tcp", "9000/udp");

        knock.ExitCode.ShouldBe(0, knock.Stderr);
        knock.Stdout.ShouldBe($"Knocked 3 steps on {server}.\n");
        (await lab.Client.CanConnectAsync(server, 22)).ShouldBeTrue();
        var attackerView = server == Lab.ServerV4 ? Lab.ServerV4FromAttacker : Lab.ServerV6FromAttacker;
        (await lab.Attacker.CanConnectAsync(attackerView, 22)).ShouldBeFalse();
    }

    [KernelFact]
    public async Task Knock_check_confirms_the_open_port()
    {
        await using var lab = await StartAsync();

        var knock = await lab.Client.NftknockAsync("knock", Lab.ServerV4, "7000/udp", "8000/tcp", "9000/udp", "--check", "22");

        knock.ExitCode.ShouldBe(0, knock.Stderr);
        knock.Stdout.ShouldBe($"Port 22 on {Lab.ServerV4} is open (attempt 1).\n");
    }

    [KernelFact]
    public async Task Knock_check_with_the_wrong_order_exits_3()
    {
        await using var lab = await StartAsync();

        var knock = await lab.Client.NftknockAsync(
            "knock", Lab.ServerV4, "7000/udp", "9000/udp", "8000/tcp", "--check", "22", "--attempts", "2", "--connect-timeout", "200ms");

        knock.ExitCode.ShouldBe(3);
        knock.Stderr.ShouldBe($"nftknock: knocked 2 times on {Lab.ServerV4} but port 22 never opened. Check the knock sequence, the family and that the server runs nftknock.\n");
    }

    [KernelFact]
    public async Task Address_without_a_route_exits_1()
    {
        await using var lab = await Lab.StartAsync("nkc");

        // The client namespace has no default route, so nothing is sent anywhere.
        var connect = await lab.Client.NftknockAsync("connect", "198.18.99.1", "22", "7000/udp", "--attempts", "1");

        connect.ExitCode.ShouldBe(1);
        connect.Stderr.ShouldBe("nftknock: no route to 198.18.99.1. Check the network connection and the address.\n");
    }

    [KernelFact]
    public async Task Knocks_refused_by_this_machines_firewall_exit_1_with_a_hint()
    {
        await using var lab = await Lab.StartAsync("nkc");
        (await lab.Client.NftAsync("""
            table inet nkc_block {
                chain output {
                    type filter hook output priority 0; policy accept;
                    udp dport 7000 drop
                }
            }
            """)).EnsureSuccess("block table");

        var knock = await lab.Client.NftknockAsync("knock", Lab.ServerV4, "7000/udp", "8000/tcp");

        knock.ExitCode.ShouldBe(1);
        knock.Stderr.ShouldBe($"nftknock: this machine's firewall refused to send the knocks to {Lab.ServerV4}. Allow outgoing packets to the knock ports.\n");
    }

    [KernelFact]
    public async Task Unresolvable_name_exits_2()
    {
        await using var lab = await Lab.StartAsync("nkc");
        await lab.WriteHostsAsync(lab.Client, $"127.0.0.1 localhost\n{Lab.ServerV4} v4only.test\n");

        var unknown = await lab.Client.NftknockAsync("knock", "nowhere.invalid", "7000/udp");
        var wrongFamily = await lab.Client.NftknockAsync("knock", "v4only.test", "7000/udp", "-6");

        unknown.ExitCode.ShouldBe(2);
        unknown.Stderr.ShouldStartWith("nftknock: cannot resolve nowhere.invalid (");
        wrongFamily.ExitCode.ShouldBe(2);
        wrongFamily.Stderr.ShouldBe("nftknock: v4only.test has no IPv6 address. Drop -6 or use a name that has one.\n");
    }
}
