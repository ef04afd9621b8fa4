using System.Text.Json;
using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests;

/// <summary>
/// apply --audit on a real kernel: a connection without a knock gets through, is counted and logged once
/// per source as would-drop, status and doctor say so from the loaded table, and an apply without --audit
/// closes the door again while the grants given meanwhile are kept.
/// </summary>
public sealed class AuditModeTests : IClassFixture<KernelLog>
{
    private static string Config(string door) => $"""
        doors:
          {door}:
            protect: [22/tcp]
            sequence: [17342/udp, 9121/tcp, 28877/udp]
            step-timeout: 10s
            open-for: 120s
            families: [ipv4]
        """;

    [KernelFact]
    public async Task Audit_lets_an_unknocked_connection_through_counts_and_logs_it_once_and_enforcing_closes_it_keeping_grants()
    {
        await using var lab = await Lab.StartAsync("nka");
        var door = ObservabilityTests.UniqueDoor();
        var path = Path.Combine(Path.GetTempPath(), $"{lab.Id}-audit.yaml");
        await File.WriteAllTextAsync(path, Config(door));
        try
        {
            var applied = (await lab.Server.NftknockAsync("apply", "--audit", "-c", path)).EnsureSuccess("nftknock apply --audit");
            applied.Stdout.ShouldContain("AUDIT MODE");
            await lab.Server.EchoServiceAsync(22);
            await using var follow = await Recorder.StartAsync(lab.Server, "--json");

            (await lab.Client.CanConnectAsync(Lab.ServerV4, 22)).ShouldBeTrue("audit mode lets a connection without a knock through");
            (await lab.Client.CanConnectAsync(Lab.ServerV4, 22)).ShouldBeTrue("and the next one too");
            (await lab.CounterAsync($"{door}_audited")).ShouldBe(2);
            (await lab.CounterAsync($"{door}_blocked")).ShouldBe(0);

            // Waits for a second line that must not come: one source is logged once.
            var events = await ObservabilityTests.EventsAsync(follow, door, count: 2);
            var logged = events.ShouldHaveSingleItem("two connections from one source are logged once");
            logged.GetProperty("kind").GetString().ShouldBe("would-drop");
            logged.GetProperty("source").GetString().ShouldBe(Lab.ClientV4);
            logged.GetProperty("port").GetInt32().ShouldBe(22);

            await StatusSaysAsync(lab, door, audit: true, audited: 2);
            var doctor = await lab.Server.NftknockAsync("doctor", "--json", "-c", path);
            using (var report = JsonDocument.Parse(doctor.Stdout))
            {
                report.RootElement.GetProperty("schemaVersion").GetInt32().ShouldBe(1);
                var check = report.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "audit mode");
                check.GetProperty("status").GetString().ShouldBe("warn");
                check.GetProperty("detail").GetString().ShouldStartWith("AUDIT MODE: ");
            }

            // Knocks work as when enforcing: the attacker's side knocks and is granted.
            await lab.Attacker.KnockAsync(Lab.ServerV4FromAttacker, "17342/udp", "9121/tcp", "28877/udp");
            (await lab.SetAsync($"{door}_open_v4")).ShouldContain(Lab.AttackerV4);

            (await lab.Server.NftknockAsync("apply", "-c", path)).EnsureSuccess("nftknock apply");

            (await lab.Client.CanConnectAsync(Lab.ServerV4, 22)).ShouldBeFalse("enforcing refuses a connection without a knock");
            (await lab.CounterAsync($"{door}_blocked")).ShouldBeGreaterThan(0);
            (await lab.Attacker.CanConnectAsync(Lab.ServerV4FromAttacker, 22)).ShouldBeTrue("the grant given in audit mode is kept");
            await StatusSaysAsync(lab, door, audit: false, audited: null);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>status --json reads audit mode and the audited counter back from the loaded table.</summary>
    private static async Task StatusSaysAsync(Lab lab, string door, bool audit, long? audited)
    {
        var status = (await lab.Server.NftknockAsync("status", "--json")).EnsureSuccess("nftknock status --json");
        using var json = JsonDocument.Parse(status.Stdout);
        json.RootElement.GetProperty("schemaVersion").GetInt32().ShouldBe(1);
        json.RootElement.GetProperty("audit").GetBoolean().ShouldBe(audit);
        var counters = json.RootElement.GetProperty("doors").EnumerateArray().Single(d => d.GetProperty("name").GetString() == door).GetProperty("counters");
        if (audited is { } count)
        {
            counters.GetProperty("audited").GetInt64().ShouldBe(count);
        }
        else
        {
            counters.TryGetProperty("audited", out _).ShouldBeFalse();
        }

        var text = (await lab.Server.NftknockAsync("status")).EnsureSuccess("nftknock status").Stdout;
        text.Contains("AUDIT MODE", StringComparison.Ordinal).ShouldBe(audit);
    }
}
