using System.Text.Json;
using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests.Deploy;

/// <summary>nftknock doctor against a real kernel, a real host firewall table and real listeners.</summary>
public sealed class DoctorTests
{
    private const string HostFirewall = """
        table inet hostfw {
          chain input {
            type filter hook input priority 0; policy drop;
            ct state established,related accept
            iif lo accept
            tcp dport {0} {1}
          }
        }
        """;

    private static async Task<(int Code, Dictionary<string, (string Status, string Detail)> Checks)> DoctorAsync(DeployLab lab, string yaml)
    {
        var result = await lab.NftknockAsync("doctor", "-c", lab.Write(yaml), "--json");
        using var doc = JsonDocument.Parse(result.Stdout);
        var checks = doc.RootElement.GetProperty("checks").EnumerateArray().ToDictionary(
            c => c.GetProperty("name").GetString()!,
            c => (c.GetProperty("status").GetString()!, c.GetProperty("detail").GetString()!));
        return (result.ExitCode, checks);
    }

    [KernelFact]
    public async Task Doctor_passes_a_host_whose_firewall_accepts_the_protected_port_and_where_sshd_listens()
    {
        await using var lab = await DeployLab.StartAsync();
        (await lab.NftknockAsync("apply", "-c", lab.Write(DeployLab.Old))).EnsureSuccess("apply");
        (await lab.Server.NftAsync(HostFirewall.Replace("{0}", "22", StringComparison.Ordinal).Replace("{1}", "accept", StringComparison.Ordinal))).EnsureSuccess("host firewall");
        await lab.Server.EchoServiceAsync(22);

        var (code, checks) = await DoctorAsync(lab, DeployLab.Old);

        code.ShouldBe(0);
        foreach (var name in new[] { "config", "nft version", "kernel features", "host firewall", "listeners", "secret files", "table" })
        {
            checks[name].Status.ShouldBe("pass", $"{name}: {checks[name].Detail}");
        }

        checks["clock sync"].Status.ShouldBe("warn");
        checks["rotation"].Status.ShouldBe("warn");
    }

    [KernelFact]
    public async Task Doctor_fails_a_foreign_policy_drop_chain_that_drops_22_and_warns_without_listener_or_table()
    {
        await using var lab = await DeployLab.StartAsync();
        (await lab.Server.NftAsync(HostFirewall.Replace("{0}", "22", StringComparison.Ordinal).Replace("{1}", "drop", StringComparison.Ordinal))).EnsureSuccess("host firewall");

        var (code, checks) = await DoctorAsync(lab, DeployLab.Old);

        code.ShouldBe(1);
        checks["host firewall"].ShouldBe(("fail", "guard mode cannot work: table inet hostfw chain input (priority 0) has a rule that drops 22/tcp"));
        checks["listeners"].ShouldBe(("warn", "nothing listens on 22/tcp (door ssh), so a knock opens a port nobody answers"));
        checks["table"].ShouldBe(("warn", "table inet nftknock is not loaded, so nothing is protected"));
    }

    [KernelFact]
    public async Task Doctor_fails_a_table_that_drifted_from_the_config()
    {
        await using var lab = await DeployLab.StartAsync();
        (await lab.NftknockAsync("apply", "-c", lab.Write(DeployLab.Old))).EnsureSuccess("apply");

        var (code, checks) = await DoctorAsync(lab, DeployLab.New);

        code.ShouldBe(1);
        checks["table"].Status.ShouldBe("fail");
        checks["table"].Detail.ShouldStartWith("table inet nftknock differs from the config: missing: chain web_guard,");
        checks["table"].Detail.ShouldContain("; declared otherwise than the config: chain stray;");
        checks["table"].Detail.ShouldEndWith(
            "dispatch entries not in the config: tcp . 9000 : ssh_step2, udp . 7000 : ssh_step1, udp . 8000 : ssh_step3; protected entries missing: tcp . 8080 : web_guard; protected_tcp entries missing: 8080 : web_guard");
    }
}
