using System.Net;
using System.Net.Sockets;
using NftKnock.Client.Knocking;
using NftKnock.Client.Network;
using NftKnock.Client.Profiles;
using NftKnock.Client.Rotating;
using NftKnock.Client.Tests.Fakes;
using NftKnock.Core.Model;

namespace NftKnock.Client.Tests.Rotating;

/// <summary>A rotating profile end to end through the knock client, on the fake network and on loopback.</summary>
public sealed class RotatingKnockTests
{
    private static readonly string Secret = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)(i * 3)).ToArray());

    private static HostProfile Profile(string extra = "") =>
        ProfileReader.Read($$"""
            hosts:
              b.test:
                address: 198.18.1.1
                rotating: {door: ssh, secret: {{Secret}}, period: 30s{{extra}}}
            """).Profiles.ShouldNotBeNull().Find("b.test").ShouldNotBeNull();

    [Fact]
    public void A_profile_with_rotating_gives_a_rotating_source_and_one_with_both_kinds_is_refused()
    {
        Profile().Sequence.ShouldBeOfType<RotatingSource>();

        var result = ProfileReader.Read($$"""
            hosts:
              b.test:
                sequence: [7000/udp]
                rotating: {door: ssh, secret: {{Secret}}}
            """);

        result.Profiles.ShouldBeNull();
        result.Diagnostics.Select(d => d.Format("client.yaml")).ShouldBe([
            "client.yaml:3:15: error NK074 at hosts.b.test.sequence: The host 'b.test' has both sequence: and rotating:. Keep the one that matches the server's door.",
        ]);
    }

    [Fact]
    public async Task Each_attempt_knocks_the_next_window_in_turn_with_tokens_as_payloads()
    {
        var clock = new TestClock { FiresTimersAtOnce = true };
        var network = new FakeNetwork(clock).Then(ConnectFailure.TimedOut, ConnectFailure.TimedOut, ConnectFailure.TimedOut);
        var source = (RotatingSource)Profile().Sequence!;
        var start = clock.GetUtcNow();
        var client = new KnockClient(network, clock);

        var outcome = await client.OpenAsync(new KnockRequest("198.18.1.1", source, Families.Both, RetryPolicy.Default), 22, CancellationToken.None);

        outcome.Status.ShouldBe(KnockStatus.Connected);
        outcome.Attempts.ShouldBe(4);
        var current = source.Sequence.WindowAt(start);
        var knocks = network.Events.Where(e => e.Kind.StartsWith("knock", StringComparison.Ordinal)).Select(e => e.Kind).ToList();
        knocks.Count.ShouldBe(3 + (3 * 6));
        long[] expected = [current, current + 1, current - 1, current];
        for (var attempt = 0; attempt < 4; attempt++)
        {
            // Retries send each knock twice, token and all: the door ignores the repeat.
            var copies = RetryPolicy.CopiesFor(attempt);
            var sent = knocks.Skip(attempt == 0 ? 0 : 3 + ((attempt - 1) * 6)).Take(3 * copies);
            sent.ShouldBe(source.Sequence.Window(expected[attempt]).Knocks.SelectMany(k => Enumerable.Repeat($"knock {k.Port}/udp {k.TokenHex}", copies)));
        }
    }

    /// <summary>
    /// The door claims a window once for both families, so IPv6 knocks the window after IPv4's: neither is
    /// refused as the other's replay, and a captured knock of one family is a replay on the other.
    /// </summary>
    [Fact]
    public async Task Knock_by_a_dual_stack_name_sends_each_family_a_window_of_its_own()
    {
        var clock = new TestClock { FiresTimersAtOnce = true };
        var network = new FakeNetwork(clock);
        network.Names["b.test"] = [IPAddress.Parse("2001:db8:1::1"), IPAddress.Parse("198.18.1.1")];
        var source = (RotatingSource)Profile().Sequence!;
        var current = source.Sequence.WindowAt(clock.GetUtcNow());

        await new KnockClient(network, clock).KnockAsync(new KnockRequest("b.test", source, Families.Both, RetryPolicy.Default), null, CancellationToken.None);

        string Sent(string address) => string.Join(", ", network.Events.Where(e => e.Target.Address.Equals(IPAddress.Parse(address))).Select(e => e.Kind));
        string Expected(long window) => string.Join(", ", source.Sequence.Window(window).Knocks.Select(k => $"knock {k.Port}/udp {k.TokenHex}"));
        Sent("198.18.1.1").ShouldBe(Expected(current));
        Sent("2001:db8:1::1").ShouldBe(Expected(current + 1));
    }

    [Fact]
    public async Task A_payload_knock_is_one_datagram_carrying_exactly_the_token()
    {
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        byte[] token = [0x08, 0x56, 0xb4, 0xa2, 0xee, 0x0a, 0x48, 0xf5];

        (await new SocketNetwork().KnockAsync((IPEndPoint)receiver.LocalEndPoint!, token, CancellationToken.None)).ShouldBe(KnockSend.Sent);

        var buffer = new byte[64];
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var got = await receiver.ReceiveAsync(buffer, wait.Token);
        buffer[..got].ShouldBe(token);
        receiver.Available.ShouldBe(0);
    }
}
