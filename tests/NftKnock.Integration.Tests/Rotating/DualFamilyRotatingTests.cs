using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests.Rotating;

/// <summary>
/// A rotating door knocked by name over both families by the real client: IPv4 knocks the current
/// window and IPv6 the next one, and each family is granted, while the captured knock opens nothing for
/// another address of either family. The server claims a window once for both families.
/// </summary>
public sealed class DualFamilyRotatingTests
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(4);

    /// <summary>The name the client's /etc/hosts gives both of the server's addresses.</summary>
    private const string Name = "server.test";

    [KernelFact]
    public async Task Knock_by_name_opens_both_families_and_the_captured_knock_opens_no_other_address()
    {
        await using var lab = await RotatingLab.StartWithPrefixAsync("dualknockr", ["alice"]);
        await lab.ApplyAsync(lab.Config(Period, false, "alice"));
        await lab.StartRotateAsync();

        // ip netns exec, which runs every command of the kit, mounts this file over /etc/hosts.
        await lab.Lab.WriteHostsAsync(lab.Lab.Client, $"127.0.0.1 localhost\n{Lab.ServerV4} {Name}\n{Lab.ServerV6} {Name}\n");
        var profile = lab.WriteProfile("alice", Name, Period);
        var sequence = lab.Sequence("alice", Period);
        await RotatingLab.AtWindowFractionAsync(Period, 0.1, 0.4);
        var window = sequence.WindowAt(DateTimeOffset.UtcNow);

        var run = await lab.Lab.Client.NftknockAsync("knock", Name, "--profiles", profile);

        sequence.WindowAt(DateTimeOffset.UtcNow).ShouldBe(window, "the knock crossed a window boundary, so which window it used is unknown");
        run.ExitCode.ShouldBe(0, run.Stderr);
        run.Stdout.ShouldBe($"Knocked 3 steps on {Lab.ServerV4} and {Lab.ServerV6}.\n");
        await lab.ExpectAsync(true, lab.Lab.Client, Lab.ServerV4, "client over IPv4");
        await lab.ExpectAsync(true, lab.Lab.Client, Lab.ServerV6, "client over IPv6");

        // The v4 knock as captured on the wire: its window's ports and tokens, sent from elsewhere.
        var captured = sequence.Window(window);
        await lab.Lab.Attacker.KnockAsync(Lab.ServerV6FromAttacker, captured);
        await lab.ExpectAsync(false, lab.Lab.Attacker, Lab.ServerV6FromAttacker, "the captured knock replayed from another IPv6 address");
        await lab.Lab.Attacker.KnockAsync(Lab.ServerV4FromAttacker, captured);
        await lab.ExpectAsync(false, lab.Lab.Attacker, Lab.ServerV4FromAttacker, "the captured knock replayed from another IPv4 address");
        (await lab.Lab.SetAsync("ssh_open_v4")).ShouldNotContain(Lab.AttackerV4);
        (await lab.Lab.SetAsync("ssh_open_v6")).ShouldNotContain(Lab.AttackerV6);
    }
}
