using System.Security.Cryptography;
using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests.Client;

/// <summary>Real ssh and scp through <c>ProxyCommand nftknock connect %h %p</c>, from the client namespace to sshd behind nftknock.</summary>
public sealed class SshThroughProxyTests
{
    private const string Profile = """
        hosts:
          server.test:
            address: 198.18.1.1
            sequence: [7000/udp, 8000/tcp, 9000/udp]
        """;

    [KernelFact]
    public async Task Ssh_runs_a_remote_command_with_exactly_one_connection_per_run()
    {
        await using var rig = await SshRig.StartAsync();
        await rig.WriteProfileAsync(Profile);

        for (var run = 1; run <= 3; run++)
        {
            var ssh = await rig.ClientAsync("ssh", "server.test", "echo", "remote-says-hello");

            ssh.ExitCode.ShouldBe(0, ssh.Stderr);
            ssh.Stdout.ShouldBe("remote-says-hello\n");
            ssh.Stderr.ShouldNotContain("nftknock:");
            (await rig.CountAsync("syn22_v4")).ShouldBe(run, "one SYN to sshd per ssh run: no probe, no retry on a clean link");
        }
    }

    [KernelFact]
    public async Task Tcp_knock_is_one_SYN_that_is_never_retransmitted_during_a_long_session()
    {
        await using var rig = await SshRig.StartAsync();
        await rig.WriteProfileAsync(Profile);

        // Linux retransmits an unanswered SYN after 1 s and 3 s; the session outlives both.
        var ssh = await rig.ClientAsync("ssh", "server.test", "sleep 3.5; echo done");

        ssh.ExitCode.ShouldBe(0, ssh.Stderr);
        ssh.Stdout.ShouldBe("done\n");
        (await rig.CountAsync("syn8000")).ShouldBe(1);
        (await rig.CountAsync("syn22_v4")).ShouldBe(1);
    }

    [KernelFact]
    public async Task Lost_first_knock_is_retried_and_ssh_still_gets_in_without_a_probe()
    {
        await using var rig = await SshRig.StartAsync();
        await rig.WriteProfileAsync(Profile);
        // The link loses the very first knock packet: it is dropped as it arrives at the server,
        // before the counters and nftknock see it.
        (await rig.Lab.Server.NftAsync("""
            table inet nkc_loss {
                set lost { type ipv4_addr; }
                chain prerouting {
                    type filter hook prerouting priority -400; policy accept;
                    udp dport 7000 ip saddr != @lost add @lost { ip saddr } drop
                }
            }
            """)).EnsureSuccess("loss table");

        var ssh = await rig.ClientAsync("ssh", "server.test", "echo", "second-attempt");

        ssh.ExitCode.ShouldBe(0, ssh.Stderr);
        ssh.Stdout.ShouldBe("second-attempt\n");
        (await rig.CountAsync("knock_v4")).ShouldBe(2, "the first attempt's first knock never arrived; the retry sends each knock twice");
        (await rig.CountAsync("syn8000")).ShouldBe(3, "a TCP knock is one SYN: one on the first attempt, two on the retry");
        (await rig.CountAsync("syn22_v4")).ShouldBe(2, "one connection per attempt: the timed-out one and the session");
    }

    [KernelFact]
    public async Task Ssh_with_the_wrong_sequence_fails_cleanly_after_its_attempts()
    {
        await using var rig = await SshRig.StartAsync();
        await rig.WriteProfileAsync("""
            hosts:
              server.test:
                address: 198.18.1.1
                sequence: [7000/udp, 9000/udp, 8000/tcp]
                attempts: 2
                connect-timeout: 200ms
            """);

        var ssh = await rig.ClientAsync("ssh", "server.test", "echo", "never");

        ssh.ExitCode.ShouldBe(255);
        ssh.Stdout.ShouldBeEmpty();
        ssh.Stderr.ShouldContain("nftknock: knocked 2 times on server.test (198.18.1.1) but port 22 never opened. Check the knock sequence, the family and that the server runs nftknock.");
        (await rig.CountAsync("syn22_v4")).ShouldBe(2, "one connection attempt per knock attempt, nothing else");
    }

    [KernelFact]
    public async Task Ssh_without_a_profile_for_the_host_fails_cleanly_without_sending()
    {
        await using var rig = await SshRig.StartAsync();
        await rig.WriteProfileAsync("hosts:\n  other.test:\n    sequence: [7000/udp, 8000/tcp, 9000/udp]\n");

        var ssh = await rig.ClientAsync("ssh", "server.test", "echo", "never");

        ssh.ExitCode.ShouldBe(255);
        ssh.Stderr.ShouldContain($"nftknock: no knock steps for server.test. Give them on the command line, like 7000/udp 8000/tcp 9000/udp, or add server.test with a sequence: to {rig.ConfigHome}/nftknock/client.yaml.");
        (await rig.CountAsync("knock_v4")).ShouldBe(0);
        (await rig.CountAsync("syn22_v4")).ShouldBe(0);
    }

    [KernelFact]
    public async Task Scp_of_16_MiB_through_the_proxy_arrives_intact()
    {
        await using var rig = await SshRig.StartAsync();
        await rig.WriteProfileAsync(Profile);
        var source = Path.Join(rig.Dir, "payload.bin");
        var target = Path.Join(rig.Dir, "copied.bin");
        var data = RandomNumberGenerator.GetBytes(16 * 1024 * 1024);
        await File.WriteAllBytesAsync(source, data);

        var scp = await rig.ClientAsync("scp", "-q", source, $"server.test:{target}");

        scp.ExitCode.ShouldBe(0, scp.Stderr);
        SHA256.HashData(await File.ReadAllBytesAsync(target)).ShouldBe(SHA256.HashData(data));
        (await rig.CountAsync("syn22_v4")).ShouldBe(1);
    }

    [KernelTheory]
    [InlineData("any")]
    [InlineData("ipv4")]
    [InlineData("ipv6")]
    public async Task Name_with_IPv4_and_IPv6_addresses_knocks_and_connects_over_one_family(string family)
    {
        await using var rig = await SshRig.StartAsync();
        await rig.Lab.WriteHostsAsync(rig.Lab.Client, $"127.0.0.1 localhost\n{Lab.ServerV4} dual.test\n{Lab.ServerV6} dual.test\n");
        await rig.WriteProfileAsync($$"""
            hosts:
              "*.test":
                sequence: [7000/udp, 8000/tcp, 9000/udp]
                family: {{family}}
            """);

        var ssh = await rig.ClientAsync("ssh", "dual.test", "echo", "dual-ok");

        ssh.ExitCode.ShouldBe(0, ssh.Stderr);
        ssh.Stdout.ShouldBe("dual-ok\n");
        long[] knocks = [await rig.CountAsync("knock_v4"), await rig.CountAsync("knock_v6")];
        long[] syns = [await rig.CountAsync("syn22_v4"), await rig.CountAsync("syn22_v6")];
        knocks.Sum().ShouldBe(1, "one attempt, one first knock");
        syns.ShouldBe(knocks, "the connection used the family that knocked");
        if (family != "any")
        {
            knocks[family == "ipv4" ? 0 : 1].ShouldBe(1);
        }
    }
}
