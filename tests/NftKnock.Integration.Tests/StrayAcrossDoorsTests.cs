using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests;

/// <summary>
/// A stray packet resets a knock whatever other doors the source knocked at meanwhile: the one lookup that spares
/// every other source the per-door progress sets must still find each source some door holds in progress.
/// </summary>
public sealed class StrayAcrossDoorsTests
{
    // ssh keeps a source's progress for 6 s, web for 1 s: a step at web must not shorten ssh's hold.
    private const string Config = """
        doors:
          ssh:
            protect: [22/tcp]
            sequence: [7000/udp, 8000/tcp, 9000/udp]
            step-timeout: 6s
            open-for: 10s
          web:
            protect: [8080/tcp]
            sequence: [17000/udp, 18000/tcp, 19000/udp]
            step-timeout: 1s
            open-for: 10s
        """;

    [KernelTheory]
    [InlineData("v4")]
    [InlineData("v6")]
    public async Task A_stray_packet_resets_a_slow_door_after_a_quick_door_s_step_has_timed_out(string family)
    {
        await using var lab = await ServerSteps.StartServingAsync(Config);
        var server = family == "v4" ? Lab.ServerV4 : Lab.ServerV6;

        await lab.Client.KnockAsync(server, "7000/udp", "8000/tcp", "17000/udp");
        await Task.Delay(2000);
        await lab.Client.KnockAsync(server, "5555/udp", "9000/udp");

        (await lab.Client.CanConnectAsync(server, 22)).ShouldBeFalse("the stray datagram cost ssh's progress");
        (await lab.CounterAsync("ssh_resets")).ShouldBe(1);
        (await lab.CounterAsync("web_resets")).ShouldBe(0);
    }

    [KernelTheory]
    [InlineData("v4")]
    [InlineData("v6")]
    public async Task Without_a_stray_packet_the_slow_door_still_opens(string family)
    {
        await using var lab = await ServerSteps.StartServingAsync(Config);
        var server = family == "v4" ? Lab.ServerV4 : Lab.ServerV6;

        await lab.Client.KnockAsync(server, "7000/udp", "8000/tcp", "17000/udp");
        await Task.Delay(2000);
        await lab.Client.KnockAsync(server, "9000/udp");

        (await lab.Client.CanConnectAsync(server, 22)).ShouldBeTrue("another door's knock is no stray packet");
        (await lab.CounterAsync("ssh_resets")).ShouldBe(0);
    }
}
