using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests;

/// <summary>refresh, close-on-connect, allow prefixes and TCP-only sequences, with real packets.</summary>
public sealed class DoorOptionsTests
{
    private static string Door(string extra, string sequence = "[7000/udp, 8000/tcp, 9000/udp]") => $"""
        doors:
          ssh:
            protect: [22/tcp]
            sequence: {sequence}
            step-timeout: 2s
            open-for: 3s
        {extra}
        """;

    [KernelTheory]
    [InlineData("update", true)]
    [InlineData("keep", false)]
    public async Task A_second_full_knock_restarts_the_window_only_with_refresh_update(string refresh, bool openAfterFirstWindow)
    {
        await using var lab = await ServerSteps.StartServingAsync(Door($"    refresh: {refresh}"));
        await lab.Client.KnockAsync(Lab.ServerV4, "7000/udp", "8000/tcp", "9000/udp");
        await Task.Delay(2000);
        await lab.Client.KnockAsync(Lab.ServerV4, "7000/udp", "8000/tcp", "9000/udp");

        // At least 3.5 s after the first grant: past its window, well inside the second knock's.
        await Task.Delay(1500);
        (await lab.Client.CanConnectAsync(Lab.ServerV4, 22)).ShouldBe(openAfterFirstWindow);
    }

    [KernelFact]
    public async Task Close_on_connect_lets_one_connection_in()
    {
        await using var lab = await ServerSteps.StartServingAsync(Door("    close-on-connect: true"));
        await lab.Client.KnockAsync(Lab.ServerV4, "7000/udp", "8000/tcp", "9000/udp");

        (await lab.Client.CanConnectAsync(Lab.ServerV4, 22)).ShouldBeTrue();
        (await lab.Client.CanConnectAsync(Lab.ServerV4, 22)).ShouldBeFalse();
    }

    [KernelTheory]
    [InlineData(Lab.ServerV4)]
    [InlineData(Lab.ServerV6)]
    public async Task Allowed_prefixes_connect_without_knocking_and_others_do_not(string server)
    {
        await using var lab = await ServerSteps.StartServingAsync(Door("    allow: [198.18.1.0/24, 2001:db8:1::/64]"));

        (await lab.Client.CanConnectAsync(server, 22)).ShouldBeTrue();
        var fromAttacker = server == Lab.ServerV4 ? Lab.ServerV4FromAttacker : Lab.ServerV6FromAttacker;
        (await lab.Attacker.CanConnectAsync(fromAttacker, 22)).ShouldBeFalse();
    }

    [KernelTheory]
    [InlineData(Lab.ServerV4)]
    [InlineData(Lab.ServerV6)]
    public async Task Tcp_only_sequence_opens_the_door(string server)
    {
        await using var lab = await ServerSteps.StartServingAsync(Door(string.Empty, "[7100/tcp, 5100/tcp, 9100/tcp]"));

        await lab.Client.KnockAsync(server, "7100/tcp", "5100/tcp", "9100/tcp");

        (await lab.Client.CanConnectAsync(server, 22)).ShouldBeTrue();
    }

    [KernelFact]
    public async Task Ipv6_only_door_opens_over_ipv6_and_stays_shut_over_ipv4()
    {
        await using var lab = await ServerSteps.StartServingAsync(Door("    families: [ipv6]"));

        await lab.Client.KnockAsync(Lab.ServerV4, "7000/udp", "8000/tcp", "9000/udp");
        (await lab.Client.CanConnectAsync(Lab.ServerV4, 22)).ShouldBeFalse();

        await lab.Client.KnockAsync(Lab.ServerV6, "7000/udp", "8000/tcp", "9000/udp");
        (await lab.Client.CanConnectAsync(Lab.ServerV6, 22)).ShouldBeTrue();
    }

    [KernelFact]
    public async Task Protected_udp_port_stays_open_while_its_traffic_flows()
    {
        await using var lab = await Lab.StartAsync();
        await lab.ApplyOkAsync("""
            doors:
              dns:
                protect: [5353/udp]
                sequence: [7000/udp, 8000/tcp, 9000/udp]
                open-for: 2s
            """);
        await lab.Server.EchoServiceAsync(5353, "UDP");
        var ask = $"exec 3<>/dev/udp/{Lab.ServerV4}/5353; echo ping >&3; timeout 1 dd bs=512 count=1 status=none <&3";

        (await lab.Client.ShAsync(ask)).Stdout.Trim().ShouldBeEmpty();
        await lab.Client.KnockAsync(Lab.ServerV4, "7000/udp", "8000/tcp", "9000/udp");
        for (var i = 0; i < 4; i++)
        {
            (await lab.Client.ShAsync(ask)).Stdout.Trim().ShouldBe("ping");
            await Task.Delay(1000);
        }
    }
}
