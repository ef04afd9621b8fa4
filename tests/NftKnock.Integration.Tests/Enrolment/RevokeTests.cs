using System.Text.Json;
using NftKnock.Integration.Tests.Rotating;
using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests.Enrolment;

/// <summary>
/// <c>nftknock client revoke --apply</c> in the kernel: the revoked client's open grant closes at once
/// and its knocks no longer open anything, while another client's grant stays and its knocks still work.
/// </summary>
public sealed class RevokeTests
{
    /// <summary>Long enough that apply's windows t-1, t and t+1 cover the whole test without rotate.</summary>
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(30);

    private static string Config(RotatingLab lab) => $"""
        doors:
          ssh:
            protect: [22/tcp]
            step-timeout: 2s
            # Far longer than the test: a grant that closes was closed by the revoke, not by time.
            open-for: 5m
            rotating:
              period: 30s
              clients:
                - {"{"}name: alice, secret-file: {lab.SecretPath("alice")}{"}"}
                - {"{"}name: bob, secret-file: {lab.SecretPath("bob")}{"}"}

        """;

    [KernelFact]
    public async Task Revoking_a_client_closes_its_grant_and_refuses_its_knocks_while_another_client_keeps_getting_in()
    {
        await using var lab = await RotatingLab.StartWithPrefixAsync("nkrevoke", ["alice", "bob"]);
        await lab.ApplyAsync(Config(lab));
        var alice = lab.Sequence("alice", Period);
        var bob = lab.Sequence("bob", Period);
        var now = alice.WindowAt(DateTimeOffset.UtcNow);
        await lab.KnockAndExpectOpenAsync(lab.Lab.Client, Lab.ServerV4, alice.Window(now), "alice before the revoke");
        await lab.KnockAndExpectOpenAsync(lab.Lab.Attacker, Lab.ServerV4FromAttacker, bob.Window(now), "bob before the revoke");

        var before = (await lab.Lab.Server.RunAsync("nft", "list", "table", "inet", "nftknock")).Stdout;
        var revoke = await lab.Lab.Server.NftknockAsync("client", "revoke", "alice", "-c", lab.ConfigPath, "--apply", "--json");

        revoke.ExitCode.ShouldBe(0, revoke.Stderr);
        var result = JsonDocument.Parse(revoke.Stdout).RootElement;
        result.GetProperty("applied").GetBoolean().ShouldBeTrue();
        result.GetProperty("closed").EnumerateArray().Select(e => e.GetString()).ShouldContain(Lab.ClientV4, $"{revoke.Stderr}\n{before}");
        File.Exists(lab.SecretPath("alice")).ShouldBeFalse("the secret is moved aside");
        await lab.ExpectAsync(false, lab.Lab.Client, Lab.ServerV4, "alice's grant after the revoke");
        await lab.ExpectAsync(true, lab.Lab.Attacker, Lab.ServerV4FromAttacker, "bob's grant after the revoke");

        // Windows nobody has used yet, so a refusal is the revoke's doing and not a claimed window's.
        await lab.Lab.Client.KnockAsync(Lab.ServerV4, alice.Window(now + 1));
        await lab.ExpectAsync(false, lab.Lab.Client, Lab.ServerV4, "alice knocking after the revoke");
        await lab.KnockAndExpectOpenAsync(lab.Lab.Client, Lab.ServerV6, bob.Window(now + 1), "bob knocking from a new address after the revoke");
    }
}
