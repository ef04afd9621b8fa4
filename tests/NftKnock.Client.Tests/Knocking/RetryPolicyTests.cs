using NftKnock.Client.Knocking;

namespace NftKnock.Client.Tests.Knocking;

public sealed class RetryPolicyTests
{
    private static readonly RetryPolicy Policy = RetryPolicy.Default;

    [Fact]
    public void First_attempt_knocks_each_step_once_back_to_back_and_connects_at_once()
    {
        Policy.GapFor(0).ShouldBe(TimeSpan.Zero);
        RetryPolicy.CopiesFor(0).ShouldBe(1);
        Policy.SettleFor(0).ShouldBe(TimeSpan.Zero);
        Policy.PauseBefore(0).ShouldBe(TimeSpan.Zero);
        Policy.ConnectTimeoutFor(0).ShouldBe(TimeSpan.FromMilliseconds(400));
    }

    [Fact]
    public void Default_policy_makes_eight_attempts()
    {
        Policy.Attempts.ShouldBe(8);
    }

    [Fact]
    public void Each_retry_widens_the_gap_beyond_a_20ms_reorder()
    {
        Enumerable.Range(0, 4).Select(Policy.GapFor).Select(g => g.TotalMilliseconds).ShouldBe([0, 25, 50, 75]);
    }

    [Fact]
    public void Retries_send_every_knock_twice_and_wait_one_gap_before_connecting()
    {
        Enumerable.Range(1, 7).Select(RetryPolicy.CopiesFor).ShouldAllBe(c => c == 2);
        Enumerable.Range(1, 3).Select(Policy.SettleFor).Select(g => g.TotalMilliseconds).ShouldBe([25, 50, 75]);
    }

    [Fact]
    public void Pause_and_connect_timeout_grow_by_a_fixed_step_on_each_retry()
    {
        Enumerable.Range(0, 5).Select(Policy.PauseBefore).Select(g => g.TotalMilliseconds).ShouldBe([0, 100, 200, 300, 400]);
        Enumerable.Range(0, 8).Select(Policy.ConnectTimeoutFor).Select(g => g.TotalMilliseconds).ShouldBe([400, 600, 800, 1000, 1200, 1400, 1600, 1800]);
    }

    [Fact]
    public void Default_policy_gives_up_within_15_seconds()
    {
        var total = Enumerable.Range(0, Policy.Attempts)
            .Select(a => Policy.PauseBefore(a) + (Policy.GapFor(a) * 2) + Policy.SettleFor(a) + Policy.ConnectTimeoutFor(a))
            .Aggregate(TimeSpan.Zero, (sum, t) => sum + t);

        total.ShouldBeLessThan(TimeSpan.FromSeconds(15));
    }

    [Fact]
    public void A_gap_asked_for_is_kept_on_the_first_attempt_and_grown_on_retries()
    {
        var spaced = Policy with { Gap = TimeSpan.FromMilliseconds(20) };
        Enumerable.Range(0, 3).Select(spaced.GapFor).Select(g => g.TotalMilliseconds).ShouldBe([20, 45, 70]);
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
