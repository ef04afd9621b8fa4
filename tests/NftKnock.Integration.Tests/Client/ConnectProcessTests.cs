using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests.Client;

/// <summary>The connect command as a real process on loopback: what its reader sees on stdout.</summary>
public sealed class ConnectProcessTests
{
    [KernelFact]
    public async Task Service_closing_first_ends_stdout_for_the_reader_while_stdin_stays_open()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
        var serve = Task.Run(async () =>
        {
            using var peer = await listener.AcceptSocketAsync();
            await peer.SendAsync(Encoding.ASCII.GetBytes("bye\n"));
            peer.Shutdown(SocketShutdown.Send);
            var buffer = new byte[64];
            var got = new StringBuilder();
            int read;
            while ((read = await peer.ReceiveAsync(buffer)) > 0)
            {
                got.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            return got.ToString();
        });

        // Knocks go to a closed UDP port on loopback and are dropped there.
        using var process = Process.Start(new ProcessStartInfo(NftknockCli.File, [.. NftknockCli.Prefix, "connect", "127.0.0.1", port, "7000/udp"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            // EOF on stdout arrives although the process still waits for its stdin, as nc's reader sees it.
            var stdout = await process.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(20));
            stdout.ShouldBe("bye\n");
            process.HasExited.ShouldBeFalse();

            await process.StandardInput.WriteAsync("late words");
            process.StandardInput.Close();
            (await serve.WaitAsync(TimeSpan.FromSeconds(20))).ShouldBe("late words");
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            process.ExitCode.ShouldBe(0, await process.StandardError.ReadToEndAsync());
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
