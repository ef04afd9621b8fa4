using NftKnock.Testing.Namespaces;
using NftKnock.Server.Safety;

namespace NftKnock.Integration.Tests;

/// <summary>The review's injections against a real nft: a config file name and a --table value never run as nft commands.</summary>
public sealed class UntrustedInputTests
{
    private const string Config = """
        doors:
          ssh:
            protect: [22/tcp]
            sequence: [17343/udp, 9121/tcp, 28877/udp]
        """;

    private static async Task<string> TablesAsync(Lab lab) =>
        (await lab.Server.RunAsync("nft", "list", "tables")).EnsureSuccess("nft list tables").Stdout;

    [KernelFact]
    public async Task A_config_file_name_with_a_newline_adds_no_table()
    {
        await using var lab = await Lab.StartAsync();
        var folder = Directory.CreateTempSubdirectory($"{lab.Id}-").FullName;
        try
        {
            var path = Path.Combine(folder, "x\nadd table ip pwned\n#");
            await File.WriteAllTextAsync(path, Config);

            (await lab.Server.NftknockAsync("apply", "-c", path)).EnsureSuccess("nftknock apply");

            var tables = await TablesAsync(lab);
            tables.ShouldContain("table inet nftknock");
            tables.ShouldNotContain("pwned");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [KernelFact]
    public async Task The_rollback_watcher_refuses_a_pending_apply_that_names_a_path_as_its_table()
    {
        await using var lab = await Lab.StartAsync();
        var folder = Directory.CreateTempSubdirectory($"{lab.Id}-").FullName;
        try
        {
            var run = Directory.CreateDirectory(Path.Combine(folder, "run")).FullName;
            var pending = Path.Combine(run, "x.pending");
            var snapshot = new TableSnapshot("../x; add table ip pwned", null, DateTimeOffset.UnixEpoch);
            await File.WriteAllTextAsync(pending, new PendingApply("00", TimeSpan.FromSeconds(1), snapshot, 1).ToJson());

            var watch = await lab.Server.NftknockAsync("rollback-watch", pending);

            watch.ExitCode.ShouldBe(1);
            watch.Stderr.ShouldBe($"nftknock: the pending apply {pending} names an invalid table; nothing was restored.\n");
            Directory.GetFiles(folder).ShouldBeEmpty();
            (await TablesAsync(lab)).ShouldNotContain("pwned");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [KernelFact]
    public async Task A_table_option_with_nft_syntax_adds_no_table_and_exits_2()
    {
        await using var lab = await Lab.StartAsync();

        var status = await lab.Server.NftknockAsync("status", "--table", "nftknock; add table ip pwned");
        var remove = await lab.Server.NftknockAsync("remove", "--table", "x; add table ip pwned");

        status.ExitCode.ShouldBe(2);
        remove.ExitCode.ShouldBe(2);
        status.Stderr.ShouldStartWith("nftknock: The table name 'nftknock; add table ip pwned' is invalid.");
        (await TablesAsync(lab)).ShouldNotContain("pwned");
    }
}
