using System.Diagnostics;
using System.Text;

namespace NftKnock.Testing.Namespaces;

/// <summary>The outcome of a finished process.</summary>
public sealed record ProcResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Throws with both streams when the exit code is not 0.</summary>
    public ProcResult EnsureSuccess(string what)
    {
        if (ExitCode != 0)
        {
            throw new InvalidOperationException($"{what} exited {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}");
        }

        return this;
    }
}

/// <summary>Runs processes with a hard time limit; nothing here outlives its test.</summary>
public static class Proc
{
    /// <summary>Runs <paramref name="file"/> to completion or kills it after <paramref name="timeout"/>.</summary>
    public static async Task<ProcResult> RunAsync(string file, IEnumerable<string> args, TimeSpan? timeout = null, string? stdin = null)
    {
        using var process = new Process { StartInfo = Info(file, args) };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (stdout) { stdout.Append(e.Data).Append('\n'); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (stderr) { stderr.Append(e.Data).Append('\n'); } } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return new ProcResult(124, stdout.ToString(), stderr + $"\n(killed after {timeout})");
        }

        process.WaitForExit();
        return new ProcResult(process.ExitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Starts a long-running process; the caller owns it and must kill it.</summary>
    public static Process Start(string file, IEnumerable<string> args)
    {
        var process = new Process { StartInfo = Info(file, args) };
        process.Start();
        process.StandardInput.Close();
        return process;
    }

    private static ProcessStartInfo Info(string file, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // A test run started over SSH must not trip apply's lock-out guard; tests that want it set it themselves.
        info.Environment.Remove("SSH_CONNECTION");
        return info;
    }
}
