using NftKnock.Client.Rotating;
using NftKnock.Core.Model;
using NftKnock.Core.Rotating;
using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests.Rotating;

/// <summary>
/// metrics and events for a rotating door with two clients: the grant is counted and logged for the
/// client whose knock it was. Needs the ruleset's per-client counters and log lines.
/// </summary>
public sealed class ObservabilityClientTests
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(30);

    [KernelFact]
    public async Task After_one_of_two_clients_knocks_metrics_and_events_name_that_client_only()
    {
        await using var lab = await RotatingLab.StartWithPrefixAsync("nkoc", ["alice", "bob"]);
        // A door name of its own, so the door is told apart from other labs' doors, which are called ssh.
        var door = ObservabilityTests.UniqueDoor();
        await lab.ApplyAsync(lab.Config(Period, closeOnConnect: false, "alice", "bob").Replace("\n  ssh:\n", $"\n  {door}:\n", StringComparison.Ordinal));
        await using var events = await Recorder.StartAsync(lab.Lab.Server, "--json");
        RotatingSequence.TryCreate(RotatingSpec.Default(door) with { Period = Period }, RotatingSecret.Format(lab.Secrets["alice"]), out var sequence).ShouldBe(RotatingSecret.Problem.None);
        var window = sequence!.Window(sequence.WindowAt(DateTimeOffset.UtcNow));

        await lab.KnockAndExpectOpenAsync(lab.Lab.Client, Lab.ServerV4, window, "alice");

        var metrics = await lab.Lab.Server.NftknockAsync("metrics");
        metrics.ExitCode.ShouldBe(0, metrics.Stderr);
        await ObservabilityTests.PromtoolAcceptsAsync(metrics.Stdout);
        metrics.Stdout.ShouldContain($"nftknock_grants_total{{door=\"{door}\",client=\"alice\"}} 1\n");
        metrics.Stdout.ShouldContain($"nftknock_grants_total{{door=\"{door}\",client=\"bob\"}} 0\n");
        metrics.Stdout.ShouldNotContain($"nftknock_grants_total{{door=\"{door}\"}}");
        metrics.Stdout.ShouldContain($"nftknock_replays_total{{door=\"{door}\",client=\"alice\"}} 0\n");

        var grant = (await ObservabilityTests.EventsAsync(events, door)).ShouldHaveSingleItem();
        grant.GetProperty("kind").GetString().ShouldBe("grant");
        grant.GetProperty("client").GetString().ShouldBe("alice");
        grant.GetProperty("family").GetString().ShouldBe("ipv4");
        grant.GetProperty("source").GetString().ShouldBe(Lab.ClientV4);
    }
}
