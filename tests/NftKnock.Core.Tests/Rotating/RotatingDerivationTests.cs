using NftKnock.Core.Model;
using NftKnock.Core.Rotating;

namespace NftKnock.Core.Tests.Rotating;

public class RotatingDerivationTests
{
    private static readonly byte[] Secret = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();

    public static TheoryData<string> VectorNames() => [.. Vectors.Load().Select(v => v.Name)];

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Derivation_matches_the_shared_test_vector(string name)
    {
        var vector = Vectors.Load().Single(v => v.Name == name);

        var knocks = RotatingDerivation.Knocks(vector.Secret, vector.Spec, vector.Window);

        knocks.Select(k => (k.Port, k.TokenHex)).ShouldBe(vector.Expect);
    }

    [Fact]
    public void Ports_are_distinct_within_every_window()
    {
        var spec = RotatingSpec.Default("ssh") with { Knocks = 16, Ports = new PortRange(30000, 30199, Protocol.Udp) };

        for (long window = 0; window < 500; window++)
        {
            var ports = RotatingDerivation.Knocks(Secret, spec, window).Select(k => k.Port).ToList();
            ports.Distinct().Count().ShouldBe(16, $"window {window}");
        }
    }

    [Fact]
    public void Ports_stay_in_the_range_and_avoid_excluded_ports()
    {
        var spec = RotatingSpec.Default("ssh") with
        {
            Knocks = 5,
            Ports = new PortRange(40000, 40299, Protocol.Udp),
            Exclude = [new PortRange(40000, 40149, Protocol.Udp), new PortRange(40200, 40200, Protocol.Udp)],
        };

        var seen = new HashSet<int>();
        for (long window = 0; window < 500; window++)
        {
            foreach (var knock in RotatingDerivation.Knocks(Secret, spec, window))
            {
                knock.Port.ShouldBeInRange(40150, 40299);
                knock.Port.ShouldNotBe(40200);
                seen.Add(knock.Port);
            }
        }

        seen.Count.ShouldBeGreaterThan(140, "every free port should be drawn now and then");
    }

    [Fact]
    public void Windows_and_doors_and_secrets_each_change_every_knock()
    {
        var spec = RotatingSpec.Default("ssh");
        var baseline = RotatingDerivation.Knocks(Secret, spec, 100);
        var tokens = baseline.Select(k => k.Token).ToHashSet();

        RotatingDerivation.Knocks(Secret, spec, 101).ShouldAllBe(k => !tokens.Contains(k.Token));
        RotatingDerivation.Knocks(Secret, spec with { Door = "web" }, 100).ShouldAllBe(k => !tokens.Contains(k.Token));
        var other = Secret.Select(b => (byte)(b ^ 1)).ToArray();
        RotatingDerivation.Knocks(other, spec, 100).ShouldAllBe(k => !tokens.Contains(k.Token));
    }

    [Fact]
    public void A_secret_shorter_than_32_bytes_is_a_programmer_error()
    {
        Should.Throw<ArgumentException>(() => RotatingDerivation.Knocks(new byte[31], RotatingSpec.Default("ssh"), 0));
    }

    [Fact]
    public void Payload_is_the_token_big_endian_as_nft_reads_it()
    {
        var knock = new RotatingKnock(12345, 0x0102030405060708);

        knock.Payload().ShouldBe(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 });
        knock.TokenHex.ShouldBe("0x0102030405060708");
    }

    [Fact]
    public void Window_changes_exactly_at_the_boundary()
    {
        var period = TimeSpan.FromSeconds(30);
        var start = DateTimeOffset.FromUnixTimeMilliseconds(58_000_000L * 30_000);
        RotatingDerivation.Window(start, period).ShouldBe(58_000_000);
        RotatingDerivation.Window(start - TimeSpan.FromMilliseconds(1), period).ShouldBe(57_999_999);
        RotatingDerivation.Window(start + period - TimeSpan.FromMilliseconds(1), period).ShouldBe(58_000_000);
        RotatingDerivation.WindowStart(58_000_000, period).ShouldBe(start);
    }

    [Fact]
    public void Windows_before_the_epoch_round_down()
    {
        RotatingDerivation.Window(DateTimeOffset.FromUnixTimeMilliseconds(-1), TimeSpan.FromSeconds(2)).ShouldBe(-1);
    }

    [Fact]
    public void Secret_text_is_one_line_of_base64_with_at_least_32_bytes()
    {
        RotatingSecret.TryParse(Convert.ToBase64String(Secret) + "\n", out var secret).ShouldBe(RotatingSecret.Problem.None);
        secret.ShouldBe(Secret);
        RotatingSecret.TryParse(Convert.ToBase64String(new byte[31]), out _).ShouldBe(RotatingSecret.Problem.TooShort);
        RotatingSecret.TryParse("not base64!", out _).ShouldBe(RotatingSecret.Problem.NotBase64);
        RotatingSecret.TryParse(Convert.ToBase64String(Secret) + "\n" + Convert.ToBase64String(Secret), out _).ShouldBe(RotatingSecret.Problem.NotBase64);
        RotatingSecret.TryParse(string.Empty, out _).ShouldBe(RotatingSecret.Problem.NotBase64);
    }
}
