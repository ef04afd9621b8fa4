using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests.Deploy;

/// <summary>apply --confirm in a real namespace: what stays and what comes back.</summary>
public sealed class ConfirmTests
{
    private static async Task<DeployLab> WithOldTableAsync(bool grants)
    {
        var lab = await DeployLab.StartAsync();
        try
        {
            (await lab.NftknockAsync("apply", "-c", lab.Write(DeployLab.Old))).EnsureSuccess("apply old");
            if (grants)
            {
                await lab.GrantAsync(Lab.ClientV4, "1h");
                await lab.GrantAsync(Lab.ClientV6, "30m");
            }

            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    [KernelFact]
    public async Task Yes_within_the_window_keeps_the_new_rules()
    {
        await using var lab = await WithOldTableAsync(grants: false);

        var result = await lab.NftknockAsync("yes\n", [], "apply", "-c", lab.Write(DeployLab.New), "--confirm", "30s");

        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stdout.ShouldContain("Confirmed: table inet nftknock keeps the new ruleset.");
        (await lab.ListAsync())!.ShouldContain("chain web_guard");
        await Task.Delay(500);
        (await lab.ListAsync())!.ShouldContain("chain web_guard");
    }

    [KernelFact]
    public async Task Nftknock_confirm_from_another_shell_keeps_the_new_rules()
    {
        await using var lab = await WithOldTableAsync(grants: false);
        using var apply = lab.StartInOwnGroup("apply", "-c", lab.Write(DeployLab.New), "--confirm", "30s");
        await DeployLab.WaitForPromptAsync(apply);

        var confirm = await lab.NftknockAsync("confirm");

        confirm.ExitCode.ShouldBe(0, confirm.Stderr);
        confirm.Stdout.ShouldBe("Confirmed: table inet nftknock keeps the new ruleset.\n");
        (await DeployLab.ExitCodeAsync(apply, TimeSpan.FromSeconds(10))).ShouldBe(0);
        (await lab.ListAsync())!.ShouldContain("chain web_guard");
    }

    [KernelTheory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public async Task No_confirmation_restores_exactly_the_previous_table(bool existed, bool grants)
    {
        await using var lab = existed ? await WithOldTableAsync(grants) : await DeployLab.StartAsync();
        var before = await lab.ListAsync();

        var result = await lab.NftknockAsync("apply", "-c", lab.Write(DeployLab.New), "--confirm", "2s");

        result.ExitCode.ShouldBe(1, result.Stdout + result.Stderr);
        result.Stdout.ShouldContain(existed ? "Updated table inet nftknock" : "Created table inet nftknock");
        result.Stderr.ShouldContain(existed
            ? "nftknock: table inet nftknock: restored the table as it was before (no confirmation before the deadline)."
            : "nftknock: table inet nftknock: removed the table, which did not exist before (no confirmation before the deadline).");
        var after = await lab.ListAsync();
        DeployLab.WithoutExpiry(after).ShouldBe(DeployLab.WithoutExpiry(before));
        if (grants)
        {
            // Grants come back with the time they had left, not with a fresh timeout.
            var left = DeployLab.TimeLeft(after!);
            left.Count.ShouldBe(2);
            DeployLab.TimeLeft(before!).Zip(left).ShouldAllBe(p => p.Second < p.First && p.Second > p.First - 10_000);
        }
    }

    [KernelFact]
    public async Task Sighup_of_the_applying_process_restores_the_previous_table()
    {
        await using var lab = await WithOldTableAsync(grants: true);
        var before = await lab.ListAsync();
        using var apply = lab.StartInOwnGroup("apply", "-c", lab.Write(DeployLab.New), "--confirm", "5m");
        await DeployLab.WaitForPromptAsync(apply);
        (await lab.ListAsync())!.ShouldContain("chain web_guard");

        (await Proc.RunAsync("kill", ["-HUP", apply.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])).EnsureSuccess("kill -HUP");

        (await DeployLab.ExitCodeAsync(apply, TimeSpan.FromSeconds(15))).ShouldBe(1);
        (await apply.StandardError.ReadToEndAsync()).ShouldContain("restored the table as it was before (the terminal was lost)");
        DeployLab.WithoutExpiry(await lab.ListAsync()).ShouldBe(DeployLab.WithoutExpiry(before));
    }

    [KernelFact]
    public async Task Sigkill_of_the_applying_process_group_still_restores_at_the_deadline()
    {
        await using var lab = await WithOldTableAsync(grants: true);
        var before = await lab.ListAsync();
        using var apply = lab.StartInOwnGroup("apply", "-c", lab.Write(DeployLab.New), "--confirm", "4s");
        await DeployLab.WaitForPromptAsync(apply);
        (await lab.ListAsync())!.ShouldContain("chain web_guard");

        (await Proc.RunAsync("kill", ["-KILL", "--", $"-{apply.Id}"])).EnsureSuccess("kill -KILL the process group");
        await DeployLab.ExitCodeAsync(apply, TimeSpan.FromSeconds(10));

        string? after = null;
        for (var i = 0; i < 100 && (after = await lab.ListAsync())!.Contains("chain web_guard", StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
        }

        DeployLab.WithoutExpiry(after).ShouldBe(DeployLab.WithoutExpiry(before));

        // The watcher writes its outcome right after the restore batch.
        var outcome = Path.Combine(lab.RunDir, "nftknock.outcome");
        for (var i = 0; i < 50 && !File.Exists(outcome); i++)
        {
            await Task.Delay(100);
        }

        File.ReadAllText(outcome).ShouldContain("restored: restored the table as it was before (no confirmation before the deadline)");
    }

    [KernelFact]
    public async Task Lockout_guard_refuses_with_exit_2_and_changes_nothing()
    {
        // The loaded table leaves port 22 open; the new one would newly hide it from the session.
        await using var lab = await DeployLab.StartAsync();
        const string webOnly = """
            doors:
              web:
                protect: [8080/tcp]
                sequence: [7200/udp, 9200/udp, 8200/tcp]
            """;
        (await lab.NftknockAsync("apply", "-c", lab.Write(webOnly))).EnsureSuccess("apply web only");
        var before = await lab.ListAsync();

        var result = await lab.NftknockAsync(null, [$"SSH_CONNECTION={Lab.ClientV4} 50022 {Lab.ServerV4} 22"], "apply", "-c", lab.Write(DeployLab.New));

        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain($"nftknock: refusing to apply table inet nftknock: you are logged in over SSH from {Lab.ClientV4} to port 22");
        result.Stdout.ShouldBeEmpty();
        (await lab.ListAsync()).ShouldBe(before);
    }
}
