using System.Diagnostics;
using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests.Fleet;

/// <summary>
/// The nftknock.nftknock collection driven by Debian's ansible-playbook against three real sshd hosts in
/// their own namespaces, reached only through <c>nftknock connect</c> as ssh ProxyCommand.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AnsibleRolloutTests
{
    [KernelFact]
    public async Task Rollout_protects_the_fleet_changes_nothing_twice_enrols_fleet_wide_and_rolls_back_a_lockout()
    {
        var watch = Stopwatch.StartNew();
        await using var fleet = await FleetLab.StartAsync();

        await ConvergeAsync(fleet);
        await IdempotentAsync(fleet);
        await EnrolAndRevokeAsync(fleet);
        await LockoutRollsBackAsync(fleet);

        Console.WriteLine($"Ansible fleet scenarios: {watch.Elapsed.TotalSeconds:F0} s");
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromMinutes(30));
    }

    private static async Task ConvergeAsync(FleetLab fleet)
    {
        var run = await fleet.PlaybookAsync("rollout");

        run.ExitCode.ShouldBe(0, run.Stdout + run.Stderr);
        // The grant of the play's last knock (open-for 2s) runs out before the plain connects.
        await Task.Delay(TimeSpan.FromSeconds(3));
        for (var i = 1; i <= FleetLab.Hosts.Length; i++)
        {
            FleetLab.Recap(run, FleetLab.Hosts[i - 1])["failed"].ShouldBe(0);
            (await fleet.TableAsync(i)).Stdout.ShouldContain("47113", customMessage: "the ssh door's first knock is loaded");
            (await fleet.PlainConnectAsync(i)).ShouldBeFalse($"s{i}: sshd answers without a knock");
            var ssh = await fleet.SshAsync(i, "echo through-the-door");
            ssh.ExitCode.ShouldBe(0, ssh.Stderr);
            ssh.Stdout.ShouldBe("through-the-door\n");
        }
    }

    private static async Task IdempotentAsync(FleetLab fleet)
    {
        var run = await fleet.PlaybookAsync("rollout");

        run.ExitCode.ShouldBe(0, run.Stdout + run.Stderr);
        foreach (var host in FleetLab.Hosts.Append("localhost"))
        {
            FleetLab.Recap(run, host)["changed"].ShouldBe(0, $"{host} changed on the second run:\n{run.Stdout}");
        }
    }

    private static async Task EnrolAndRevokeAsync(FleetLab fleet)
    {
        var enrol = await fleet.PlaybookAsync("enrol", "-e", "nftknock_enrol_name=alice", "-e", $"nftknock_enrol_links_dir={fleet.LinksDir}");

        enrol.ExitCode.ShouldBe(0, enrol.Stdout + enrol.Stderr);
        for (var i = 1; i <= FleetLab.Hosts.Length; i++)
        {
            var link = await File.ReadAllTextAsync(Path.Join(fleet.LinksDir, $"alice@{FleetLab.Hosts[i - 1]}.link"));
            link.ShouldStartWith($"nftknock://{FleetLab.Hosts[i - 1]}:8443/web?");
            link.ShouldContain("c=alice");
            (await File.ReadAllTextAsync(fleet.ConfigPath(i))).ShouldContain("name: alice");
            File.GetUnixFileMode(Path.Join(fleet.ServerDir(i), "etc", "clients", "alice.secret")).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        enrol.Stdout.ShouldNotContain("nftknock://", customMessage: "links carry secrets and stay out of the play's output");
        var again = await fleet.PlaybookAsync("rollout");
        again.ExitCode.ShouldBe(0, again.Stdout + again.Stderr);
        foreach (var host in FleetLab.Hosts)
        {
            FleetLab.Recap(again, host)["changed"].ShouldBe(0, $"the role rewrote {host}'s enrolled client:\n{again.Stdout}");
        }

        var revoke = await fleet.PlaybookAsync("enrol", "-e", "nftknock_enrol_name=alice", "-e", "nftknock_enrol_state=absent");
        revoke.ExitCode.ShouldBe(0, revoke.Stdout + revoke.Stderr);
        for (var i = 1; i <= FleetLab.Hosts.Length; i++)
        {
            FleetLab.Recap(revoke, FleetLab.Hosts[i - 1])["changed"].ShouldBe(1);
            (await File.ReadAllTextAsync(fleet.ConfigPath(i))).ShouldNotContain("alice");
            File.Exists(Path.Join(fleet.ServerDir(i), "etc", "clients", "alice.secret.revoked")).ShouldBeTrue();
        }
    }

    private static async Task LockoutRollsBackAsync(FleetLab fleet)
    {
        var vars = Path.Join(fleet.Dir, "lockout.json");
        await File.WriteAllTextAsync(vars, FleetInventory.LockoutJson());

        var run = await fleet.PlaybookAsync("rollout", "-e", "@" + vars);

        run.ExitCode.ShouldNotBe(0, run.Stdout);
        for (var i = 1; i <= FleetLab.Hosts.Length; i++)
        {
            var host = FleetLab.Hosts[i - 1];
            FleetLab.Recap(run, host)["failed"].ShouldBe(1, run.Stdout);
            run.Stdout.ShouldContain($"nftknock: {host} did not answer through its door after the new ruleset was applied, so nothing confirmed it");
            var table = (await fleet.TableAsync(i)).Stdout;
            table.ShouldContain("47113", customMessage: $"{host} restored its previous table");
            table.ShouldNotContain("51234");
            var ssh = await fleet.SshAsync(i, "echo still-reachable");
            ssh.ExitCode.ShouldBe(0, ssh.Stderr);
            ssh.Stdout.ShouldBe("still-reachable\n");
        }
    }
}
