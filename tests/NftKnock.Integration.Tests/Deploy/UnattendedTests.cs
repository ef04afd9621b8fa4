using System.Diagnostics;
using System.Globalization;
using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests.Deploy;

/// <summary>
/// apply --confirm and the service when things go wrong unattended: a killed watcher, a second
/// command in the middle of a window, two applies at once, a service restart.
/// </summary>
public sealed class UnattendedTests
{
    private static async Task<DeployLab> WithOldTableAsync()
    {
        var lab = await DeployLab.StartAsync();
        try
        {
            (await lab.NftknockAsync("apply", "-c", lab.Write(DeployLab.Old))).EnsureSuccess("apply old");
            await lab.GrantAsync(Lab.ClientV4, "1h");
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    /// <summary>The pid the rollback watcher wrote once it watches.</summary>
    private static async Task<int> WatcherPidAsync(DeployLab lab)
    {
        var path = Path.Combine(lab.RunDir, "nftknock.watcher");
        for (var i = 0; i < 150; i++)
        {
            if (File.Exists(path) && int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                return pid;
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException("the rollback watcher never wrote its pid");
    }

    private static Task KillAsync(string target) => Proc.RunAsync("kill", ["-KILL", "--", target]);

    private static async Task<string?> WaitUntilAsync(DeployLab lab, Func<string?, bool> done, TimeSpan limit)
    {
        var until = DateTime.UtcNow + limit;
        string? listing;
        while (!done(listing = await lab.ListAsync()) && DateTime.UtcNow < until)
        {
            await Task.Delay(100);
        }

        return listing;
    }

    [KernelFact]
    public async Task A_killed_watcher_leaves_the_applier_to_restore_the_old_table_at_the_deadline()
    {
        await using var lab = await WithOldTableAsync();
        var before = await lab.ListAsync();
        using var apply = lab.StartInOwnGroup("apply", "-c", lab.Write(DeployLab.New), "--confirm", "4s");
        await DeployLab.WaitForPromptAsync(apply);
        var watcher = await WatcherPidAsync(lab);

        await KillAsync(watcher.ToString(CultureInfo.InvariantCulture));

        (await DeployLab.ExitCodeAsync(apply, TimeSpan.FromSeconds(20))).ShouldBe(1);
        var stderr = await apply.StandardError.ReadToEndAsync();
        stderr.ShouldContain("nftknock: the rollback watcher of table inet nftknock was killed; this process restores the previous table at the deadline instead, unless you confirm.");
        stderr.ShouldContain("nftknock: table inet nftknock: restored the table as it was before (no confirmation before the deadline).");
        DeployLab.WithoutExpiry(await lab.ListAsync()).ShouldBe(DeployLab.WithoutExpiry(before));
    }

    [KernelFact]
    public async Task An_orphan_left_by_a_killed_applier_and_watcher_is_restored_by_the_next_confirm_after_its_deadline()
    {
        await using var lab = await WithOldTableAsync();
        var before = await lab.ListAsync();
        using var apply = lab.StartInOwnGroup("apply", "-c", lab.Write(DeployLab.New), "--confirm", "2s");
        await DeployLab.WaitForPromptAsync(apply);
        var watcher = await WatcherPidAsync(lab);

        await KillAsync($"-{apply.Id}");
        await DeployLab.ExitCodeAsync(apply, TimeSpan.FromSeconds(10));
        await KillAsync(watcher.ToString(CultureInfo.InvariantCulture));
        await Task.Delay(3000);
        (await lab.ListAsync())!.ShouldContain("chain web_guard", customMessage: "nobody was left to restore it");

        var confirm = await lab.NftknockAsync("confirm");

        confirm.ExitCode.ShouldBe(1, confirm.Stderr);
        confirm.Stderr.ShouldBe(
            "nftknock: table inet nftknock: an unconfirmed apply had lost its rollback watcher: restored the table as it was before "
            + "(no confirmation before the deadline, and its rollback watcher was lost).\n");
        DeployLab.WithoutExpiry(await lab.ListAsync()).ShouldBe(DeployLab.WithoutExpiry(before));
        File.Exists(Path.Combine(lab.RunDir, "nftknock.pending")).ShouldBeFalse();
    }

    [KernelFact]
    public async Task A_plain_apply_while_a_confirm_waits_is_refused_and_the_pending_ruleset_stays()
    {
        await using var lab = await WithOldTableAsync();
        using var pending = lab.StartInOwnGroup("apply", "-c", lab.Write(DeployLab.New), "--confirm", "30s");
        await DeployLab.WaitForPromptAsync(pending);

        var plain = await lab.NftknockAsync("apply", "-c", lab.Write(DeployLab.Old));

        plain.ExitCode.ShouldBe(2, plain.Stdout + plain.Stderr);
        plain.Stdout.ShouldBeEmpty();
        plain.Stderr.ShouldStartWith("nftknock: refusing to apply table inet nftknock: an apply --confirm is waiting for confirmation until ");
        plain.Stderr.ShouldEndWith("Run nftknock confirm to keep that ruleset, or nftknock confirm --rollback to restore the previous table now, then run this again. Nothing was changed.\n");
        (await lab.NftknockAsync("confirm")).EnsureSuccess("confirm");
        (await DeployLab.ExitCodeAsync(pending, TimeSpan.FromSeconds(10))).ShouldBe(0);
        (await lab.ListAsync())!.ShouldContain("chain web_guard");
    }

    [KernelFact]
    public async Task Two_apply_confirms_at_once_leave_one_pending_apply_and_one_clear_refusal()
    {
        await using var lab = await WithOldTableAsync();
        var config = lab.Write(DeployLab.New);
        using var first = lab.StartInOwnGroup("apply", "-c", config, "--confirm", "30s");
        using var second = lab.StartInOwnGroup("apply", "-c", config, "--confirm", "30s");
        var prompts = new[] { first, second }.Select(p => WaitForPromptOrExitAsync(p)).ToArray();

        var outcomes = await Task.WhenAll(prompts);

        outcomes.Count(o => o is null).ShouldBe(1, string.Join(" | ", outcomes));
        outcomes.Single(o => o is not null)!.ShouldMatch(
            "^(nftknock: refusing to apply table inet nftknock: an apply --confirm is waiting for confirmation|nftknock: another nftknock command is changing table inet nftknock)");
        var confirm = await lab.NftknockAsync("confirm");
        confirm.ExitCode.ShouldBe(0, confirm.Stderr);
        var waiting = outcomes[0] is null ? first : second;
        (await DeployLab.ExitCodeAsync(waiting, TimeSpan.FromSeconds(10))).ShouldBe(0);
        Directory.GetFiles(lab.RunDir).Select(Path.GetFileName).Order().ShouldBe(["nftknock.lock", "nftknock.outcome"]);
    }

    /// <summary>Null once the process asks for confirmation; its first line of stderr when it exits without asking.</summary>
    private static async Task<string?> WaitForPromptOrExitAsync(Process apply)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        string? first = null;
        while (await apply.StandardError.ReadLineAsync(limit.Token) is { } line)
        {
            if (line.Contains("type yes within", StringComparison.Ordinal))
            {
                return null;
            }

            first ??= line;
        }

        await apply.WaitForExitAsync(limit.Token);
        return $"{first} (exit {apply.ExitCode})";
    }

    [KernelFact]
    public async Task The_service_units_restart_and_reload_never_leave_the_table_absent_and_keep_grants()
    {
        await using var lab = await WithOldTableAsync();
        await lab.Server.EchoServiceAsync(22);
        var config = lab.Write(DeployLab.Old);
        var unit = File.ReadAllLines(Repo.Path("packaging", "systemd", "nftknock.service"));
        string[] Lines(string key) => unit.Where(l => l.StartsWith(key + "=", StringComparison.Ordinal)).Select(l => l[(key.Length + 1)..]).ToArray();

        // systemctl restart = ExecStop, then ExecStart; systemctl reload = ExecReload.
        foreach (var (step, command) in Lines("ExecStop").Select(c => ("stop", c)).Concat(Lines("ExecStart").Select(c => ("start", c))).Concat(Lines("ExecReload").Select(c => ("reload", c))))
        {
            var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            words[0].ShouldBe("/usr/bin/nftknock");
            var args = words.Skip(1).Select(w => w == "/etc/nftknock/nftknock.yaml" ? config : w).ToArray();
            (await lab.NftknockAsync(args)).EnsureSuccess(step);

            var listing = await lab.ListAsync();
            listing.ShouldNotBeNull($"after the unit's {step} ({command}) table inet nftknock was gone: every protected port was open");
            listing.ShouldContain(Lab.ClientV4, customMessage: $"the grant was lost by {step}");
            (await lab.Lab.Attacker.CanConnectAsync(Lab.ServerV4FromAttacker, 22)).ShouldBeFalse($"22/tcp answered without a knock after {step}");
            (await lab.Lab.Client.CanConnectAsync(Lab.ServerV4, 22)).ShouldBeTrue($"the granted client was shut out after {step}");
        }
    }
}
