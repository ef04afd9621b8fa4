using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NftKnock.Cli.Demo;

/// <summary>The demo's stand-in for sshd, and the probe the laptop uses to see whether it answers.</summary>
internal static class DemoService
{
    public const string Banner = "SSH-2.0-nftknock-demo";

    /// <summary>Answers every connection on <paramref name="port"/> (IPv4 and IPv6) with a banner line.</summary>
    public static async Task<int> ServeAsync(int port, TextWriter output, CancellationToken cancel)
    {
        using var listener = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true };
        listener.Bind(new IPEndPoint(IPAddress.IPv6Any, port));
        listener.Listen(16);
        await output.WriteLineAsync("listening");
        await output.FlushAsync(cancel);
        try
        {
            while (true)
            {
                using var client = await listener.AcceptAsync(cancel);
                await client.SendAsync(Encoding.ASCII.GetBytes(Banner + "\r\n"), SocketFlags.None, cancel);
                client.Shutdown(SocketShutdown.Both);
            }
        }
        catch (OperationCanceledException)
        {
            return ExitCodes.Ok;
        }
    }

    /// <summary>Connects once; prints the banner and returns 0, or returns 3 when nothing answered in time.</summary>
    public static async Task<int> ProbeAsync(string host, int port, TimeSpan timeout, TextWriter output, CancellationToken cancel)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        limit.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(IPAddress.Parse(host), port, limit.Token);
            var buffer = new byte[128];
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, limit.Token);
            await output.WriteLineAsync(Encoding.ASCII.GetString(buffer, 0, n).Trim());
            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException)
        {
            return ExitCodes.NeverOpened;
        }
    }
}
