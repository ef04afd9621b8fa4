using System.Net.Sockets;

namespace NftKnock.Client.Network;

/// <summary>A connected TCP socket as a <see cref="Connection"/>.</summary>
public sealed class SocketConnection : Connection
{
    private readonly Socket socket;
    private readonly NetworkStream stream;

    /// <summary>Wraps a connected socket; the connection owns it.</summary>
    public SocketConnection(Socket socket)
    {
        this.socket = socket;
        stream = new NetworkStream(socket, ownsSocket: true);
    }

    /// <inheritdoc/>
    public override Stream Stream => stream;

    /// <inheritdoc/>
    public override void ShutdownSend()
    {
        try
        {
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // The peer is already gone; there is nobody left to tell.
        }
        catch (ObjectDisposedException)
        {
            // Already closed.
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            stream.Dispose();
        }
    }
}
