using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests;

/// <summary>Every row of the knock state machine, with real packets, over IPv4 and IPv6.</summary>
public sealed class StateMachineTests
{
    private const string Config = """
        doors:
          ssh:
            protect: [22/tcp]
            sequence: [7000/udp, 8000/tcp, 9000/udp]
            step-timeout: 2s
            open-for: 4s
        """;

    private static (string Server, string Attacker) Addresses(string family) =>
        family == "v4" ? (Lab.ServerV4, Lab.ServerV4FromAttacker) : (Lab.ServerV6, Lab.ServerV6FromAttacker);

    [KernelTheory]
    [InlineData("v4")]
    [InlineData("v6")]
    public async Task Protected_port_is_hidden_until_the_right_knock_and_then_open_for_that_source_only(string family)
    {
        await using var lab = await ServerSteps.StartServingAsync(Config);
        var (server, fromAttacker) = Addresses(family);
        (await lab.Client.CanConnectAsync(server, 22)).ShouldBeFalse();

        await lab.Client.KnockAsync(server, "7000/udp", "8000/tcp", "9000/udp");

        (await lab.Client.CanConnectAsync(server, 22)).ShouldBeTrue();
        (await lab.Attacker.CanConnectAsync(fromAttacker, 22)).ShouldBeFalse();
    }

    [KernelTheory]
    [InlineData("v4")]
    [InlineData("v6")]
    public async Task Knock_in_wrong_order_leaves_port_closed(string family)
    {
        await using var lab = await ServerSteps.StartServingAsync(Config);
        var (server, _) = Addresses(family);

        await lab.Client.KnockAsync(server, "7000/udp", "9000/udp", "8000/tcp");

        (await lab.Client.CanConnectAsync(server, 22)).ShouldBeFalse();
    }

    [KernelTheory]
    [InlineData("v4")]
    [InlineData("v6")]
    public async Task Repeated_steps_are_ignored(string family)
    {
        await using var lab = await ServerSteps.StartServingAsync(Config);
        var (server, _) = Addresses(family);

        await lab.Client.KnockAsync(server, "7000/udp", "7000/udp", "8000/tcp", "8000/tcp", "9000/udp");

        (await lab.Client.CanConnectAsync(server, 22)).ShouldBeTrue();
    }

    [KernelTheory]
    [InlineData("v4")]
    [InlineData("v6")]
    public async Task Step_one_restarts_the_sequence_from_any_stage(string family)
    {
        await using var lab = await ServerSteps.StartServingAsync(Config);
        var (server, _) = Addresses(family);

        await lab.Client.KnockAsync(server, "7000/udp", "8000/tcp", "7000/udp", "9000/udp");
        (await lab.Client.CanConnectAsync(server, 22)).ShouldBeFalse();

        await lab.Client.KnockAsync(server, "7000/udp", "8000/tcp", "7000/udp", "8000/tcp", "9000/udp");
        (await lab.Client.CanConnectAsync(server, 22)).ShouldBeTrue();
    }

    [KernelTheory]
    [InlineData("v4", "5555/udp")]
    [InlineData("v4", "5555/tcp")]
    [InlineData("v6", "5555/udp")]
    [InlineData("v6", "5555/tcp")]
    public async Task Any_other_new_packet_during_a_knock_costs_all_progress(string family, string stray)
    {
        await using var lab = await ServerSteps.StartServingAsync(Config);
        var (server, _) = Addresses(family);

        await lab.Client.KnockAsync(server, "7000/udp", "8000/tcp", stray, "9000/udp");

        (await lab.Client.CanConnectAsync(server, 22)).ShouldBeFalse();
        (await lab.Server.RunAsync("nft", "list", "counter", "inet", "nftknock", "ssh_resets")).Stdout.ShouldContain("packets 1 ");
    }

    [KernelFact]
    public async Task A_step_after_the_step_timeout_does_not_advance()
    {
        await using var lab = await ServerSteps.StartServingAsync(Config);

        await lab.Client.KnockAsync(Lab.ServerV4, "7000/udp", "8000/tcp");
        await Task.Delay(2500);
        await lab.Client.KnockAsync(Lab.ServerV4, "9000/udp");

        (await lab.Client.CanConnectAsync(Lab.ServerV4, 22)).ShouldBeFalse();
    }

    [KernelFact]
    public async Task Grant_expires_but_an_established_connection_survives_it()
    {
        await using var lab = await ServerSteps.StartServingAsync(Config);
        await lab.Client.KnockAsync(Lab.ServerV4, "7000/udp", "8000/tcp", "9000/udp");

        // One connection made inside the window, used again after the window has closed.
        var session = lab.Client.ShAsync(
            $"exec 3<>/dev/tcp/{Lab.ServerV4}/22 && echo first >&3 && read -t 2 a <&3 && sleep 5 && echo second >&3 && read -t 2 b <&3 && echo \"$a $b\"",
            TimeSpan.FromSeconds(15));
        await Task.Delay(5000);
        (await lab.Client.CanConnectAsync(Lab.ServerV4, 22)).ShouldBeFalse();

        var result = await session;
        result.Stdout.Trim().ShouldBe("first second");
    }
}
