using System.Diagnostics;

namespace NftKnock.Cli.Demo;

/// <summary>Runs this same nftknock (binary or dotnet + dll) inside a namespace.</summary>
internal static class SelfProcess
{
    /// <summary>The argv prefix that starts this program again.</summary>
    public static string[] Command()
    {
        var exe = Environment.ProcessPath ?? "nftknock";
        return Path.GetFileNameWithoutExtension(exe) == "dotnet"
            ? [exe, typeof(SelfProcess).Assembly.Location]
            : [exe];
    }

    /// <summary>Runs <c>ip netns exec NS nftknock ARGS</c> and waits, killing it after <paramref name="timeout"/>.</summary>
    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string ns, TimeSpan timeout, CancellationToken cancel, params string[] args)
    {
        using var process = Start(ns, args);
        var stdout = process.StandardOutput.ReadToEndAsync(cancel);
        var stderr = process.StandardError.ReadToEndAsync(cancel);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts <c>ip netns exec NS nftknock ARGS</c> in the background.</summary>
    public static Process Start(string ns, params string[] args)
    {
        var info = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["netns", "exec", ns, .. Command(), .. args])
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("could not start ip netns exec");
    }
}
