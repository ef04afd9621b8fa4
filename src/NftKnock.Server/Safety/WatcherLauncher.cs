using System.Diagnostics;

namespace NftKnock.Server.Safety;

/// <summary>A running rollback watcher, seen from the applier: the lines it reports.</summary>
public interface IWatcherHandle : IAsyncDisposable
{
    /// <summary>The next line the watcher reports; null once it is gone.</summary>
    Task<string?> ReadLineAsync(CancellationToken cancel);
}

/// <summary>Starts the rollback watcher for a pending apply.</summary>
public interface IWatcherLauncher
{
    /// <summary>Starts the watcher on the pending file; the handle's first line is <c>armed</c> once it is safe.</summary>
    Task<IWatcherHandle> StartAsync(string pendingPath, CancellationToken cancel);
}

/// <summary>
/// Runs the watcher as a child process (<paramref name="command"/> plus the pending file). The
/// child leaves our session itself (setsid) and says <c>armed</c> only then, so nothing the
/// applier's terminal or process group goes through reaches it.
/// </summary>
public sealed class ProcessWatcherLauncher(IReadOnlyList<string> command, TextWriter diagnostics) : IWatcherLauncher
{
    /// <inheritdoc/>
    public Task<IWatcherHandle> StartAsync(string pendingPath, CancellationToken cancel)
    {
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        foreach (var arg in command.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        start.ArgumentList.Add(pendingPath);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{command[0]} did not start");
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                diagnostics.WriteLine(line);
            }
        };
        process.BeginErrorReadLine();
        return Task.FromResult<IWatcherHandle>(new Handle(process));
    }

    private sealed class Handle(Process process) : IWatcherHandle
    {
        public Task<string?> ReadLineAsync(CancellationToken cancel) => process.StandardOutput.ReadLineAsync(cancel).AsTask();

        public ValueTask DisposeAsync()
        {
            // The watcher lives on without us: dispose our end only, never kill it.
            process.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
