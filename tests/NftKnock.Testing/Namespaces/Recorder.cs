using System.Diagnostics;
using System.Globalization;

namespace NftKnock.Testing.Namespaces;

/// <summary>
/// The doors' log lines as nftknock-events.service records them: <c>nftknock events --follow --from nflog
/// --record</c>, run in a namespace. NFLOG groups are per namespace, so each lab's recorder reads its own
/// table's lines only, whatever other tests run beside it.
/// </summary>
public sealed class Recorder : IAsyncDisposable
{
    /// <summary>The NFLOG group doors log to by default (the planner's <c>LogPrefix.Group</c>).</summary>
    public const int Group = 4242;

    private readonly Process process;
    private readonly List<string> lines = [];
    private readonly Task reading;

    private Recorder(Process process)
    {
        this.process = process;
        reading = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                lock (lines)
                {
                    lines.Add(line);
                }
            }
        });
    }

    /// <summary>
    /// Starts the recorder in <paramref name="ns"/> and returns once the kernel lists its group as bound
    /// there; <paramref name="format"/> is <c>--record</c> (the recorder's own lines), <c>--json</c>, or
    /// nothing for events' text.
    /// </summary>
    public static async Task<Recorder> StartAsync(Netns ns, string format = "--record")
    {
        string[] args = ["events", "--follow", "--from", "nflog", .. format.Length == 0 ? Array.Empty<string>() : [format]];
        var recorder = new Recorder(ns.Start("env", ns.Nftknock(args)[1..]));
        var until = DateTime.UtcNow.AddSeconds(30);
        while (!await BoundAsync(ns))
        {
            if (recorder.process.HasExited || DateTime.UtcNow > until)
            {
                var error = recorder.process.HasExited ? await recorder.process.StandardError.ReadToEndAsync() : "still not bound after 30 s";
                await recorder.DisposeAsync();
                throw new InvalidOperationException($"nftknock events --from nflog did not bind group {Group}: {error}");
            }

            await Task.Delay(100);
        }

        return recorder;
    }

    /// <summary>Whether the process has ended (it should not while the test runs).</summary>
    public bool HasExited => process.HasExited;

    /// <summary>The recorded lines that start with <paramref name="prefix"/>.</summary>
    public IReadOnlyList<string> Lines(string prefix)
    {
        lock (lines)
        {
            return lines.Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        }
    }

    /// <summary>Every recorded line.</summary>
    public IReadOnlyList<string> All()
    {
        lock (lines)
        {
            return [.. lines];
        }
    }

    /// <summary>Waits up to <paramref name="seconds"/> for at least <paramref name="count"/> lines with <paramref name="prefix"/>.</summary>
    public async Task<IReadOnlyList<string>> WaitForAsync(string prefix, int count = 1, double seconds = 5)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var found = Lines(prefix);
            if (found.Count >= count || DateTime.UtcNow > until)
            {
                return found;
            }

            await Task.Delay(50);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
        await reading;
        process.Dispose();
    }

    /// <summary>Whether /proc/net/netfilter/nfnetlink_log of <paramref name="ns"/> lists the group (its first column).</summary>
    private static async Task<bool> BoundAsync(Netns ns)
    {
        var listing = await ns.RunAsync(TimeSpan.FromSeconds(10), "cat", "/proc/net/netfilter/nfnetlink_log");
        var group = Group.ToString(CultureInfo.InvariantCulture);
        return listing.Stdout.Split('\n').Any(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() == group);
    }
}
