using System.Globalization;
using System.Text;
using NftKnock.Client.Rotating;
using NftKnock.Core.Model;
using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests.Rotating;

/// <summary>
/// Day-two changes on a host where rotate runs: a client saved before apply, a second rotating door,
/// re-applying and revoking over SSH (a lost state file: <see cref="LostRecordTests"/>). Nobody is locked
/// out, and no captured knock works twice.
/// </summary>
public sealed class DayTwoTests
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(4);

    /// <summary>Door <c>ssh</c> on 22/tcp with <paramref name="clients"/>, and door <c>web</c> on 2222/tcp for <paramref name="web"/> when given.</summary>
    private static string Config(RotatingLab lab, string[] clients, string? web = null, string? allow = null)
    {
        var text = new StringBuilder(lab.Config(Period, closeOnConnect: false, clients));
        if (allow is not null)
        {
            text.Replace("    protect: [22/tcp]\n", $"    protect: [22/tcp]\n    allow: [{allow}]\n");
        }

        if (web is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"""
                  web:
                    protect: [2222/tcp]
                    step-timeout: 1s
                    open-for: 3s
                    rotating: {"{"}period: {Duration.Format(Period)}, secret-file: {lab.SecretPath(web)}{"}"}

                """);
        }

        return text.ToString();
    }

    /// <summary>The current window of <paramref name="client"/> for door ssh.</summary>
    private static RotatingWindow Now(RotatingLab lab, string client)
    {
        var sequence = lab.Sequence(client, Period);
        return sequence.Window(sequence.WindowAt(DateTimeOffset.UtcNow));
    }

    /// <summary>Waits until a little after the next window boundary, when rotate has written the new windows.</summary>
    private static async Task NextWindowAsync()
    {
        var ms = (long)Period.TotalMilliseconds;
        var into = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() % ms;
        await Task.Delay(TimeSpan.FromMilliseconds(ms - into + 600));
    }

    /// <summary>Waits for the session's grant of open-for 3s to run out, and checks that it did.</summary>
    private static async Task GrantGoneAsync(RotatingLab lab, Netns ns, string host)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(3300));
        await lab.ExpectAsync(false, ns, host, "after the grant ran out");
    }

    [KernelFact]
    public async Task A_client_saved_in_the_config_before_apply_leaves_the_loaded_clients_getting_in_and_gets_in_once_applied()
    {
        await using var lab = await RotatingLab.StartAsync("alice", "bob");
        await lab.ApplyAsync(Config(lab, ["alice"]));
        await lab.StartRotateAsync();

        // Saved, not applied: rotate must keep serving alice for longer than the two periods her knocks last.
        await File.WriteAllTextAsync(lab.ConfigPath, Config(lab, ["alice", "bob"]));
        for (var period = 1; period <= 2; period++)
        {
            await NextWindowAsync();
            await lab.KnockAndExpectOpenAsync(lab.Lab.Client, Lab.ServerV4, Now(lab, "alice"), $"alice, {period} period(s) after bob was saved but not applied");
            await GrantGoneAsync(lab, lab.Lab.Client, Lab.ServerV4);
        }

        await lab.ApplyAsync(Config(lab, ["alice", "bob"]));
        await lab.KnockAndExpectOpenAsync(lab.Lab.Attacker, Lab.ServerV4FromAttacker, Now(lab, "bob"), "bob, right after apply");
        await GrantGoneAsync(lab, lab.Lab.Attacker, Lab.ServerV4FromAttacker);
        await NextWindowAsync();
        await lab.KnockAndExpectOpenAsync(lab.Lab.Attacker, Lab.ServerV4FromAttacker, Now(lab, "bob"), "bob, in the next window rotate wrote");
    }

    [KernelFact]
    public async Task Adding_a_second_rotating_door_keeps_the_first_door_open_across_the_apply_and_the_next_window()
    {
        await using var lab = await RotatingLab.StartAsync("alice", "web");
        await lab.ApplyAsync(Config(lab, ["alice"]));
        await lab.StartRotateAsync();
        await RotatingLab.AtWindowFractionAsync(Period, 0.1, 0.5);

        await lab.ApplyAsync(Config(lab, ["alice"], web: "web"));
        await lab.KnockAndExpectOpenAsync(lab.Lab.Client, Lab.ServerV4, Now(lab, "alice"), "door ssh right after door web was added");
        await GrantGoneAsync(lab, lab.Lab.Client, Lab.ServerV4);

        await NextWindowAsync();
        await lab.KnockAndExpectOpenAsync(lab.Lab.Client, Lab.ServerV4, Now(lab, "alice"), "door ssh in the next window");
    }

    [KernelFact]
    public async Task Over_ssh_re_applying_and_revoking_another_client_go_ahead_once_the_grant_expired_and_newly_hiding_the_port_is_refused()
    {
        await using var lab = await RotatingLab.StartAsync("alice", "bob");
        await lab.ApplyAsync(Config(lab, ["alice", "bob"]));
        await File.WriteAllTextAsync(lab.ConfigPath, Config(lab, ["alice", "bob"]));
        var session = $"SSH_CONNECTION={Lab.ClientV4} 50022 {Lab.ServerV4} 22";

        // The session came in on a grant that has expired since: the loaded table hides port 22 from it already.
        (await ApplyOverSshAsync(lab, session)).EnsureSuccess("re-applying the loaded config over SSH");

        await File.WriteAllTextAsync(lab.ConfigPath, Config(lab, ["alice"]));
        (await ApplyOverSshAsync(lab, session)).EnsureSuccess("revoking bob over SSH");
        var table = (await lab.Lab.Server.RunAsync("nft", "list", "chains", "inet", "nftknock")).Stdout;
        table.ShouldNotContain(NftKnock.Core.Ruleset.Names.StepChain("ssh", 3, "bob"), customMessage: "bob was revoked");

        // Allowed in by the loaded table, hidden by the new config: refused, and nothing changes.
        await lab.ApplyAsync(Config(lab, ["alice"], allow: $"{Lab.ClientV4}/32"));
        var before = (await lab.Lab.Server.RunAsync("nft", "list", "table", "inet", "nftknock")).Stdout;
        await File.WriteAllTextAsync(lab.ConfigPath, Config(lab, ["alice"]));
        var refused = await ApplyOverSshAsync(lab, session);
        refused.ExitCode.ShouldBe(2, refused.Stderr);
        refused.Stderr.ShouldContain($"you are logged in over SSH from {Lab.ClientV4} to port 22");
        (await lab.Lab.Server.RunAsync("nft", "list", "table", "inet", "nftknock")).Stdout.ShouldContain($"{Lab.ClientV4}", customMessage: before);
    }

    private static Task<ProcResult> ApplyOverSshAsync(RotatingLab lab, string session) =>
        Proc.RunAsync("ip", ["netns", "exec", lab.Lab.Server.Name, "env", session, .. lab.Lab.Server.Nftknock("apply", "-c", lab.ConfigPath)], TimeSpan.FromSeconds(60));
}
