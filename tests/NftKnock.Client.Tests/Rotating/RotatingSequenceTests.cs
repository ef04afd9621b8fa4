using NftKnock.Client.Rotating;
using NftKnock.Core.Model;
using NftKnock.Core.Rotating;

namespace NftKnock.Client.Tests.Rotating;

public class RotatingSequenceTests
{
    public static TheoryData<string> VectorNames() => [.. Vectors.Load().Select(v => v.Name)];

    private static RotatingSequence Create(RotatingSpec spec, byte[] secret)
    {
        RotatingSequence.TryCreate(spec, Convert.ToBase64String(secret) + "\n", out var sequence).ShouldBe(RotatingSecret.Problem.None);
        return sequence!;
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Client_knocks_match_the_shared_test_vector(string name)
    {
        var vector = Vectors.Load().Single(v => v.Name == name);

        var window = Create(vector.Spec, vector.Secret).Window(vector.Window);

        window.Knocks.Select(k => (k.Port, k.TokenHex)).ShouldBe(vector.Expect);
        window.Steps.ShouldAllBe(s => s.Protocol == Protocol.Udp);
        window.Knocks.Select(k => Convert.ToHexStringLower(k.Payload())).ShouldBe(vector.Expect.Select(e => e.Token[2..]));
    }

    [Fact]
    public void Attempts_try_the_current_window_then_the_next_then_the_previous()
    {
        var vector = Vectors.Load()[0];
        var spec = vector.Spec with { Period = TimeSpan.FromSeconds(4) };
        var sequence = Create(spec, vector.Secret);
        var boundary = DateTimeOffset.FromUnixTimeMilliseconds(1_000 * 4_000L);

        sequence.Attempts(boundary).Select(w => w.Number).ShouldBe([1000, 1001, 999]);
        sequence.Attempts(boundary - TimeSpan.FromMilliseconds(1)).Select(w => w.Number).ShouldBe([999, 1000, 998]);
        sequence.Window(1000).Start.ShouldBe(boundary);
    }

    [Fact]
    public void A_secret_that_is_not_base64_or_too_short_is_refused()
    {
        var spec = RotatingSpec.Default("ssh");

        RotatingSequence.TryCreate(spec, "secret", out var none).ShouldBe(RotatingSecret.Problem.NotBase64);
        none.ShouldBeNull();
        RotatingSequence.TryCreate(spec, Convert.ToBase64String(new byte[8]), out _).ShouldBe(RotatingSecret.Problem.TooShort);
        ClientTexts.BadSecret("~/.config/nftknock/client.yaml", RotatingSecret.Problem.TooShort)
            .ShouldBe("nftknock: the secret in ~/.config/nftknock/client.yaml is shorter than 32 bytes. Copy the server's secret file exactly.");
    }

    [Fact]
    public void The_clock_warning_names_the_local_time_and_the_period()
    {
        var now = new DateTimeOffset(2026, 11, 21, 22, 5, 9, TimeSpan.Zero);

        ClientTexts.ClockLooksWrong(now, TimeSpan.FromSeconds(30)).ShouldBe(
            "nftknock: the door stayed closed for the previous, current and next windows. If this machine's clock (it reads 2026-11-21 22:05:09 UTC) is more than one period (30s) off the server's, fix it (enable NTP).");
    }
}
