using System.Net;
using NftKnock.Client.Knocking;
using NftKnock.Client.Network;
using NftKnock.Client.Tests.Fakes;
using NftKnock.Core.Model;

namespace NftKnock.Client.Tests.Knocking;

public sealed class KnockClientTests
{
    private static readonly IPAddress V4 = IPAddress.Parse("198.18.1.1");
    private static readonly IPAddress V6 = IPAddress.Parse("2001:db8:1::1");
    private static readonly Step[] Steps = [new(7000, Protocol.Udp), new(8000, Protocol.Tcp), new(9000, Protocol.Udp)];

    private readonly TestClock clock = new() { FiresTimersAtOnce = true };
    private readonly FakeNetwork network;
    private readonly List<string> log = [];

    public KnockClientTests()
    {
        network = new FakeNetwork(clock);
        network.Names["dual.test"] = [V6, V4];
        network.Names["v4.test"] = [V4];
    }

    private KnockClient Client => new(network, clock, log.Add);

    private static KnockRequest Request(string host, Families family = Families.Both, RetryPolicy? policy = null) =>
        new(host, new StaticSequence(Steps), family, policy ?? RetryPolicy.Default);

    [Fact]
    public async Task Clean_link_knocks_in_order_back_to_back_then_connects_once()
    {
        var outcome = await Client.OpenAsync(Request("v4.test"), 22, CancellationToken.None);

        outcome.Status.ShouldBe(KnockStatus.Connected);
        outcome.Connection.ShouldNotBeNull();
        outcome.Attempts.ShouldBe(1);
        network.Events.Select(e => e.ToString()).ShouldBe(
            ["knock 7000/udp 198.18.1.1:7000", "knock 8000/tcp 198.18.1.1:8000", "knock 9000/udp 198.18.1.1:9000", "connect 198.18.1.1:22"]);
        clock.Delays.ShouldBeEmpty();
    }

    [Fact]
    public async Task Refused_connection_is_retried_after_a_pause_with_wider_gaps()
    {
        network.Then(ConnectFailure.Refused);

        var outcome = await Client.OpenAsync(Request("v4.test"), 22, CancellationToken.None);

        outcome.Status.ShouldBe(KnockStatus.Connected);
        outcome.Attempts.ShouldBe(2);
        network.Events.Count(e => e.Kind == "connect").ShouldBe(2);
        clock.Delays.Select(d => d.TotalMilliseconds).ShouldBe([100, 25, 25, 25]);
    }

    [Fact]
    public async Task Retry_sends_each_knock_twice_back_to_back_and_connects_one_gap_after_the_last()
    {
        network.Then(ConnectFailure.TimedOut);

        await Client.OpenAsync(Request("v4.test"), 22, CancellationToken.None);

        var retry = network.Events.Skip(4).ToList();
        retry.Select(e => e.ToString()).ShouldBe(
        [
            "knock 7000/udp 198.18.1.1:7000", "knock 7000/udp 198.18.1.1:7000",
            "knock 8000/tcp 198.18.1.1:8000", "knock 8000/tcp 198.18.1.1:8000",
            "knock 9000/udp 198.18.1.1:9000", "knock 9000/udp 198.18.1.1:9000",
            "connect 198.18.1.1:22",
        ]);
        var start = retry[0].At;
        retry.Select(e => (e.At - start).TotalMilliseconds).ShouldBe([0, 0, 25, 25, 50, 50, 75]);
        log.ShouldContain("nftknock: attempt 2 of 8: knocked 7000/udp 8000/tcp 9000/udp on 198.18.1.1, each twice, 25ms apart, in 50.0 ms");
    }

    [Fact]
    public async Task Port_that_never_opens_uses_every_attempt_with_growing_timeouts()
    {
        network.Then(Enumerable.Repeat(ConnectFailure.TimedOut, 8).ToArray());

        var outcome = await Client.OpenAsync(Request("v4.test"), 22, CancellationToken.None);

        outcome.Status.ShouldBe(KnockStatus.NeverOpened);
        outcome.Attempts.ShouldBe(8);
        outcome.Connection.ShouldBeNull();
        network.Events.Where(e => e.Kind == "connect").Select(e => e.Timeout.TotalMilliseconds).ShouldBe([400, 600, 800, 1000, 1200, 1400, 1600, 1800]);
        clock.Delays.Take(12).Select(d => d.TotalMilliseconds).ShouldBe([100, 25, 25, 25, 200, 50, 50, 50, 300, 75, 75, 75]);
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task No_knock_of_a_retry_is_sent_before_the_previous_connect_gave_up()
    {
        network.Then(ConnectFailure.TimedOut, ConnectFailure.TimedOut);

        await Client.OpenAsync(Request("v4.test"), 22, CancellationToken.None);

        var connects = network.Events.Where(e => e.Kind == "connect").ToList();
        var secondAttemptFirstKnock = network.Events.Where(e => e.Kind.StartsWith("knock", StringComparison.Ordinal)).ElementAt(3);
        secondAttemptFirstKnock.At.ShouldBeGreaterThanOrEqualTo(connects[0].At + connects[0].Timeout);
    }

    [Fact]
    public async Task Dual_stack_name_keeps_one_address_per_attempt_and_tries_the_other_family_next()
    {
        network.Then(ConnectFailure.TimedOut);

        var outcome = await Client.OpenAsync(Request("dual.test"), 22, CancellationToken.None);

        outcome.Address.ShouldBe(V4);
        var first = network.Events.Take(4).Select(e => e.Target.Address).Distinct().ShouldHaveSingleItem();
        first.ShouldBe(V6);
        network.Events.Skip(4).Select(e => e.Target.Address).Distinct().ShouldHaveSingleItem().ShouldBe(V4);
    }

    [Fact]
    public async Task Minus_4_uses_only_the_IPv4_address()
    {
        network.Then(ConnectFailure.Refused);

        await Client.OpenAsync(Request("dual.test", Families.IPv4), 22, CancellationToken.None);

        network.Events.Select(e => e.Target.Address).Distinct().ShouldBe([V4]);
    }

    [Fact]
    public async Task Minus_6_on_an_IPv4_only_name_reports_the_missing_family()
    {
        var outcome = await Client.OpenAsync(Request("v4.test", Families.IPv6), 22, CancellationToken.None);

        outcome.Status.ShouldBe(KnockStatus.NoAddressOfFamily);
        network.Events.ShouldBeEmpty();
    }

    [Fact]
    public async Task Unknown_name_is_unresolvable_and_sends_nothing()
    {
        var outcome = await Client.OpenAsync(Request("nowhere.test"), 22, CancellationToken.None);

        outcome.Status.ShouldBe(KnockStatus.Unresolvable);
        outcome.Detail.ShouldBe("Name or service not known");
        network.Events.ShouldBeEmpty();
    }

    [Fact]
    public async Task Address_without_a_route_is_no_route_not_never_opened()
    {
        network.Unrouted.Add(V4);

        var outcome = await Client.OpenAsync(Request("v4.test", policy: RetryPolicy.Default with { Attempts = 2 }), 22, CancellationToken.None);

        outcome.Status.ShouldBe(KnockStatus.NoRoute);
        network.Events.ShouldNotContain(e => e.Kind == "connect");
    }

    [Fact]
    public async Task Knocks_refused_by_the_local_firewall_are_reported_as_blocked()
    {
        network.Blocked.Add(V4);

        var outcome = await Client.OpenAsync(Request("v4.test", policy: RetryPolicy.Default with { Attempts = 2 }), 22, CancellationToken.None);

        outcome.Status.ShouldBe(KnockStatus.Blocked);
        network.Events.ShouldNotContain(e => e.Kind == "connect");
        log.ShouldContain("nftknock: this machine's firewall refused the knock 7000/udp to 198.18.1.1");
    }

    [Fact]
    public async Task Knock_only_sends_the_sequence_once_and_never_connects()
    {
        var report = await Client.KnockAsync(Request("v4.test"), null, CancellationToken.None);

        report.PerAddress.ShouldHaveSingleItem().Status.ShouldBe(KnockStatus.Knocked);
        network.Events.Select(e => e.Kind).ShouldBe(["knock 7000/udp", "knock 8000/tcp", "knock 9000/udp"]);
    }

    [Fact]
    public async Task Sequence_source_is_asked_again_on_every_attempt()
    {
        var source = new CountingSource();
        network.Then(ConnectFailure.Refused);

        await Client.OpenAsync(new KnockRequest("v4.test", source, Families.Both, RetryPolicy.Default), 22, CancellationToken.None);

        source.Calls.ShouldBe(2);
        network.Events.Select(e => e.Kind).ShouldBe(["knock 1001/udp", "connect", "knock 1002/udp", "knock 1002/udp", "connect"]);
    }

    [Fact]
    public async Task Verbose_log_says_what_was_sent_where()
    {
        await Client.OpenAsync(Request("v4.test"), 22, CancellationToken.None);

        log[0].ShouldBe("nftknock: v4.test is 198.18.1.1");
        log[1].ShouldBe("nftknock: attempt 1 of 8: knocked 7000/udp 8000/tcp 9000/udp on 198.18.1.1, back to back, in 0.0 ms");
        log[2].ShouldBe("nftknock: connected to 198.18.1.1 port 22 0.0 ms after the first knock (attempt 1)");
    }

    private sealed class CountingSource : ISequenceSource
    {
        public int Calls { get; private set; }

        public IReadOnlyList<Step> StepsAt(DateTimeOffset now) => [new Step(1000 + ++Calls, Protocol.Udp)];
    }
}
