using System.Text.Json;
using NftKnock.Testing.Namespaces;
using NftKnock.Integration.Tests.Rotating;

namespace NftKnock.Integration.Tests.Deploy;

/// <summary>doctor's rotation check against a real rotating map: current while rotate writes, failing once it stops.</summary>
public sealed class DoctorRotationTests
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(2);

    private static async Task<(string Status, string Detail)> RotationAsync(RotatingLab lab)
    {
        var result = await lab.Lab.Server.NftknockAsync("doctor", "-c", lab.ConfigPath, "--json");
        using var doc = JsonDocument.Parse(result.Stdout);
        var check = doc.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "rotation");
        return (check.GetProperty("status").GetString()!, check.GetProperty("detail").GetString()!);
    }

    [KernelFact]
    public async Task Doctor_passes_rotation_right_after_rotate_and_fails_it_two_periods_after_rotate_stopped()
    {
        await using var lab = await RotatingLab.StartAsync("alice");
        await lab.ApplyAsync(lab.Config(Period, closeOnConnect: false, "alice"));
        (await lab.Lab.Server.NftknockAsync("rotate", "-c", lab.ConfigPath, "--once")).EnsureSuccess("nftknock rotate --once");

        (await RotationAsync(lab)).ShouldBe(("pass", "the knocks of 1 rotating door(s) are current"));

        // Everything rotate --once wrote expires within two periods; nothing writes again.
        await Task.Delay((Period * 2) + TimeSpan.FromMilliseconds(500));
        (await RotationAsync(lab)).ShouldBe(("fail", "rotation is not running for door ssh"));
    }
}
