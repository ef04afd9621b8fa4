using System.Net;
using System.Net.Sockets;
using NftKnock.Client.Network;
using NftKnock.Core.Model;

namespace NftKnock.Client.Tests.Network;

/// <summary>The real socket transport on loopback; only 127.0.0.1 and ::1 are ever addressed.</summary>
public sealed class SocketNetworkTests
{
    private readonly SocketNetwork network = new();

    [Fact]
    public async Task Udp_knock_is_one_empty_datagram()
    {
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var target = (IPEndPoint)receiver.LocalEndPoint!;

        (await network.KnockAsync(target, Protocol.Udp, CancellationToken.None)).ShouldBe(KnockSend.Sent);

        var buffer = new byte[16];
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var got = await receiver.ReceiveAsync(buffer, wait.Token);
        got.ShouldBe(0);
        receiver.Available.ShouldBe(0);
    }

    [Fact]
    public async Task Tcp_knock_returns_at_once_without_waiting_for_an_answer()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var target = (IPEndPoint)listener.LocalEndpoint;

        (await network.KnockAsync(target, Protocol.Tcp, CancellationToken.None)).ShouldBe(KnockSend.Sent);
        (await network.KnockAsync(new IPEndPoint(IPAddress.Loopback, Closed()), Protocol.Tcp, CancellationToken.None)).ShouldBe(KnockSend.Sent);
    }

    [Fact]
    public async Task Connect_to_a_listener_gives_a_connection_that_carries_bytes()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accept = listener.AcceptSocketAsync();

        var result = await network.ConnectAsync((IPEndPoint)listener.LocalEndpoint, TimeSpan.FromSeconds(5), CancellationToken.None);

        result.Failure.ShouldBe(ConnectFailure.None);
        using var connection = result.Connection.ShouldNotBeNull();
        using var peer = await accept;
        await connection.Stream.WriteAsync("ping"u8.ToArray());
        connection.ShutdownSend();
        var buffer = new byte[8];
        (await peer.ReceiveAsync(buffer)).ShouldBe(4);
        (await peer.ReceiveAsync(buffer)).ShouldBe(0);
    }

    [Fact]
    public async Task Connect_to_a_closed_port_is_refused()
    {
        var result = await network.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Closed()), TimeSpan.FromSeconds(5), CancellationToken.None);

        result.ShouldBe(ConnectResult.Failed(ConnectFailure.Refused));
    }

    [Fact]
    public async Task Connect_cancelled_before_an_outcome_throws()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();

        await Should.ThrowAsync<OperationCanceledException>(() =>
            network.ConnectAsync((IPEndPoint)listener.LocalEndPoint!, TimeSpan.FromSeconds(5), new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task Literal_addresses_resolve_without_a_lookup()
    {
        (await network.ResolveAsync("2001:db8::7", CancellationToken.None)).ShouldBe([IPAddress.Parse("2001:db8::7")]);
        (await network.ResolveAsync("198.18.0.7", CancellationToken.None)).ShouldBe([IPAddress.Parse("198.18.0.7")]);
    }

    private static int Closed()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
