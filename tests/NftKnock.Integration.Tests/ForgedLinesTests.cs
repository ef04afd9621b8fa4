using System.Globalization;
using NftKnock.Integration.Tests.Rotating;
using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests;

/// <summary>
/// With net.netfilter.nf_log_all_netns=1 any user who may create a user and network namespace can load a
/// table there and have the kernel log lines that read exactly like nftknock's. nftknock events (and so
/// nftknock-events.service, and the fail2ban filter that reads its records) take lines only from the
/// table's NFLOG group, which belongs to its own namespace: such lines never reach them.
/// </summary>
public sealed class ForgedLinesTests
{
    /// <summary>The address the forger's own namespace gives itself, and so the SRC of its lines.</summary>
    private const string Forged = "198.18.250.1";

    [KernelFact]
    public async Task Lines_forged_from_a_user_s_own_namespace_reach_the_kernel_log_but_not_events_or_the_fail2ban_filter()
    {
        using var logged = new KernelLog();
        await using var lab = await RotatingLab.StartWithPrefixAsync("nkf", ["alice", "bob"]);
        var door = lab.Lab.Id;
        await lab.ApplyAsync(RotatingClientTests.Config(lab, door));
        await using var recorder = await Recorder.StartAsync(lab.Lab.Server);
        var recorded = RotatingClientTests.Now(lab, door, "alice");

        // Genuine: alice's grant, and the attacker's replay of her knock.
        await lab.Lab.Client.KnockAsync(Lab.ServerV4, recorded);
        await lab.Lab.Attacker.KnockAsync(Lab.ServerV4FromAttacker, recorded);
        var replay = $"nftknock {door} replay client=alice: ";
        (await recorder.WaitForAsync(replay)).ShouldHaveSingleItem().ShouldContain($" SRC={Lab.AttackerV4} ");

        await ForgeAsync(door);

        // The forgery works against a reader of the kernel log: its lines are there, with the forger's SRC.
        var kernel = await KernelLog.WaitForAsync(replay, count: 2);
        kernel.Count.ShouldBe(2, "the forged lines did not reach the kernel log, so this test shows nothing");
        kernel.ShouldAllBe(l => l.Contains($" SRC={Forged} ", StringComparison.Ordinal));

        // Neither the kernel log's lines nor the forger's own NFLOG group reach events.
        await Task.Delay(1000);
        recorder.Lines($"nftknock {door} ").Count.ShouldBe(2);
        recorder.All().ShouldNotContain(l => l.Contains(Forged, StringComparison.Ordinal));
        recorder.HasExited.ShouldBeFalse();

        // fail2ban with the shipped filter: the recorder's lines as its systemd backend shows them match,
        // the kernel's never (its journalmatch does not even read them; nor does the filter's pattern).
        var stamp = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        var journal = recorder.Lines($"nftknock {door} ").Select(l => $"{stamp} host nftknock-events[4242]: {l}")
            .Concat(kernel.Select(l => $"{stamp} host kernel: [  100.000000] {l}"));
        (await BannedAsync(journal)).ShouldBe([Lab.AttackerV4]);
    }

    /// <summary>
    /// As nobody, in a user and network namespace of its own: a table whose rules log nftknock's replay
    /// prefix for this door to the kernel log and to NFLOG group 4242, and one datagram to each rule,
    /// sent to the namespace's own address.
    /// </summary>
    private static async Task ForgeAsync(string door)
    {
        var table = "table inet nkforge {\n  chain input {\n    type filter hook input priority 0; policy accept;\n"
            + $"    udp dport 9 log prefix \"nftknock {door} replay client=alice: \" level info\n"
            + $"    udp dport 10 log prefix \"nftknock {door} replay client=alice: \" level warn\n"
            + $"    udp dport 11 log prefix \"nftknock {door} replay client=alice: \" group {Recorder.Group}\n"
            + "  }\n}\n";
        var send = "import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
            + $"for port in (9, 10, 11):\n    s.sendto(b'forged', ('{Forged}', port))\n";
        var script = $"ip link set lo up && ip addr add {Forged}/32 dev lo && nft -f - && /usr/bin/python3 -c \"{send}\"";
        var result = await Proc.RunAsync(
            "setpriv",
            ["--reuid=65534", "--regid=65534", "--clear-groups", "unshare", "-Urn", "sh", "-c", script],
            TimeSpan.FromSeconds(30),
            table);
        result.ExitCode.ShouldBe(0, $"an unprivileged user could not forge lines here: {result.Stderr}");
    }

    /// <summary>The addresses fail2ban-regex finds with the packaged filter in <paramref name="lines"/>.</summary>
    private static async Task<IReadOnlyList<string>> BannedAsync(IEnumerable<string> lines)
    {
        File.Exists("/usr/bin/fail2ban-regex").ShouldBeTrue("fail2ban-regex is missing: apt-get install -y fail2ban (scripts/deps.sh installs it)");
        var log = Path.Combine(Path.GetTempPath(), $"nkf-{Guid.NewGuid():N}.log");
        try
        {
            await File.WriteAllLinesAsync(log, lines);
            var result = await Proc.RunAsync("fail2ban-regex", ["-o", "ip", log, Repo.Path("packaging", "fail2ban", "nftknock-replay.conf")], TimeSpan.FromSeconds(60));
            result.ExitCode.ShouldBe(0, result.Stderr);
            return result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
        finally
        {
            File.Delete(log);
        }
    }
}
