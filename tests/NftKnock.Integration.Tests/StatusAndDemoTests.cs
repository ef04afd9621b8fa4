using System.Text.Json;
using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests;

public sealed class StatusAndDemoTests
{
    [KernelFact]
    public async Task Status_shows_a_grant_and_a_knock_in_progress_with_time_left_and_counters()
    {
        await using var lab = await Lab.StartAsync();
        await lab.ApplyOkAsync("""
            doors:
              ssh:
                protect: [22/tcp]
                sequence: [17342/udp, 9121/tcp, 28877/udp]
                step-timeout: 10s
                open-for: 30s
            """);
        await lab.Client.KnockAsync(Lab.ServerV4, "17342/udp", "9121/tcp", "28877/udp");
        await lab.Attacker.KnockAsync(Lab.ServerV6FromAttacker, "17342/udp", "9121/tcp");

        var result = await lab.Server.NftknockAsync("status", "--json");

        result.ExitCode.ShouldBe(0, result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        var door = json.RootElement.GetProperty("doors")[0];
        door.GetProperty("name").GetString().ShouldBe("ssh");
        door.GetProperty("protect")[0].GetString().ShouldBe("22/tcp");
        var open = door.GetProperty("open").EnumerateArray().ShouldHaveSingleItem();
        open.GetProperty("address").GetString().ShouldBe(Lab.ClientV4);
        open.GetProperty("expiresInMs").GetInt64().ShouldBeInRange(25_000, 30_000);
        var progress = door.GetProperty("inProgress").EnumerateArray().ShouldHaveSingleItem();
        progress.GetProperty("address").GetString().ShouldBe(Lab.AttackerV6);
        progress.GetProperty("stage").GetInt32().ShouldBe(2);
        progress.GetProperty("expiresInMs").GetInt64().ShouldBeInRange(5_000, 10_000);
        var counters = door.GetProperty("counters");
        counters.GetProperty("knocks").GetInt64().ShouldBe(5);
        counters.GetProperty("grants").GetInt64().ShouldBe(1);
        counters.GetProperty("resets").GetInt64().ShouldBe(0);
    }

    [KernelFact]
    public async Task Demo_tells_the_whole_story_and_removes_its_namespaces()
    {
        KernelRequirements.ThrowIfMissing();

        var result = await Proc.RunAsync(NftknockCli.File, [.. NftknockCli.Prefix, "demo"], TimeSpan.FromSeconds(60));

        result.ExitCode.ShouldBe(0, result.Stdout + result.Stderr);
        result.Stdout.ShouldContain("[6/9] The laptop knocks 17342/udp 9121/tcp 28877/udp (nftknock knock): connected (SSH-2.0-nftknock-demo). As expected.");
        result.Stdout.ShouldContain("Demo passed.");
        result.Stdout.ShouldNotContain("NOT as expected");
        (await Proc.RunAsync("ip", ["netns", "list"])).Stdout.ShouldNotContain("nkdemo");
    }
}
