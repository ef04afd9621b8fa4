using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests;

/// <summary>grant-prefix with real packets: a knock opens the knocker's network, and nothing outside it.</summary>
public sealed class GrantPrefixTests
{
    private static string Door(string extra) => $"""
        doors:
          ssh:
            protect: [22/tcp]
            sequence: [7000/udp, 8000/tcp, 9000/udp]
            step-timeout: 2s
            open-for: 5s
            grant-prefix: {"{"}ipv4: 24, ipv6: 64{"}"}
        {extra}
        """;

    [KernelTheory]
    [InlineData(Lab.ServerV4, "198.18.1.3", Lab.ServerV4FromAttacker)]
    [InlineData(Lab.ServerV6, "2001:db8:1::3", Lab.ServerV6FromAttacker)]
    public async Task A_knock_opens_the_knocker_s_network_and_no_address_outside_it(string server, string neighbour, string fromAttacker)
    {
        await using var lab = await ServerSteps.StartServingAsync(Door(string.Empty));
        await lab.Client.AddAddressAsync(neighbour);
        (await lab.Client.CanConnectFromAsync(neighbour, server, 22)).ShouldBeFalse("the neighbour before the knock");

        await lab.Client.KnockAsync(server, "7000/udp", "8000/tcp", "9000/udp");

        (await lab.Client.CanConnectAsync(server, 22)).ShouldBeTrue("the knocker");
        (await lab.Client.CanConnectFromAsync(neighbour, server, 22)).ShouldBeTrue("the knocker's neighbour");
        (await lab.Attacker.CanConnectAsync(fromAttacker, 22)).ShouldBeFalse("an address outside the knocker's network");
    }

    [KernelFact]
    public async Task Knock_progress_stays_per_address_so_a_neighbour_cannot_finish_a_knock()
    {
        await using var lab = await ServerSteps.StartServingAsync(Door(string.Empty));
        await lab.Client.AddAddressAsync("198.18.1.3");

        await lab.Client.KnockAsync(Lab.ServerV4, "7000/udp", "8000/tcp");
        (await lab.Client.ShAsync("/usr/bin/python3 -c \"import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('198.18.1.3', 0)); s.sendto(b'knock', ('198.18.1.1', 9000))\"")).EnsureSuccess("last step from the neighbour");

        (await lab.Client.CanConnectAsync(Lab.ServerV4, 22)).ShouldBeFalse();
        (await lab.SetAsync("ssh_open24_v4")).ShouldNotContain("198.18.1.0");
    }

    [KernelFact]
    public async Task Close_on_connect_uses_a_prefix_grant_up_for_the_whole_network()
    {
        await using var lab = await ServerSteps.StartServingAsync(Door("    close-on-connect: true"));
        await lab.Client.AddAddressAsync("198.18.1.3");

        await lab.Client.KnockAsync(Lab.ServerV4, "7000/udp", "8000/tcp", "9000/udp");

        (await lab.Client.CanConnectFromAsync("198.18.1.3", Lab.ServerV4, 22)).ShouldBeTrue("the first connection, from the neighbour");
        (await lab.Client.CanConnectAsync(Lab.ServerV4, 22)).ShouldBeFalse("the grant is used up for the whole /24");
    }

    [KernelFact]
    public async Task Udp_traffic_from_the_granted_network_keeps_the_grant_alive()
    {
        await using var lab = await Lab.StartAsync();
        await lab.ApplyOkAsync("""
            doors:
              dns:
                protect: [5353/udp]
                sequence: [7000/udp, 8000/tcp, 9000/udp]
                open-for: 2s
                grant-prefix: {ipv4: 24}
            """);
        await lab.Server.EchoServiceAsync(5353, "UDP");
        await lab.Client.AddAddressAsync("198.18.1.3");
        var ask = "/usr/bin/python3 -c \"import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('198.18.1.3', 0)); s.settimeout(1); "
            + "s.sendto(b'ping', ('198.18.1.1', 5353)); print(s.recv(64).decode())\"";

        await lab.Client.KnockAsync(Lab.ServerV4, "7000/udp", "8000/tcp", "9000/udp");
        for (var i = 0; i < 4; i++)
        {
            (await lab.Client.ShAsync(ask)).Stdout.Trim().ShouldBe("ping", $"datagram {i} from the neighbour");
            await Task.Delay(1000);
        }
    }
}
