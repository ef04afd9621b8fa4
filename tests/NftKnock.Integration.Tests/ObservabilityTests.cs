using System.Text.Json;
using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests;

/// <summary>metrics and events against a real table and its NFLOG group, with a static door.</summary>
public sealed class ObservabilityTests
{
    /// <summary>A door name no other run's log lines share: the kernel log is one for the whole machine.</summary>
    internal static string UniqueDoor() => "obs" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>Runs promtool check metrics on <paramref name="text"/>; the failure message carries its words.</summary>
    internal static async Task PromtoolAcceptsAsync(string text)
    {
        var result = await Proc.RunAsync("promtool", ["check", "metrics"], TimeSpan.FromSeconds(30), text);
        result.ExitCode.ShouldBe(0, $"promtool check metrics: {result.Stdout}{result.Stderr}\n{text}");
    }

    /// <summary>The events of <paramref name="door"/> that events --follow --json printed, waited for until <paramref name="count"/> appear (bounded against hangs).</summary>
    internal static async Task<List<JsonElement>> EventsAsync(Recorder events, string door, int count = 1)
    {
        for (var attempt = 0; ; attempt++)
        {
            var found = events.All()
                .Select(line => JsonDocument.Parse(line).RootElement.Clone())
                .Where(e => e.GetProperty("door").GetString() == door)
                .ToList();
            if (found.Count >= count || attempt == 50)
            {
                return found;
            }

            await Task.Delay(100);
        }
    }

    [KernelFact]
    public async Task Metrics_count_a_knock_and_a_grant_of_a_static_door_and_pass_promtool()
    {
        await using var lab = await Lab.StartAsync("nko");
        var door = UniqueDoor();
        await lab.ApplyOkAsync($"""
            doors:
              {door}:
                protect: [22/tcp]
                sequence: [17342/udp, 9121/tcp, 28877/udp]
                step-timeout: 10s
                open-for: 30s
            """);
        await lab.Client.KnockAsync(Lab.ServerV4, "17342/udp", "9121/tcp", "28877/udp");

        var result = await lab.Server.NftknockAsync("metrics");

        result.ExitCode.ShouldBe(0, result.Stderr);
        await PromtoolAcceptsAsync(result.Stdout);
        result.Stdout.ShouldContain($"nftknock_knocks_total{{door=\"{door}\"}} 3\n");
        result.Stdout.ShouldContain($"nftknock_grants_total{{door=\"{door}\"}} 1\n");
        result.Stdout.ShouldContain($"nftknock_granted{{door=\"{door}\",family=\"ipv4\"}} 1\n");
        result.Stdout.ShouldContain("nftknock_table_present{table=\"nftknock\"} 1\n");
        result.Stdout.ShouldNotContain("nftknock_replays_total");
    }

    [KernelFact]
    public async Task Metrics_textfile_lands_whole_and_a_missing_table_exposes_its_absence()
    {
        await using var lab = await Lab.StartAsync("nko");
        var directory = Directory.CreateTempSubdirectory($"{lab.Id}-textfile-").FullName;
        try
        {
            var absent = await lab.Server.NftknockAsync("metrics", "--textfile", directory);
            absent.ExitCode.ShouldBe(1);
            absent.Stderr.ShouldBe("nftknock: there is no table inet nftknock. Run nftknock apply first.\n");
            var text = await File.ReadAllTextAsync(Path.Combine(directory, "nftknock.prom"));
            await PromtoolAcceptsAsync(text);
            text.ShouldEndWith("nftknock_table_present{table=\"nftknock\"} 0\n");

            await lab.ApplyOkAsync($"doors:\n  {UniqueDoor()}:\n    protect: [22/tcp]\n    sequence: [17342/udp, 9121/tcp, 28877/udp]\n");
            (await lab.Server.NftknockAsync("metrics", "--textfile", directory)).EnsureSuccess("nftknock metrics --textfile");
            (await File.ReadAllTextAsync(Path.Combine(directory, "nftknock.prom"))).ShouldEndWith("nftknock_table_present{table=\"nftknock\"} 1\n");
            Directory.GetFiles(directory).ShouldHaveSingleItem();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [KernelFact]
    public async Task Events_json_shows_a_static_doors_grant_with_its_door_and_the_knockers_source()
    {
        await using var lab = await Lab.StartAsync("nko");
        var door = UniqueDoor();
        await lab.ApplyOkAsync($"""
            doors:
              {door}:
                protect: [22/tcp]
                sequence: [17342/udp, 9121/tcp, 28877/udp]
                step-timeout: 10s
            """);
        await using var follow = await Recorder.StartAsync(lab.Server, "--json");
        await lab.Client.KnockAsync(Lab.ServerV4, "17342/udp", "9121/tcp", "28877/udp");
        await lab.Client.KnockAsync(Lab.ServerV6, "17342/udp", "9121/tcp", "28877/udp");

        var events = await EventsAsync(follow, door, 2);

        events.Count.ShouldBe(2);
        var v4 = events.Single(e => e.GetProperty("family").GetString() == "ipv4");
        v4.GetProperty("kind").GetString().ShouldBe("grant");
        v4.GetProperty("source").GetString().ShouldBe(Lab.ClientV4);
        v4.GetProperty("port").GetInt32().ShouldBe(28877);
        v4.GetProperty("protocol").GetString().ShouldBe("udp");
        v4.TryGetProperty("client", out _).ShouldBeFalse();
        DateTimeOffset.Parse(v4.GetProperty("time").GetString()!, System.Globalization.CultureInfo.InvariantCulture)
            .ShouldBe(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        events.Single(e => e.GetProperty("family").GetString() == "ipv6").GetProperty("source").GetString().ShouldBe(Lab.ClientV6);
    }

    [KernelFact]
    public async Task Events_follow_prints_a_grant_as_text_as_the_table_logs_it()
    {
        await using var lab = await Lab.StartAsync("nko");
        var door = UniqueDoor();
        await lab.ApplyOkAsync($"doors:\n  {door}:\n    protect: [22/tcp]\n    sequence: [17342/udp, 9121/tcp, 28877/udp]\n    step-timeout: 10s\n");
        await using var follow = await Recorder.StartAsync(lab.Server, string.Empty);

        await lab.Client.KnockAsync(Lab.ServerV4, "17342/udp", "9121/tcp", "28877/udp");

        var grant = (await follow.WaitForAsync(string.Empty)).ShouldHaveSingleItem();
        grant.ShouldContain($" grant door={door} source={Lab.ClientV4} family=ipv4 interface=");
        grant.ShouldEndWith(" port=28877/udp");
        follow.HasExited.ShouldBeFalse();
    }
}
