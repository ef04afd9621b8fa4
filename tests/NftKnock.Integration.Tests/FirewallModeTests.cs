using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests;

/// <summary>Firewall mode: a complete stealth firewall with the door inside it.</summary>
public sealed class FirewallModeTests
{
    private static string Config(bool reject) => $"""
        mode: firewall
        firewall:
          allow: [80/tcp]
          reject: {(reject ? "true" : "false")}
        doors:
          ssh:
            protect: [22/tcp]
            sequence: [23817/udp, 4410/tcp, 51002/udp]
        """;

    [KernelFact]
    public async Task Unlisted_ports_are_dropped_allowed_ports_and_ping_pass_and_the_door_opens()
    {
        await using var lab = await Lab.StartAsync();
        await lab.ApplyOkAsync(Config(reject: false));
        await lab.Server.EchoServiceAsync(22);
        await lab.Server.EchoServiceAsync(80);
        await lab.Server.EchoServiceAsync(8080);

        (await lab.Client.CanConnectAsync(Lab.ServerV4, 80)).ShouldBeTrue();
        (await lab.Client.CanConnectAsync(Lab.ServerV6, 80)).ShouldBeTrue();
        (await lab.Client.CanConnectAsync(Lab.ServerV4, 8080)).ShouldBeFalse();
        (await lab.Client.CanConnectAsync(Lab.ServerV4, 22)).ShouldBeFalse();
        (await lab.Client.RunAsync("ping", "-c", "1", "-W", "1", Lab.ServerV4)).ExitCode.ShouldBe(0);
        (await lab.Client.RunAsync("ping", "-6", "-c", "1", "-W", "1", Lab.ServerV6)).ExitCode.ShouldBe(0);

        await lab.Client.KnockAsync(Lab.ServerV4, "23817/udp", "4410/tcp", "51002/udp");
        (await lab.Client.CanConnectAsync(Lab.ServerV4, 22)).ShouldBeTrue();
        (await lab.Attacker.CanConnectAsync(Lab.ServerV4FromAttacker, 22)).ShouldBeFalse();
    }

    [KernelFact]
    public async Task Reject_answers_like_a_closed_host()
    {
        await using var lab = await Lab.StartAsync();
        await lab.ApplyOkAsync(Config(reject: true));

        // A closed host answers at once with a reset instead of letting the connect time out.
        var result = await lab.Client.ShAsync($"timeout 3 bash -c 'exec 3<>/dev/tcp/{Lab.ServerV4}/8080' 2>&1; echo exit=$?");

        result.Stdout.ShouldContain("Connection refused");
    }
}
