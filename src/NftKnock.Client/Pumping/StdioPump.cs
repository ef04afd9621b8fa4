using System.Net.Sockets;
using NftKnock.Client.Network;

namespace NftKnock.Client.Pumping;

/// <summary>How a pumped session ended.</summary>
/// <param name="Sent">Bytes copied from the input to the connection.</param>
/// <param name="Received">Bytes copied from the connection to the output.</param>
/// <param name="Reset">True when the connection broke instead of closing in order.</param>
public readonly record struct PumpResult(long Sent, long Received, bool Reset);

/// <summary>
/// Copies the input to the connection and the connection to the output, like <c>nc</c> in an SSH
/// ProxyCommand, with half-close in both directions: input EOF sends a FIN and keeps reading;
/// the peer's FIN closes the output and keeps sending. It returns when both directions are done.
/// </summary>
public static class StdioPump
{
    private const int BufferSize = 64 * 1024;

    /// <summary>Runs the session; closes <paramref name="output"/> and shuts the connection's send side as each direction ends.</summary>
    public static async Task<PumpResult> RunAsync(Stream input, Stream output, Connection connection, CancellationToken cancel)
    {
        using var broken = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var up = Task.Run(() => UpAsync(input, connection, broken.Token), CancellationToken.None);
        var down = Task.Run(() => DownAsync(connection, output, broken), CancellationToken.None);
        var (received, reset) = await down;
        var sent = await up;
        return new PumpResult(sent, received, reset);
    }

    private static async Task<long> UpAsync(Stream input, Connection connection, CancellationToken broken)
    {
        var buffer = new byte[BufferSize];
        long total = 0;
        try
        {
            while (true)
            {
                // Console streams ignore cancellation, so wait on the token beside the read: a reset
                // ends the session even while the input stays open.
                var read = await input.ReadAsync(buffer, broken).AsTask().WaitAsync(broken);
                if (read == 0)
                {
                    connection.ShutdownSend();
                    return total;
                }

                await connection.Stream.WriteAsync(buffer.AsMemory(0, read), broken);
                total += read;
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The connection broke or the session was cancelled: nothing more can be sent.
            return total;
        }
    }

    private static async Task<(long Received, bool Reset)> DownAsync(Connection connection, Stream output, CancellationTokenSource broken)
    {
        var buffer = new byte[BufferSize];
        long total = 0;
        var reset = false;
        var outputOpen = true;
        try
        {
            while (true)
            {
                var read = await connection.Stream.ReadAsync(buffer, broken.Token);
                if (read == 0)
                {
                    break;
                }

                total += read;
                if (outputOpen)
                {
                    try
                    {
                        await output.WriteAsync(buffer.AsMemory(0, read), broken.Token);
                        await output.FlushAsync(broken.Token);
                    }
                    catch (IOException)
                    {
                        // The reader closed its end: keep draining the connection so the peer is not
                        // stalled, and let the input side finish on its own.
                        outputOpen = false;
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            reset = true;
            await broken.CancelAsync();
        }
        catch (OperationCanceledException)
        {
            reset = true;
        }
        finally
        {
            CloseQuietly(output);
        }

        return (total, reset);
    }

    private static void CloseQuietly(Stream output)
    {
        try
        {
            output.Dispose();
        }
        catch (IOException)
        {
            // A reader that is gone cannot be told any more.
        }
    }
}
