using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests;

/// <summary>
/// <c>events --follow --exec</c> against the real kernel log: the command runs once per grant, with the
/// grant in its environment, and a command that hangs holds up none of the grants after it.
/// </summary>
public sealed class GrantHookProcessTests
{
    [KernelFact]
    public async Task The_hook_runs_once_per_grant_and_a_hanging_run_holds_up_no_later_grant()
    {
        using var logged = new KernelLog();
        await using var lab = await Lab.StartAsync("nkhook");
        var door = ObservabilityTests.UniqueDoor();
        var folder = Directory.CreateTempSubdirectory("nkhook-").FullName;
        try
        {
            var ran = Path.Join(folder, "ran");
            var hook = Path.Join(folder, "hook.sh");

            // The kernel log is the whole machine's: only this door's events count. The first run hangs.
            await File.WriteAllTextAsync(hook, $"""
                #!/bin/sh
                [ "$NFTKNOCK_DOOR" = "{door}" ] || exit 0
                echo "$NFTKNOCK_KIND $NFTKNOCK_SOURCE $NFTKNOCK_FAMILY $1" >> {ran}
                if mkdir {folder}/hung 2>/dev/null; then exec sleep 60; fi

                """);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            await lab.ApplyOkAsync($"doors:\n  {door}:\n    protect: [22/tcp]\n    sequence: [17342/udp, 9121/tcp, 28877/udp]\n    step-timeout: 10s\n");
            var follow = lab.Server.Start("env", lab.Server.Nftknock("events", "--follow", "--from", "nflog", "--exec", hook, "--exec-timeout", "2m", "--", "--marker")[1..]);
            _ = follow.StandardOutput.ReadToEndAsync(CancellationToken.None);
            await Task.Delay(TimeSpan.FromSeconds(2));

            await lab.Client.KnockAsync(Lab.ServerV4, "17342/udp", "9121/tcp", "28877/udp");
            await WaitForLinesAsync(ran, 1);
            await lab.Attacker.KnockAsync(Lab.ServerV4FromAttacker, "17342/udp", "9121/tcp", "28877/udp");
            await WaitForLinesAsync(ran, 2);
            await Task.Delay(TimeSpan.FromSeconds(2));

            (await File.ReadAllLinesAsync(ran)).Order(StringComparer.Ordinal).ToArray().ShouldBe(
                [$"grant {Lab.ClientV4} ipv4 --marker", $"grant {Lab.AttackerV4} ipv4 --marker"],
                customMessage: "one run per grant, the second while the first still hangs");
            Directory.Exists(Path.Join(folder, "hung")).ShouldBeTrue();
            follow.HasExited.ShouldBeFalse("events keeps following while a command hangs");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task WaitForLinesAsync(string path, int count)
    {
        for (var i = 0; i < 300; i++)
        {
            if (File.Exists(path) && (await File.ReadAllLinesAsync(path)).Length >= count)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException($"the hook did not run {count} time(s) within 30s: {(File.Exists(path) ? await File.ReadAllTextAsync(path) : "it never ran")}");
    }
}
