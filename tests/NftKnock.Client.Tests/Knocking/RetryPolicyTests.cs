using NftKnock.Client.Knocking;

namespace NftKnock.Client.Tests.Knocking;

public sealed class RetryPolicyTests
{
    private static readonly RetryPolicy Policy = RetryPolicy.Default;

    [Fact]
    public void First_attempt_knocks_1ms_apart_without_a_pause()
    {
        Policy.GapFor(0).ShouldBe(TimeSpan.FromMilliseconds(1));
        Policy.PauseBefore(0).ShouldBe(TimeSpan.Zero);
        Policy.ConnectTimeoutFor(0).ShouldBe(TimeSpan.FromMilliseconds(900));
    }

    [Fact]
    public void Each_retry_widens_the_gap_so_reordered_knocks_arrive_in_order()
    {
        Enumerable.Range(0, 4).Select(Policy.GapFor).Select(g => g.TotalMilliseconds).ShouldBe([1, 51, 101, 151]);
    }

    [Fact]
    public void Pause_and_connect_timeout_double_on_each_retry()
    {
        Enumerable.Range(0, 5).Select(Policy.PauseBefore).Select(g => g.TotalMilliseconds).ShouldBe([0, 100, 200, 400, 800]);
        Enumerable.Range(0, 4).Select(Policy.ConnectTimeoutFor).Select(g => g.TotalMilliseconds).ShouldBe([900, 1800, 3600, 7200]);
    }

    [Fact]
    public void Back_off_stops_growing_at_the_ceiling()
    {
        var many = new RetryPolicy(20, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        many.PauseBefore(19).ShouldBe(RetryPolicy.Ceiling);
        many.ConnectTimeoutFor(19).ShouldBe(RetryPolicy.Ceiling);
        (many with { Gap = TimeSpan.FromMilliseconds(7900) }).GapFor(5).ShouldBe(RetryPolicy.Ceiling);
    }

    [Fact]
    public void A_connect_timeout_above_the_ceiling_is_kept_as_given()
    {
        var slow = RetryPolicy.Default with { ConnectTimeout = TimeSpan.FromSeconds(30) };
        slow.ConnectTimeoutFor(3).ShouldBe(TimeSpan.FromSeconds(30));
    }
}
