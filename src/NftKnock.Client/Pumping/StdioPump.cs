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
/// the peer's FIN closes the output and keeps sending. It completes when both directions are done,
/// or at once when the connection breaks.
/// </summary>
/// <remarks>
/// Each direction is one thread of blocking reads and writes, as in <c>nc</c>. Standard input and
/// output block anyway, and the asynchronous form woke the thread pool, its I/O thread and a dozen
/// generic state machines in a process that lives for one session: milliseconds of every
/// ProxyCommand's start, for no gain in a two-stream copy.
/// </remarks>
public static class StdioPump
{
    private const int BufferSize = 64 * 1024;

    /// <summary>Runs the session; closes <paramref name="output"/> and shuts the connection's send side as each direction ends.</summary>
    public static Task<PumpResult> RunAsync(Stream input, Stream output, Connection connection, CancellationToken cancel)
    {
        var session = new Session(input, output, connection);
        var done = new TaskCompletionSource<PumpResult>();
        var up = new Thread(session.Up) { IsBackground = true, Name = "nftknock stdin" };
        var down = new Thread(() =>
        {
            // Cancelling closes the connection, which ends the blocked read below as a reset.
            using var closeOnCancel = cancel.Register(connection.Dispose);
            var reset = session.Down();
            if (!reset)
            {
                up.Join();
            }

            // On a reset the input may stay open for ever: its thread is left blocked, and dies with the process.
            done.SetResult(new PumpResult(Interlocked.Read(ref session.Sent), session.Received, reset));
        })
        { IsBackground = true, Name = "nftknock stdout" };
        up.Start();
        down.Start();
        return done.Task;
    }

    private sealed class Session(Stream input, Stream output, Connection connection)
    {
        public long Sent;

        public long Received { get; private set; }

        public void Up()
        {
            var buffer = new byte[BufferSize];
            try
            {
                while (true)
                {
                    var read = input.Read(buffer);
                    if (read == 0)
                    {
                        connection.ShutdownSend();
                        return;
                    }

                    connection.Stream.Write(buffer.AsSpan(0, read));
                    Interlocked.Add(ref Sent, read);
                }
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                // The connection broke: nothing more can be sent.
            }
        }

        /// <summary>Copies until the peer's FIN (false) or a broken connection (true).</summary>
        public bool Down()
        {
            var buffer = new byte[BufferSize];
            var outputOpen = true;
            try
            {
                while (true)
                {
                    var read = connection.Stream.Read(buffer);
                    if (read == 0)
                    {
                        return false;
                    }

                    Received += read;
                    if (outputOpen)
                    {
                        try
                        {
                            output.Write(buffer.AsSpan(0, read));
                            output.Flush();
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
                return true;
            }
            finally
            {
                CloseQuietly(output);
            }
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
}
