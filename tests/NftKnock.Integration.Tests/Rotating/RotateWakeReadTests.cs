using NftKnock.Core.Ruleset;
using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests.Rotating;

/// <summary>
/// A rotate wake reads what it needs from the kernel's narrow listings (the chains and the rotating sets),
/// not the whole table, once the record of served windows knows the table, and writes its windows to the
/// kernel without nft, where a client then gets in with them; an apply reads the table's
/// objects without their rules: at 1,000 clients the whole listing costs seconds of CPU every period. The
/// nft this kernel ships must accept those listings.
/// </summary>
public sealed class RotateWakeReadTests
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(30);

    [KernelFact]
    public async Task An_apply_the_wakes_and_a_re_apply_list_no_whole_table_and_a_client_still_gets_in()
    {
        await using var lab = await RotatingLab.StartAsync("alice", "bob");
        await File.WriteAllTextAsync(lab.ConfigPath, lab.Config(Period, closeOnConnect: false, "alice", "bob"));

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

            async Task<(string[] Commands, string Stdout)> RunAsync(params string[] args)
            {
                string[] command = ["env", $"PATH={bin.FullName}:{Environment.GetEnvironmentVariable("PATH")}", .. lab.Lab.Server.Nftknock(args)[1..]];
                File.Delete(log);
                var result = (await lab.Lab.Server.RunAsync(command[0], command[1..])).EnsureSuccess(string.Join(' ', args));
                return (await File.ReadAllLinesAsync(log), result.Stdout);
            }

            // A new table: after its batch, apply reads back only the handles the record of served windows keeps.
            var (apply, _) = await RunAsync("apply", "-c", lab.ConfigPath);
            var batch = Array.FindIndex(apply, c => c.StartsWith("-f", StringComparison.Ordinal));
            batch.ShouldBeGreaterThanOrEqualTo(0, string.Join('\n', apply));
            apply[(batch + 1)..].ShouldNotContain(c => c.Contains("list table ", StringComparison.Ordinal), string.Join('\n', apply));

            foreach (var wake in new[] { "the first wake after the apply", "the next wake" })
            {
                var (commands, said) = await RunAsync("rotate", "--once", "-c", lab.ConfigPath);
                said.ShouldContain("knocks of the previous, current and next windows", Case.Sensitive, wake);
                // The chains come from the kernel, and nft lists only the dispatch map, which says the table is ours.
                commands.ShouldBe([$"-t -j list map inet nftknock {Names.Dispatch}"], $"{wake}: {string.Join('\n', commands)}");
                // The windows go to the kernel in one batch of its own: nft parsing 9,000 knocks was most of a wake.
                commands.ShouldNotContain(c => c.StartsWith("-f", StringComparison.Ordinal), $"{wake} sent its windows through nft: {string.Join('\n', commands)}");
            }

            var current = lab.Sequence("alice", Period);
            await lab.KnockAndExpectOpenAsync(lab.Lab.Client, Lab.ServerV4, current.Window(current.WindowAt(DateTimeOffset.UtcNow)), "alice after the wakes wrote the windows");

            // Over a loaded table, apply reads its objects, not its rules: the listing of the whole table is
            // most of a re-apply's time at 1,000 clients. nft fetches every rule to list the table or a
            // counter, so those come from the kernel and nft lists only chains, sets and maps.
            var (reapply, _) = await RunAsync("apply", "-c", lab.ConfigPath);
            reapply.ShouldContain(c => c.Contains("list chains inet; list sets inet; list maps inet", StringComparison.Ordinal), string.Join('\n', reapply));
            reapply.ShouldNotContain(c => c.Contains("list table", StringComparison.Ordinal) || c.Contains("list counter", StringComparison.Ordinal), string.Join('\n', reapply));
        }
        finally
        {
            bin.Delete(recursive: true);
        }

        var sequence = lab.Sequence("bob", Period);
        await lab.KnockAndExpectOpenAsync(lab.Lab.Client, Lab.ServerV4, sequence.Window(sequence.WindowAt(DateTimeOffset.UtcNow)), "bob after narrow reads");
    }
}
