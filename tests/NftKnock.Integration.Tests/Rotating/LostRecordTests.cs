using NftKnock.Client.Rotating;
using NftKnock.Core.Rotating;
using NftKnock.Core.Ruleset;
using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests.Rotating;

/// <summary>
/// The record of served windows lost (a container without a volume, a wiped state directory) while the
/// kernel still holds the table: the loaded table says what was served, so the client keeps getting in
/// and a knock captured before never works for anyone else.
/// </summary>
public sealed class LostRecordTests
{
    // Long enough that what follows a knock (stopping rotate, an apply) ends before its window can no longer be replayed.
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(6);

    private static RotatingWindow Now(RotatingLab lab)
    {
        var sequence = lab.Sequence("alice", Period);
        return sequence.Window(sequence.WindowAt(DateTimeOffset.UtcNow));
    }

    /// <summary>Waits until a little after the next window boundary, when rotate has written the new windows.</summary>
    private static async Task NextWindowAsync()
    {
        var ms = (long)Period.TotalMilliseconds;
        await Task.Delay(TimeSpan.FromMilliseconds(ms - (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() % ms) + 600));
    }

    /// <summary>Door ssh applied with rotate running, and alice's knock of the current window, which an attacker captured.</summary>
    private static async Task<(RotatingLab Lab, System.Diagnostics.Process Rotate, RotatingWindow Captured)> KnockedAsync()
    {
        var lab = await RotatingLab.StartAsync("alice");
        try
        {
            await lab.ApplyAsync(lab.Config(Period, closeOnConnect: false, "alice"));
            var rotate = await lab.StartRotateAsync();
            await RotatingLab.AtWindowFractionAsync(Period, 0.1, 0.4);
            var captured = Now(lab);
            await lab.KnockAndExpectOpenAsync(lab.Lab.Client, Lab.ServerV4, captured, "alice");
            return (lab, rotate, captured);
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops rotate and deletes the record, as a container without a volume loses it on a restart.</summary>
    private static async Task LoseRecordAsync(RotatingLab lab, System.Diagnostics.Process rotate)
    {
        rotate.Kill(entireProcessTree: true);
        await rotate.WaitForExitAsync();
        File.Delete(Path.Combine(lab.Lab.Server.StateDir, "nftknock.served"));
    }

    [KernelFact]
    public async Task A_container_without_a_volume_restarted_keeps_its_client_getting_in_and_a_captured_knock_out()
    {
        var (lab, rotate, captured) = await KnockedAsync();
        await using var _ = lab;

        // The container starts again: apply, then rotate, with the host's table still loaded.
        await LoseRecordAsync(lab, rotate);
        (await lab.Lab.Server.NftknockAsync("apply", "-c", lab.ConfigPath)).EnsureSuccess("apply without the record");
        await lab.StartRotateAsync();

        await lab.Lab.Attacker.KnockAsync(Lab.ServerV4FromAttacker, captured);
        await lab.ExpectAsync(false, lab.Lab.Attacker, Lab.ServerV4FromAttacker, "the captured knock replayed from another address after the restart");
        RotatingDerivation.Window(DateTimeOffset.UtcNow, Period).ShouldBeLessThanOrEqualTo(captured.Number + 1, "the test ran too slowly to tell");

        await NextWindowAsync();
        await lab.KnockAndExpectOpenAsync(lab.Lab.Client, Lab.ServerV4, Now(lab), "alice in the next window after the restart");
    }

    [KernelFact]
    public async Task Without_the_record_an_apply_that_starts_the_claims_afresh_loads_no_window_the_table_served()
    {
        var (lab, rotate, captured) = await KnockedAsync();
        await using var _ = lab;
        await LoseRecordAsync(lab, rotate);

        // As an apply that replaces the door's claims set does (a new claims layout): the claims are gone, the map is not.
        // The door's bind chain, the last step every client shares, is the one that refers to the claims set.
        foreach (var command in new[] { $"flush chain inet nftknock {Names.Bind("ssh")}", $"delete set inet nftknock {Names.Claims("ssh")}" })
        {
            (await lab.Lab.Server.RunAsync("nft", command.Split(' '))).EnsureSuccess(command);
        }

        var apply = await lab.Lab.Server.NftknockAsync("apply", "-c", lab.ConfigPath);
        apply.EnsureSuccess("apply over a table whose claims set it adds");
        await lab.Lab.Attacker.KnockAsync(Lab.ServerV4FromAttacker, captured);

        await lab.ExpectAsync(false, lab.Lab.Attacker, Lab.ServerV4FromAttacker, "the captured knock replayed after the claims were started afresh");
        RotatingDerivation.Window(DateTimeOffset.UtcNow, Period).ShouldBeLessThanOrEqualTo(captured.Number + 1, "the test ran too slowly to tell");

        // Windows after those the table served load as usual.
        await lab.StartRotateAsync();
        await NextWindowAsync();
        await NextWindowAsync();
        await lab.KnockAndExpectOpenAsync(lab.Lab.Client, Lab.ServerV4, Now(lab), "alice once the served windows are behind");
    }

    [KernelFact]
    public async Task Without_the_record_a_new_table_says_once_what_cannot_be_known()
    {
        var (lab, rotate, _) = await KnockedAsync();
        await using var __ = lab;
        await LoseRecordAsync(lab, rotate);
        (await lab.Lab.Server.NftknockAsync("remove", "-t", "nftknock")).EnsureSuccess("remove");

        var apply = await lab.Lab.Server.NftknockAsync("apply", "-c", lab.ConfigPath);

        apply.EnsureSuccess("apply into a new table without the record");
        apply.Stderr.Split('\n').Count(l => l.StartsWith("nftknock: no record of served windows in ", StringComparison.Ordinal)).ShouldBe(1, apply.Stderr);
        File.ReadAllText(Path.Combine(lab.Lab.Server.StateDir, "nftknock.served")).ShouldContain("\ndoor ssh 6000 ");
    }
}
