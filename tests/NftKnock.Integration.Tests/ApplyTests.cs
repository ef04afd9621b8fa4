using NftKnock.Core.Config;
using NftKnock.Core.Ruleset;
using NftKnock.Core.Ruleset.Model;
using NftKnock.Server.Nftables;
using NftKnock.Server.Tables;
using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests;

/// <summary>apply and remove against a real kernel: atomic, grant-preserving, and blind to other tables.</summary>
public sealed class ApplyTests
{
    private const string Config = """
        doors:
          ssh:
            protect: [22/tcp]
            sequence: [7000/udp, 8000/tcp, 9000/udp]
            open-for: 30s
        """;

    private const string Foreign = """
        table inet host_fw {
            set trusted { type ipv4_addr; flags interval; elements = { 198.18.9.0/24 } }
            chain input {
                type filter hook input priority filter; policy accept;
                ip saddr @trusted counter accept
                tcp dport 22 counter accept
            }
        }
        table ip legacy {
            chain output {
                type filter hook output priority 0; policy accept;
                counter
            }
        }
        """;

    [KernelFact]
    public async Task Reapply_keeps_a_grant()
    {
        await using var lab = await Lab.StartAsync();
        await lab.ApplyOkAsync(Config);
        await lab.Server.EchoServiceAsync(22);
        await lab.Client.KnockAsync(Lab.ServerV4, "7000/udp", "8000/tcp", "9000/udp");

        var again = await lab.ApplyAsync(Config.Replace("30s", "40s", StringComparison.Ordinal));

        again.ExitCode.ShouldBe(0);
        again.Stdout.ShouldContain("Current grants and knocks in progress are kept.");
        (await lab.SetAsync("ssh_open_v4")).ShouldContain(Lab.ClientV4);
        (await lab.Client.CanConnectAsync(Lab.ServerV4, 22)).ShouldBeTrue();
    }

    [KernelFact]
    public async Task Reapply_with_other_doors_deletes_what_the_config_no_longer_has()
    {
        await using var lab = await Lab.StartAsync();
        await lab.ApplyOkAsync(Config + """

              web:
                protect: [8443/tcp]
                sequence: [7001/udp, 8001/udp, 6001/udp]
            """);

        await lab.ApplyOkAsync(Config);

        var table = (await lab.Server.RunAsync("nft", "list", "table", "inet", "nftknock")).Stdout;
        table.ShouldNotContain("web_");
        table.ShouldContain("ssh_open_v4");
    }

    [KernelFact]
    public async Task Foreign_tables_are_byte_identical_after_apply_and_remove()
    {
        await using var lab = await Lab.StartAsync();
        (await lab.Server.NftAsync(Foreign)).EnsureSuccess("foreign tables");
        async Task<string> ForeignText() =>
            (await lab.Server.ShAsync("nft list table inet host_fw; nft list table ip legacy")).EnsureSuccess("list").Stdout;
        var before = await ForeignText();

        await lab.ApplyOkAsync(Config);
        (await ForeignText()).ShouldBe(before);
        await lab.ApplyOkAsync(Config);
        (await ForeignText()).ShouldBe(before);
        (await lab.Server.NftknockAsync("remove")).EnsureSuccess("remove");

        (await ForeignText()).ShouldBe(before);
        (await lab.Server.RunAsync("nft", "list", "table", "inet", "nftknock")).ExitCode.ShouldNotBe(0);
    }

    [KernelFact]
    public async Task Remove_when_absent_says_so_and_succeeds()
    {
        await using var lab = await Lab.StartAsync();

        var result = await lab.Server.NftknockAsync("remove");

        result.ExitCode.ShouldBe(0);
        result.Stdout.Trim().ShouldBe("There is no table inet nftknock; nothing to remove.");
    }

    [KernelFact]
    public async Task A_same_named_table_that_is_not_ours_is_never_flushed_or_deleted()
    {
        await using var lab = await Lab.StartAsync();
        (await lab.Server.NftAsync("table inet nftknock {\n chain input {\n type filter hook input priority 0; policy accept;\n tcp dport 22 accept\n }\n}\n"))
            .EnsureSuccess("foreign table with our name");
        var before = (await lab.Server.RunAsync("nft", "list", "table", "inet", "nftknock")).Stdout;

        var apply = await lab.ApplyAsync(Config);
        var remove = await lab.Server.NftknockAsync("remove");

        apply.ExitCode.ShouldBe(1);
        apply.Stderr.ShouldContain("exists and was not made by nftknock");
        remove.ExitCode.ShouldBe(1);
        (await lab.Server.RunAsync("nft", "list", "table", "inet", "nftknock")).Stdout.ShouldBe(before);
    }

    [KernelFact]
    public async Task A_ruleset_that_nft_refuses_changes_nothing_and_names_the_line()
    {
        await using var lab = await Lab.StartAsync();
        await lab.ApplyOkAsync(Config);
        var before = (await lab.Server.RunAsync("nft", "list", "ruleset")).Stdout;
        var plan = Planner.Plan(ConfigReader.Read(Config).Config!);
        var input = plan.Model.Get<NftChain>(Names.Input);
        var broken = new RulesetPlan(plan.Model.Replace(input with { Rules = [new NftRule("this is not nft"), .. input.Rules] }));

        // The real nft inside the server namespace, through the same seam apply uses.
        var service = new TableService(new NetnsNft(lab.Server.Name));
        var error = await Should.ThrowAsync<NftException>(() => service.ApplyAsync(broken, "# test\n"));

        error.Kind.ShouldBe(NftFailureKind.Refused);
        error.OffendingLine.ShouldBe("this is not nft");
        (await lab.Server.RunAsync("nft", "list", "ruleset")).Stdout.ShouldBe(before);
    }

    [KernelFact]
    public async Task Apply_without_privileges_exits_4_and_changes_nothing()
    {
        await using var lab = await Lab.StartAsync();
        var path = Path.Combine(Path.GetTempPath(), $"{lab.Id}.yaml");
        await File.WriteAllTextAsync(path, Config);
        try
        {
            // setpriv drops every capability, as an unprivileged operator would run it.
            var result = await lab.Server.RunAsync(
                "setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", .. NftknockCli.Command("apply", "-c", path)]);

            result.ExitCode.ShouldBe(4);
            result.Stderr.Trim().Split('\n')[^1].ShouldBe("nftknock: apply changes or reads the firewall and needs root or CAP_NET_ADMIN. Run it with sudo.");
            (await lab.Server.RunAsync("nft", "list", "ruleset")).Stdout.Trim().ShouldBeEmpty();
        }
        finally
        {
            File.Delete(path);
        }
    }
}

/// <summary>The real nft, run inside a namespace: the production backend behind an <c>ip netns exec</c> wrapper.</summary>
internal sealed class NetnsNft : INftables
{
    private readonly NftProcess inner;

    public NetnsNft(string ns)
    {
        var path = Path.Combine(Path.GetTempPath(), $"nft-in-{ns}");
        File.WriteAllText(path, $"#!/bin/sh\nexec ip netns exec {ns} nft \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        inner = new NftProcess(path);
    }

    public Task RunAsync(string script, bool checkOnly, CancellationToken cancel = default) => inner.RunAsync(script, checkOnly, cancel);

    public Task<string?> ListTableAsync(string table, bool json, CancellationToken cancel = default) => inner.ListTableAsync(table, json, cancel);

    public Task<string> ListRulesetAsync(CancellationToken cancel = default) => inner.ListRulesetAsync(cancel);

    public Task<string> ListNatTablesAsync(string ourTable, CancellationToken cancel = default) => inner.ListNatTablesAsync(ourTable, cancel);
}
