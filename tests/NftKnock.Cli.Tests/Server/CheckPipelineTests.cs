using System.Runtime.Versioning;
using System.Text.Json;
using NftKnock.Cli.Tests.Deploy;

namespace NftKnock.Cli.Tests.Server;

/// <summary>check and check --json are two renderings of one result: same exit code, same diagnostics.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class CheckPipelineTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly CliHarness cli = new();

    public void Dispose() => cli.Dispose();

    /// <summary>Every error a rotating door's secret can raise, with the door's rotating: block and the secret files it needs.</summary>
    public static TheoryData<string, string, string> SecretErrors => new()
    {
        { "NK061", "knocks: 3", string.Empty },
        { "NK062", "secret-file: ssh.secret\n      clients: [{name: alice, secret-file: alice.secret}]", "ssh.secret alice.secret" },
        { "NK069", "secret-file: missing.secret", string.Empty },
        { "NK070", "secret-file: text.secret", "text.secret=not base64 at all" },
        { "NK071", "secret-file: short.secret", "short.secret=" + Convert.ToBase64String(new byte[16]) },
        { "NK073", "clients: [{name: alice, secret-file: shared.secret}, {name: bob, secret-file: shared.secret}]", "shared.secret" },
        { "NK079", "secret-file: open.secret", "open.secret:644" },
    };

    [Theory]
    [MemberData(nameof(SecretErrors))]
    public async Task Check_and_check_json_agree_on_every_secret_error(string code, string rotating, string secrets)
    {
        WriteSecrets(secrets);
        var config = cli.Write("nftknock.yaml", $"doors:\n  ssh:\n    protect: [22/tcp]\n    rotating:\n      {rotating}\n");

        var textCode = await cli.RunAsync("check", "-c", config);
        var text = cli.Error.ToString();
        cli.Out.ToString().ShouldBeEmpty();
        cli.Out.GetStringBuilder().Clear();
        var jsonCode = await cli.RunAsync("check", "--json", "-c", config);

        textCode.ShouldBe(ExitCodes.Usage, text);
        jsonCode.ShouldBe(textCode);
        using var doc = JsonDocument.Parse(cli.Out.ToString());
        doc.RootElement.GetProperty("valid").GetBoolean().ShouldBeFalse();
        var lines = doc.RootElement.GetProperty("diagnostics").EnumerateArray().Select(d =>
            $"{config}:{d.GetProperty("line").GetInt32()}:{d.GetProperty("column").GetInt32()}: {d.GetProperty("severity").GetString()} {d.GetProperty("code").GetString()} at {d.GetProperty("path").GetString()}: {d.GetProperty("message").GetString()}\n");
        string.Concat(lines).ShouldBe(text);
        doc.RootElement.GetProperty("diagnostics").EnumerateArray().Select(d => d.GetProperty("code").GetString()).ShouldContain(code);
        doc.RootElement.GetProperty("errors").GetInt32().ShouldBe(text.Split('\n').Count(l => l.Contains(": error NK", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Check_and_check_json_agree_on_a_good_rotating_door()
    {
        WriteSecrets("ssh.secret");
        var config = cli.Write("nftknock.yaml", "doors:\n  ssh:\n    protect: [22/tcp]\n    rotating:\n      secret-file: ssh.secret\n");

        (await cli.RunAsync("check", "-c", config)).ShouldBe(ExitCodes.Ok, cli.Error.ToString());
        cli.Out.ToString().ShouldBe($"{config}: valid, 1 door, 0 warnings; nft --check accepts the ruleset.\n");
        cli.Out.GetStringBuilder().Clear();
        (await cli.RunAsync("check", "--json", "-c", config)).ShouldBe(ExitCodes.Ok);

        cli.Out.ToString().ShouldBe($$"""{"path":"{{config}}","valid":true,"doors":1,"errors":0,"warnings":0,"diagnostics":[],"dryRun":"accepted"}""" + "\n");
    }

    /// <summary>Writes each named secret: <c>name</c> (32 zero bytes), <c>name=text</c>, or <c>name:mode</c> (32 bytes, that octal mode).</summary>
    private void WriteSecrets(string secrets)
    {
        foreach (var spec in secrets.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var (name, text, mode) = spec.Split('=', 2) is [var n, var t]
                ? (n, t, OwnerOnly)
                : spec.Split(':', 2) is [var m, var octal]
                    ? (m, Convert.ToBase64String(new byte[32]), (UnixFileMode)Convert.ToInt32(octal, 8))
                    : (spec, Convert.ToBase64String(new byte[32]), OwnerOnly);
            var path = cli.Write(name, text + "\n");
            File.SetUnixFileMode(path, mode);
        }
    }
}
