using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using NftKnock.Client.Network;
using NftKnock.Client.Pumping;

namespace NftKnock.Client.Tests.Pumping;

/// <summary>
/// The pump between real loopback sockets: "stdin" and "stdout" are socket streams the test holds
/// the other end of, and the service is a socket the test plays.
/// </summary>
public sealed class StdioPumpTests : IAsyncLifetime
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private Socket stdinWriter = null!;
    private NetworkStream stdin = null!;
    private Socket stdoutReader = null!;
    private NetworkStream stdout = null!;
    private Socket service = null!;
    private NetworkStream serviceStream = null!;
    private NetworkStream stdoutStream = null!;
    private SocketConnection connection = null!;

    public async Task InitializeAsync()
    {
        var (inNear, inFar) = await Loopback.PairAsync();
        stdinWriter = inNear;
        stdin = new NetworkStream(inFar, ownsSocket: true);
        var (outNear, outFar) = await Loopback.PairAsync();
        stdoutReader = outNear;
        stdout = new NetworkStream(outFar, ownsSocket: true);
        var (client, server) = await Loopback.PairAsync();
        connection = new SocketConnection(client);
        service = server;
        serviceStream = new NetworkStream(service);
        stdoutStream = new NetworkStream(stdoutReader);
    }

    public Task DisposeAsync()
    {
        stdinWriter.Dispose();
        stdoutReader.Dispose();
        service.Dispose();
        connection.Dispose();
        stdin.Dispose();
        stdout.Dispose();
        return Task.CompletedTask;
    }

    private Task<PumpResult> Pump(Stream? input = null, Stream? output = null) =>
        StdioPump.RunAsync(input ?? stdin, output ?? stdout, connection, CancellationToken.None);

    [Fact]
    public async Task Sixty_four_MiB_cross_both_ways_at_once_intact()
    {
        const int size = 64 * 1024 * 1024;
        var upData = Pattern(size, seed: 1);
        var downData = Pattern(size, seed: 2);
        var pump = Pump();

        var write = Task.Run(async () =>
        {
            await stdinWriter.SendAsync(upData);
            stdinWriter.Shutdown(SocketShutdown.Send);
        });
        var serve = Task.Run(async () =>
        {
            var send = Task.Run(async () =>
            {
                await service.SendAsync(downData);
                service.Shutdown(SocketShutdown.Send);
            });
            var hash = await SHA256.HashDataAsync(serviceStream);
            await send;
            return hash;
        });
        var outputHash = SHA256.HashDataAsync(stdoutStream).AsTask();

        (await outputHash.WaitAsync(Limit)).ShouldBe(SHA256.HashData(downData));
        (await serve.WaitAsync(Limit)).ShouldBe(SHA256.HashData(upData));
        await write;
        var result = await pump.WaitAsync(Limit);
        result.ShouldBe(new PumpResult(size, size, Reset: false));
    }

    [Fact]
    public async Task Input_EOF_sends_FIN_and_the_reply_still_arrives()
    {
        var pump = Pump();
        stdinWriter.Shutdown(SocketShutdown.Send);

        var request = await Loopback.ReadToEndAsync(serviceStream).WaitAsync(Limit);
        request.ShouldBeEmpty();
        await service.SendAsync(Encoding.ASCII.GetBytes("reply after your FIN"));
        service.Shutdown(SocketShutdown.Send);

        Encoding.ASCII.GetString(await Loopback.ReadToEndAsync(stdoutStream).WaitAsync(Limit)).ShouldBe("reply after your FIN");
        (await pump.WaitAsync(Limit)).Reset.ShouldBeFalse();
    }

    [Fact]
    public async Task Service_FIN_closes_output_while_input_keeps_flowing()
    {
        var pump = Pump();
        await service.SendAsync(Encoding.ASCII.GetBytes("bye"));
        service.Shutdown(SocketShutdown.Send);

        // The output ends although the input is still open: the reader sees EOF now.
        Encoding.ASCII.GetString(await Loopback.ReadToEndAsync(stdoutStream).WaitAsync(Limit)).ShouldBe("bye");
        pump.IsCompleted.ShouldBeFalse();

        await stdinWriter.SendAsync(Encoding.ASCII.GetBytes("late words"));
        stdinWriter.Shutdown(SocketShutdown.Send);
        Encoding.ASCII.GetString(await Loopback.ReadToEndAsync(serviceStream).WaitAsync(Limit)).ShouldBe("late words");

        var result = await pump.WaitAsync(Limit);
        result.ShouldBe(new PumpResult(10, 3, Reset: false));
    }

    [Fact]
    public async Task Service_reset_ends_the_session_even_while_input_stays_open()
    {
        var pump = Pump(input: new QuietInput());
        await service.SendAsync(Encoding.ASCII.GetBytes("partial"));
        service.LingerState = new LingerOption(true, 0);
        service.Close();

        var result = await pump.WaitAsync(Limit);

        result.Reset.ShouldBeTrue();
        result.Received.ShouldBeLessThanOrEqualTo(7);
        (await Loopback.ReadToEndAsync(stdoutStream).WaitAsync(Limit)).Length.ShouldBe((int)result.Received);
    }

    [Fact]
    public async Task Reader_that_went_away_does_not_stall_the_service()
    {
        var output = new GoneOutput();
        var pump = Pump(output: output);
        var data = Pattern(1024 * 1024, seed: 3);

        await service.SendAsync(data).WaitAsync(Limit);
        service.Shutdown(SocketShutdown.Send);
        stdinWriter.Shutdown(SocketShutdown.Send);

        var result = await pump.WaitAsync(Limit);
        result.ShouldBe(new PumpResult(0, data.Length, Reset: false));
        output.Disposed.ShouldBeTrue();
    }

    [Fact]
    public async Task Client_closing_first_lets_the_service_finish_sending()
    {
        var pump = Pump();
        await stdinWriter.SendAsync(Encoding.ASCII.GetBytes("quit"));
        stdinWriter.Close();

        Encoding.ASCII.GetString(await Loopback.ReadToEndAsync(serviceStream).WaitAsync(Limit)).ShouldBe("quit");
        var tail = Pattern(256 * 1024, seed: 4);
        await service.SendAsync(tail);
        service.Shutdown(SocketShutdown.Send);

        SHA256.HashData(await Loopback.ReadToEndAsync(stdoutStream).WaitAsync(Limit)).ShouldBe(SHA256.HashData(tail));
        (await pump.WaitAsync(Limit)).ShouldBe(new PumpResult(4, tail.Length, Reset: false));
    }

    private static byte[] Pattern(int size, int seed)
    {
        var data = new byte[size];
        new Random(seed).NextBytes(data);
        return data;
    }
}
