using NftKnock.Client.Profiles;
using NftKnock.Client.Rotating;
using NftKnock.Core.Config;
using NftKnock.Core.Diagnostics;
using NftKnock.Core.Model;
using NftKnock.Core.Rotating;
using NftKnock.Core.Yaml;

namespace NftKnock.Client.Tests.Rotating;

public class RotatingProfileReaderTests
{
    private static readonly byte[] Secret = Enumerable.Range(0, 32).Select(i => (byte)(255 - i)).ToArray();
    private static readonly string Base64 = Convert.ToBase64String(Secret);

    private static (RotatingSource? Source, IReadOnlyList<Diagnostic> Diagnostics) Read(string yaml, SecretReader? secrets = null)
    {
        var bag = new DiagnosticBag();
        var source = RotatingProfileReader.Read(YamlTree.Parse(yaml)!, "hosts.b.rotating", secrets, bag);
        return (source, bag.Items);
    }

    private static string Errors(IReadOnlyList<Diagnostic> diagnostics) => string.Join("\n", diagnostics.Select(d => d.Format("client.yaml")));

    [Fact]
    public void An_inline_secret_gives_the_same_knocks_as_the_server_with_the_same_defaults()
    {
        var (source, diagnostics) = Read($"{{door: ssh, secret: {Base64}}}");

        diagnostics.ShouldBeEmpty();
        source!.Sequence.Spec.ShouldBe(RotatingSpec.Default("ssh") with { Exclude = source.Sequence.Spec.Exclude });
        source.Sequence.Spec.Exclude.ShouldBeEmpty();
        source.Sequence.Window(1234).Knocks.ShouldBe(RotatingDerivation.Knocks(Secret, RotatingSpec.Default("ssh"), 1234));
    }

    [Fact]
    public void Knocks_period_ports_and_exclude_are_read_like_the_servers()
    {
        var (source, diagnostics) = Read($"{{door: vpn, secret: {Base64}, knocks: 5, period: 1m, ports: 20000-30000, exclude: [25000]}}");

        diagnostics.ShouldBeEmpty();
        var spec = source!.Sequence.Spec;
        (spec.Door, spec.Knocks, spec.Period, spec.Ports.PortsText).ShouldBe(("vpn", 5, TimeSpan.FromMinutes(1), "20000-30000"));
        spec.Exclude.ShouldHaveSingleItem().PortsText.ShouldBe("25000");
    }

    [Fact]
    public void A_secret_file_is_read_through_the_reader()
    {
        var (source, diagnostics) = Read(
            "{door: ssh, secret-file: ssh.secret}",
            path => path == "ssh.secret" ? new SecretFileContent(Base64 + "\n", null, null) : new SecretFileContent(null, "the file does not exist", null));

        diagnostics.ShouldBeEmpty();
        source!.Sequence.Window(7).Knocks.ShouldBe(RotatingDerivation.Knocks(Secret, RotatingSpec.Default("ssh"), 7));
    }

    [Fact]
    public void An_unsafe_secret_file_in_a_profile_is_a_warning_and_still_used()
    {
        var (source, diagnostics) = Read(
            "{door: ssh, secret-file: ssh.secret}",
            _ => new SecretFileContent(Base64 + "\n", null, "its mode 0644 lets group or other users read or write it"));

        Errors(diagnostics).ShouldBe(
            "client.yaml:1:26: warning NK110 at hosts.b.rotating.secret-file: The secret file ssh.secret is not safe: its mode 0644 lets group or other users read or write it; other users could read it and knock. Run chmod 600 ssh.secret and keep it, owned by you, in a directory only you can write.");
        source.ShouldNotBeNull();
    }

    [Fact]
    public void Every_problem_is_reported_with_its_line()
    {
        Errors(Read("{knocks: 0}").Diagnostics).ShouldBe("""
            client.yaml:1:1: error NK075 at hosts.b.rotating: rotating: has no door:. Add the door's name from the server config, like door: ssh; it is part of every derivation.
            client.yaml:1:10: error NK063 at hosts.b.rotating.knocks: knocks '0' is not a whole number from 1 to 16. Use 3 unless you have a reason.
            client.yaml:1:1: error NK076 at hosts.b.rotating: rotating: has no secret. Add secret: with the base64 line that nftknock init printed, or secret-file: with the path of a copy of the server's secret file.
            """);
        Errors(Read($"{{door: ssh, secret: {Base64}, secret-file: x}}").Diagnostics).ShouldBe(
            "client.yaml:1:80: error NK077 at hosts.b.rotating.secret-file: rotating: has both secret: and secret-file:. Keep one.");
        Errors(Read("{door: ssh, secret: c2hvcnQ=}").Diagnostics).ShouldBe(
            "client.yaml:1:21: error NK078 at hosts.b.rotating.secret: secret: is not one line of base64 of at least 32 bytes. Copy it exactly as nftknock init printed it, or the server's secret file's line.");
        Read("{door: ssh, secret: c2hvcnQ=}").Source.ShouldBeNull();
    }

    [Fact]
    public void Attempts_knock_the_current_then_the_next_then_the_previous_window_with_tokens_as_payloads()
    {
        var source = Read($"{{door: ssh, secret: {Base64}, period: 4s}}").Source!;
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1000 * 4000L + 10);

        for (var attempt = 0; attempt < 4; attempt++)
        {
            var window = 1000 + (attempt % 3) switch { 0 => 0, 1 => 1, _ => -1 };
            var expected = source.Sequence.Window(window).Knocks;
            var knocks = source.KnocksFor(now, attempt);
            knocks.Select(k => k.Step).ShouldBe(expected.Select(k => new Step(k.Port, Protocol.Udp)));
            knocks.Select(k => k.Payload.ToArray()).ShouldBe(expected.Select(k => k.Payload()));
        }

        source.StepsAt(now).ShouldBe(source.Sequence.Window(1000).Steps);
        RotatingSource.TriedEveryWindow(2).ShouldBeFalse();
        RotatingSource.TriedEveryWindow(3).ShouldBeTrue();
    }
}
