using System.Text.Json;
using NftKnock.Client.Rotating;
using NftKnock.Core.Model;
using NftKnock.Core.Rotating;
using NftKnock.Core.Ruleset;
using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests.Rotating;

/// <summary>A rotating door with clients: each client's grants count on its own, and its own grant-prefix applies.</summary>
public sealed class RotatingClientTests
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(4);

    /// <summary>A rotating door <paramref name="door"/> whose alice grants her /24 and bob his address alone.</summary>
    internal static string Config(RotatingLab lab, string door) => $$"""
        doors:
          {{door}}:
            protect: [22/tcp]
            step-timeout: 1s
            open-for: 5s
            rotating:
              period: {{Duration.Format(Period)}}
              clients:
                - name: alice
                  secret-file: {{lab.SecretPath("alice")}}
                  grant-prefix: {ipv4: 24}
                - name: bob
                  secret-file: {{lab.SecretPath("bob")}}
        """;

    /// <summary>The knocks of <paramref name="client"/> for <paramref name="door"/> in the current window.</summary>
    internal static RotatingWindow Now(RotatingLab lab, string door, string client)
    {
        RotatingSequence.TryCreate(RotatingSpec.Default(door) with { Period = Period }, RotatingSecret.Format(lab.Secrets[client]), out var sequence);
        return sequence!.Window(sequence.WindowAt(DateTimeOffset.UtcNow));
    }

    private static async Task<RotatingLab> StartAsync()
    {
        var lab = await RotatingLab.StartAsync("alice", "bob");
        try
        {
            await lab.ApplyAsync(Config(lab, "ssh"));
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    [KernelFact]
    public async Task A_client_s_own_grant_prefix_opens_its_network_and_another_client_s_grant_stays_one_address()
    {
        await using var lab = await StartAsync();
        await lab.Lab.Client.AddAddressAsync("198.18.1.3");
        await lab.Lab.Attacker.AddAddressAsync("198.18.2.3");

        await lab.KnockAndExpectOpenAsync(lab.Lab.Client, Lab.ServerV4, Now(lab, "ssh", "alice"), "alice");
        (await lab.Lab.Client.CanConnectFromAsync("198.18.1.3", Lab.ServerV4, 22)).ShouldBeTrue("alice's neighbour in her /24");

        await lab.KnockAndExpectOpenAsync(lab.Lab.Attacker, Lab.ServerV4FromAttacker, Now(lab, "ssh", "bob"), "bob");
        (await lab.Lab.Attacker.CanConnectFromAsync("198.18.2.3", Lab.ServerV4FromAttacker, 22)).ShouldBeFalse("bob's neighbour");
    }

    [KernelFact]
    public async Task After_one_of_two_clients_knocks_only_its_own_grant_counter_counts()
    {
        await using var lab = await StartAsync();

        await lab.KnockAndExpectOpenAsync(lab.Lab.Client, Lab.ServerV4, Now(lab, "ssh", "alice"), "alice");

        var counters = await CountersAsync(lab.Lab);
        counters[Names.Counter("ssh", CounterKind.Grants, "alice")].ShouldBe((1L, "alice"));
        counters[Names.Counter("ssh", CounterKind.Grants, "bob")].ShouldBe((0L, "bob"));
        counters["ssh_grants"].ShouldBe((1L, (string?)null));
    }

    [KernelFact]
    public async Task A_replay_of_a_client_s_knock_counts_on_that_client_s_replays()
    {
        await using var lab = await StartAsync();
        var recorded = Now(lab, "ssh", "alice");
        await lab.KnockAndExpectOpenAsync(lab.Lab.Client, Lab.ServerV4, recorded, "alice");

        await lab.Lab.Attacker.KnockAsync(Lab.ServerV4FromAttacker, recorded);

        await lab.ExpectAsync(false, lab.Lab.Attacker, Lab.ServerV4FromAttacker, "the replay");
        var counters = await CountersAsync(lab.Lab);
        counters[Names.Counter("ssh", CounterKind.Replays, "alice")].Packets.ShouldBe(1);
        counters[Names.Counter("ssh", CounterKind.Replays, "bob")].Packets.ShouldBe(0);
        counters["ssh_replays"].Packets.ShouldBe(1);
    }

    /// <summary>Every counter of the server's table, from <c>nft -j list counters</c>: packets and comment.</summary>
    private static async Task<Dictionary<string, (long Packets, string? Comment)>> CountersAsync(Lab lab)
    {
        var json = (await lab.Server.RunAsync("nft", "-j", "list", "counters")).EnsureSuccess("nft -j list counters").Stdout;
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("nftables").EnumerateArray()
            .Where(e => e.TryGetProperty("counter", out _))
            .Select(e => e.GetProperty("counter"))
            .ToDictionary(
                c => c.GetProperty("name").GetString()!,
                c => (c.GetProperty("packets").GetInt64(), c.TryGetProperty("comment", out var comment) ? comment.GetString() : null));
    }
}
