using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using NftKnock.Core.Model;

namespace NftKnock.Server.Events;

/// <summary>
/// Runs a command for each event (<c>events --follow --exec</c>): argv only, never a shell, with the
/// event in <c>NFTKNOCK_*</c> environment variables. Events wait in a bounded queue for a few
/// workers, and each command has a time limit, so a slow or hanging command never holds up the
/// events after it; when the queue is full, the newest event is not run and a line says so.
/// </summary>
public sealed class GrantHook : IAsyncDisposable
{
    /// <summary>Events that may wait for a free worker before new ones are dropped.</summary>
    public const int QueueSize = 64;

    /// <summary>Commands that may run at once.</summary>
    public const int Workers = 4;

    private readonly IReadOnlyList<string> command;
    private readonly TimeSpan timeout;
    private readonly TextWriter report;
    private readonly Channel<KnockEvent> queue = Channel.CreateBounded<KnockEvent>(new BoundedChannelOptions(QueueSize) { FullMode = BoundedChannelFullMode.Wait });
    private readonly Task[] workers;

    /// <summary>Starts the workers for <paramref name="command"/> (program and arguments); diagnostics go to <paramref name="report"/>.</summary>
    public GrantHook(IReadOnlyList<string> command, TimeSpan timeout, TextWriter report)
    {
        this.command = command;
        this.timeout = timeout;
        this.report = report;
        workers = [.. Enumerable.Range(0, Workers).Select(_ => Task.Run(WorkAsync))];
    }

    /// <summary>Queues <paramref name="knock"/> without waiting; false (and a line) when the queue is full.</summary>
    public bool Post(KnockEvent knock)
    {
        if (queue.Writer.TryWrite(knock))
        {
            return true;
        }

        Say(ServerTexts.HookQueueFull(EventFormat.Text(knock), QueueSize));
        return false;
    }

    /// <summary>The environment a command gets for <paramref name="knock"/>, besides the inherited one.</summary>
    public static IReadOnlyDictionary<string, string> Environment(KnockEvent knock) => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["NFTKNOCK_KIND"] = EventFormat.KindName(knock.Kind),
        ["NFTKNOCK_DOOR"] = knock.Door,
        ["NFTKNOCK_CLIENT"] = knock.Client ?? string.Empty,
        ["NFTKNOCK_SOURCE"] = knock.Source,
        ["NFTKNOCK_FAMILY"] = knock.Family == Families.IPv4 ? "ipv4" : "ipv6",
        ["NFTKNOCK_TIME"] = knock.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
    };

    /// <summary>Stops taking events and waits for the queued and running commands (each within its time limit).</summary>
    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await Task.WhenAll(workers);
    }

    private async Task WorkAsync()
    {
        await foreach (var knock in queue.Reader.ReadAllAsync())
        {
            await RunAsync(knock);
        }
    }

    private async Task RunAsync(KnockEvent knock)
    {
        var start = new ProcessStartInfo(command[0]) { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true };
        foreach (var arg in command.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in Environment(knock))
        {
            start.Environment[key] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            Say(ServerTexts.HookCannotRun(command[0], e.Message));
            return;
        }

        using (process)
        {
            // stdout is the events' own channel: the command's output goes to stderr with the rest of the diagnostics.
            process.StandardInput.Close();
            var output = PumpAsync(process.StandardOutput);
            using var limit = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(limit.Token);
                await output;
                if (process.ExitCode != 0)
                {
                    Say(ServerTexts.HookFailed(command[0], process.ExitCode, EventFormat.Text(knock)));
                }
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Say(ServerTexts.HookTimedOut(command[0], timeout, EventFormat.Text(knock)));
            }
        }
    }

    private async Task PumpAsync(StreamReader output)
    {
        while (await output.ReadLineAsync() is { } line)
        {
            Say(line);
        }
    }

    private void Say(string line)
    {
        lock (report)
        {
            report.WriteLine(line);
            report.Flush();
        }
    }
}
