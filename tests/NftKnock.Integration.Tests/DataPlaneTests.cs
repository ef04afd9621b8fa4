using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests;

/// <summary>
/// Guard mode decides what the kernel will deliver, not just what nft can parse: IPv6 fragments
/// (nothing reassembles them before the input hook without conntrack) and TCP flag probes, sent as
/// crafted packets.
/// </summary>
public sealed class DataPlaneTests
{
    private static string Config(string extra = "", string protect = "[22/tcp]") => $"""
        doors:
          ssh:
            protect: {protect}
            sequence: [7000/udp, 8000/tcp, 9000/udp]
            step-timeout: 10s
            open-for: 10s
        {extra}
        """;

    private static string FromAttacker(string family) => family == "v4" ? Lab.ServerV4FromAttacker : Lab.ServerV6FromAttacker;

    private static string FromClient(string family) => family == "v4" ? Lab.ServerV4 : Lab.ServerV6;

    [CraftedTheory]
    [InlineData("dstopts")]
    [InlineData("ports")]
    [InlineData("short")]
    public async Task A_fragmented_syn_gets_no_answer_and_the_knock_still_opens_the_door(string split)
    {
        await using var lab = await ServerSteps.StartServingAsync(Config());

        (await lab.Client.ProbeAsync("frag-syn", Lab.ServerV6, "22", split)).ShouldBe("none");

        await lab.Client.KnockAsync(Lab.ServerV6, "7000/udp", "8000/tcp", "9000/udp");
        (await lab.Client.CanConnectAsync(Lab.ServerV6, 22)).ShouldBeTrue();
    }

    [CraftedFact]
    public async Task A_tcp_knock_counts_only_from_a_syn_whose_flags_nft_could_read()
    {
        await using var lab = await ServerSteps.StartServingAsync(Config());

        // The first fragment names the knock port but ends before the flags.
        await lab.Client.KnockAsync(Lab.ServerV6, "7000/udp");
        await lab.Client.ProbeAsync("frag-syn", Lab.ServerV6, "8000", "ports");
        await lab.Client.KnockAsync(Lab.ServerV6, "9000/udp");
        (await lab.Client.CanConnectAsync(Lab.ServerV6, 22)).ShouldBeFalse();

        // The same knock with a whole SYN from the same tool opens the door.
        await lab.Client.KnockAsync(Lab.ServerV6, "7000/udp");
        await lab.Client.ProbeAsync("tcp", Lab.ServerV6, "8000", "S");
        await lab.Client.KnockAsync(Lab.ServerV6, "9000/udp");
        (await lab.Client.CanConnectAsync(Lab.ServerV6, 22)).ShouldBeTrue();
    }

    [CraftedTheory]
    [InlineData("v4")]
    [InlineData("v6")]
    public async Task Null_fin_and_xmas_probes_without_a_grant_are_dropped_by_the_table(string family)
    {
        await using var lab = await ServerSteps.StartServingAsync(Config());

        var answers = await lab.Attacker.ProbeAsync("tcp", FromAttacker(family), "22", "none", "F", "FPU");

        answers.Split('\n').ShouldBe(["none", "none", "none"]);
        (await lab.CounterAsync("ssh_blocked")).ShouldBe(3);
        await lab.Client.KnockAsync(FromClient(family), "7000/udp", "8000/tcp", "9000/udp");
        (await lab.Client.CanConnectAsync(FromClient(family), 22)).ShouldBeTrue();
    }

    [CraftedTheory]
    [InlineData("v4")]
    [InlineData("v6")]
    public async Task Refuse_reset_answers_like_the_closed_port_next_door(string family)
    {
        await using var lab = await ServerSteps.StartServingAsync(Config("    refuse: reset", "[22/tcp, 5353/udp]"));
        await lab.Server.EchoServiceAsync(5353, "UDP");
        var server = FromAttacker(family);

        // 23/tcp and 5354/udp are closed: the kernel itself answers them.
        var hidden = await lab.Attacker.ProbeAsync("tcp", server, "22", "S", "none", "F", "FPU");
        var closed = await lab.Attacker.ProbeAsync("tcp", server, "23", "S", "none", "F", "FPU");
        closed.Split('\n').ShouldBe(["tcp:RA", "tcp:RA", "tcp:RA", "tcp:RA"]);
        hidden.ShouldBe(closed);
        (await lab.Attacker.ProbeAsync("udp", server, "5353", "100")).ShouldBe("refused");
        (await lab.Attacker.ProbeAsync("udp", server, "5354", "100")).ShouldBe("refused");

        await lab.Client.KnockAsync(FromClient(family), "7000/udp", "8000/tcp", "9000/udp");
        (await lab.Client.CanConnectAsync(FromClient(family), 22)).ShouldBeTrue();
        (await lab.Client.ProbeAsync("udp", FromClient(family), "5353", "100")).ShouldBe("100");
    }

    [CraftedTheory]
    [InlineData("v4")]
    [InlineData("v6")]
    public async Task Fragmented_udp_datagrams_still_arrive(string family)
    {
        await using var lab = await ServerSteps.StartServingAsync(Config(protect: "[22/tcp, 5353/udp]"));
        await lab.Server.EchoServiceAsync(5300, "UDP");
        await lab.Server.EchoServiceAsync(5353, "UDP");
        var server = FromClient(family);

        // 4000 bytes do not fit a 1500-byte link: the client's kernel fragments them, as a large DNS answer is.
        (await lab.Client.ProbeAsync("udp", server, "5300", "4000")).ShouldBe("4000");
        await lab.Client.KnockAsync(server, "7000/udp", "8000/tcp", "9000/udp");
        (await lab.Client.ProbeAsync("udp", server, "5353", "4000")).ShouldBe("4000");
    }
}
