using System.Net;
using NftKnock.Client.Knocking;
using NftKnock.Client.Network;
using NftKnock.Client.Tests.Fakes;
using NftKnock.Core.Model;

namespace NftKnock.Client.Tests.Knocking;

/// <summary>knock on a name with A and AAAA records: one address of each family, knocked together, checked each.</summary>
public sealed class EveryFamilyKnockTests
{
    private static readonly IPAddress V4 = IPAddress.Parse("198.18.1.1");
    private static readonly IPAddress OtherV4 = IPAddress.Parse("198.18.1.9");
    private static readonly IPAddress V6 = IPAddress.Parse("2001:db8:1::1");
    private static readonly IPAddress OtherV6 = IPAddress.Parse("2001:db8:1::9");
    private static readonly Step[] Steps = [new(7000, Protocol.Udp), new(8000, Protocol.Tcp), new(9000, Protocol.Udp)];

    private readonly TestClock clock = new() { FiresTimersAtOnce = true };
    private readonly FakeNetwork network;
    private readonly List<string> log = [];

    public EveryFamilyKnockTests()
    {
        network = new FakeNetwork(clock);
        network.Names["dual.test"] = [OtherV6, V6, OtherV4, V4];
        network.Names["v4.test"] = [OtherV4, V4];
        network.Names["v6.test"] = [OtherV6, V6];
    }

    private KnockClient Client => new(network, clock, log.Add);

    private static KnockRequest Request(string host, Families family = Families.Both, int attempts = 8) =>
        new(host, new StaticSequence(Steps), family, RetryPolicy.Default with { Attempts = attempts });

    private IEnumerable<IPAddress> Targets => network.Events.Select(e => e.Target.Address).Distinct();

    [Fact]
    public async Task A_name_with_A_and_AAAA_records_is_knocked_on_one_address_of_each_family_step_by_step()
    {
        var report = await Client.KnockAsync(Request("dual.test"), null, CancellationToken.None);

        report.PerAddress.Select(o => (o.Status, o.Address)).ShouldBe([(KnockStatus.Knocked, V4), (KnockStatus.Knocked, V6)]);
        report.Failed.ShouldBeEmpty();
        network.Events.Select(e => e.ToString()).ShouldBe(
        [
            "knock 7000/udp 198.18.1.1:7000", "knock 7000/udp [2001:db8:1::1]:7000",
            "knock 8000/tcp 198.18.1.1:8000", "knock 8000/tcp [2001:db8:1::1]:8000",
            "knock 9000/udp 198.18.1.1:9000", "knock 9000/udp [2001:db8:1::1]:9000",
        ]);
        clock.Delays.ShouldBeEmpty("the first attempt sends its knocks back to back");
        log.ShouldBe(
        [
            "nftknock: dual.test is 198.18.1.1 and 2001:db8:1::1: knocking both",
            "nftknock: attempt 1 of 1: knocked 7000/udp 8000/tcp 9000/udp on 198.18.1.1 and 2001:db8:1::1, back to back, in 0.0 ms",
        ]);
    }

    [Theory]
    [InlineData("v4.test", "198.18.1.1")]
    [InlineData("v6.test", "2001:db8:1::1")]
    [InlineData("198.18.1.9", "198.18.1.9")]
    [InlineData("2001:db8:1::9", "2001:db8:1::9")]
    public async Task A_name_with_one_family_or_a_literal_address_is_knocked_on_that_one_address(string host, string address)
    {
        var report = await Client.KnockAsync(Request(host), null, CancellationToken.None);

        report.PerAddress.ShouldHaveSingleItem().Address.ShouldBe(IPAddress.Parse(address));
        Targets.ShouldBe([IPAddress.Parse(address)]);
        network.Events.Count.ShouldBe(3);
    }

    [Theory]
    [InlineData(Families.IPv4, "198.18.1.1")]
    [InlineData(Families.IPv6, "2001:db8:1::1")]
    public async Task Minus_4_or_minus_6_knocks_that_family_only(Families family, string address)
    {
        var report = await Client.KnockAsync(Request("dual.test", family), 22, CancellationToken.None);

        report.PerAddress.ShouldHaveSingleItem().Status.ShouldBe(KnockStatus.Connected);
        Targets.ShouldBe([IPAddress.Parse(address)]);
    }

    [Fact]
    public async Task Minus_6_on_a_name_without_AAAA_knocks_nothing_and_says_so()
    {
        var report = await Client.KnockAsync(Request("v4.test", Families.IPv6), null, CancellationToken.None);

        report.Unresolved.ShouldNotBeNull().Status.ShouldBe(KnockStatus.NoAddressOfFamily);
        report.PerAddress.ShouldBeEmpty();
        network.Events.ShouldBeEmpty();
    }

    [Fact]
    public async Task Every_call_knocks_the_same_addresses_whatever_order_the_resolver_answers_in()
    {
        await Client.KnockAsync(Request("dual.test"), null, CancellationToken.None);
        var first = Targets.ToList();
        network.Events.Clear();
        network.Names["dual.test"] = [V4, OtherV6, OtherV4, V6];

        await Client.KnockAsync(Request("dual.test"), null, CancellationToken.None);

        Targets.ShouldBe(first);
        first.ShouldBe([V4, V6]);
    }

    [Fact]
    public async Task Check_connects_to_each_family_after_the_knocks_and_closes_at_once()
    {
        var report = await Client.KnockAsync(Request("dual.test"), 22, CancellationToken.None);

        report.PerAddress.Select(o => (o.Status, o.Address, o.Attempts)).ShouldBe([(KnockStatus.Connected, V4, 1), (KnockStatus.Connected, V6, 1)]);
        report.PerAddress.ShouldAllBe(o => o.Connection == null);
        network.Events.Skip(6).Select(e => e.ToString()).ShouldBe(["connect 198.18.1.1:22", "connect [2001:db8:1::1]:22"]);
    }

    [Fact]
    public async Task Check_knocks_again_only_the_family_that_did_not_open_with_the_same_address()
    {
        network.Then(ConnectFailure.None, ConnectFailure.TimedOut);

        var report = await Client.KnockAsync(Request("dual.test"), 22, CancellationToken.None);

        report.PerAddress.Select(o => (o.Status, o.Address, o.Attempts)).ShouldBe([(KnockStatus.Connected, V4, 1), (KnockStatus.Connected, V6, 2)]);
        network.Events.Skip(8).Select(e => e.ToString()).ShouldBe(
        [
            "knock 7000/udp [2001:db8:1::1]:7000", "knock 7000/udp [2001:db8:1::1]:7000",
            "knock 8000/tcp [2001:db8:1::1]:8000", "knock 8000/tcp [2001:db8:1::1]:8000",
            "knock 9000/udp [2001:db8:1::1]:9000", "knock 9000/udp [2001:db8:1::1]:9000",
            "connect [2001:db8:1::1]:22",
        ]);
    }

    [Fact]
    public async Task Check_reports_the_family_that_never_opened()
    {
        network.Then([.. Enumerable.Range(0, 3).SelectMany(_ => new[] { ConnectFailure.TimedOut, ConnectFailure.Refused })]);

        var report = await Client.KnockAsync(Request("dual.test", attempts: 3), 22, CancellationToken.None);

        report.PerAddress.Select(o => (o.Status, o.Address, o.Attempts)).ShouldBe([(KnockStatus.NeverOpened, V4, 3), (KnockStatus.NeverOpened, V6, 3)]);
        report.Failed.Count.ShouldBe(2);
        report.Done.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_family_without_a_route_is_a_note_while_the_other_family_is_knocked()
    {
        network.Unrouted.Add(V6);

        var report = await Client.KnockAsync(Request("dual.test"), 22, CancellationToken.None);

        report.Failed.ShouldBeEmpty();
        report.Done.ShouldHaveSingleItem().Address.ShouldBe(V4);
        report.Unrouted.ShouldHaveSingleItem().Address.ShouldBe(V6);
        network.Events.Where(e => e.Target.Address.Equals(V6)).ShouldHaveSingleItem("the kernel's refusal ends that family's knocks");
        network.Events.Count(e => e.Kind == "connect").ShouldBe(1);
    }

    [Fact]
    public async Task No_route_to_either_family_is_a_failure()
    {
        network.Unrouted.Add(V4);
        network.Unrouted.Add(V6);

        var report = await Client.KnockAsync(Request("dual.test"), null, CancellationToken.None);

        report.Failed.Select(o => (o.Status, o.Address)).ShouldBe([(KnockStatus.NoRoute, V4), (KnockStatus.NoRoute, V6)]);
        report.Unrouted.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_family_whose_knocks_the_local_firewall_refuses_fails_while_the_other_is_knocked()
    {
        network.Blocked.Add(V6);

        var report = await Client.KnockAsync(Request("dual.test"), null, CancellationToken.None);

        report.Done.ShouldHaveSingleItem().Address.ShouldBe(V4);
        report.Failed.ShouldHaveSingleItem().Status.ShouldBe(KnockStatus.Blocked);
        network.Events.Count(e => e.Target.Address.Equals(V4)).ShouldBe(3);
    }
}
