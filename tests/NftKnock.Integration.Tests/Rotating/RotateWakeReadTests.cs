using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests.Rotating;

/// <summary>
/// A rotate wake reads what it needs from the kernel's narrow listings (the chains and the rotating sets),
/// not the whole table, once the record of served windows knows the table: at 1,000 clients the whole
/// listing costs seconds of CPU every period. The nft this kernel ships must accept those listings.
/// </summary>
public sealed class RotateWakeReadTests
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(30);

    [KernelFact]
    public async Task A_wake_after_the_first_lists_only_chains_and_rotating_sets_and_still_lets_a_client_in()
    {
        await using var lab = await RotatingLab.StartAsync("alice", "bob");
        await lab.ApplyAsync(lab.Config(Period, closeOnConnect: false, "alice", "bob"));

        // An nft ahead of the real one on PATH that writes down each command line it is given.
        var bin = Directory.CreateTempSubdirectory("nkwake");
        var log = Path.Combine(bin.FullName, "nft.log");
        try
        {
            var real = (await lab.Lab.Server.ShAsync("command -v nft")).EnsureSuccess("command -v nft").Stdout.Trim();
            var wrapper = Path.Combine(bin.FullName, "nft");
            await File.WriteAllTextAsync(wrapper, $"#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{log}'\nexec '{real}' \"$@\"\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            string[] wake = ["env", $"PATH={bin.FullName}:{Environment.GetEnvironmentVariable("PATH")}", .. lab.Lab.Server.Nftknock("rotate", "--once", "-c", lab.ConfigPath)[1..]];

            (await lab.Lab.Server.RunAsync(wake[0], wake[1..])).EnsureSuccess("the first rotate wake");
            File.Delete(log);
            (await lab.Lab.Server.RunAsync(wake[0], wake[1..])).EnsureSuccess("the second rotate wake");

            var commands = await File.ReadAllLinesAsync(log);
            commands.ShouldContain(c => c.Contains("list chains inet", StringComparison.Ordinal), string.Join('\n', commands));
            commands.ShouldNotContain(c => c.Contains("list table", StringComparison.Ordinal), string.Join('\n', commands));
            commands.ShouldContain(c => c.StartsWith("-f", StringComparison.Ordinal), "the wake wrote no windows: " + string.Join('\n', commands));
        }
        finally
        {
            bin.Delete(recursive: true);
        }

        var sequence = lab.Sequence("bob", Period);
        await lab.KnockAndExpectOpenAsync(lab.Lab.Client, Lab.ServerV4, sequence.Window(sequence.WindowAt(DateTimeOffset.UtcNow)), "bob after a narrow wake");
    }
}
