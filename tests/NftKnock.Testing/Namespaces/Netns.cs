using System.Diagnostics;

namespace NftKnock.Testing.Namespaces;

/// <summary>A network namespace this test run created; commands run inside it with <c>ip netns exec</c>.</summary>
public sealed class Netns
{
    private readonly List<Process> started = [];

    internal Netns(string name) => Name = name;

    /// <summary>The namespace's name (unique per run).</summary>
    public string Name { get; }

    /// <summary>Runs a command inside the namespace.</summary>
    public Task<ProcResult> RunAsync(string file, params string[] args) => RunAsync(TimeSpan.FromSeconds(60), file, args);

    /// <summary>Runs a command inside the namespace with a time limit.</summary>
    public Task<ProcResult> RunAsync(TimeSpan timeout, string file, params string[] args) =>
        Proc.RunAsync("ip", ["netns", "exec", Name, file, .. args], timeout);

    /// <summary>Runs a bash snippet inside the namespace.</summary>
    public Task<ProcResult> ShAsync(string script, TimeSpan? timeout = null) =>
        Proc.RunAsync("ip", ["netns", "exec", Name, "bash", "-c", script], timeout ?? TimeSpan.FromSeconds(60));

    /// <summary>Runs nft inside the namespace; a script goes on stdin.</summary>
    public Task<ProcResult> NftAsync(string script) =>
        Proc.RunAsync("ip", ["netns", "exec", Name, "nft", "-f", "-"], TimeSpan.FromSeconds(30), script);

    /// <summary>nftknock's run directory (locks, pending applies) for commands in this namespace, never the host's.</summary>
    public string RunDir => Path.Combine(Path.GetTempPath(), $"{Name}-run");

    /// <summary>nftknock's state directory (served rotating windows) for commands in this namespace, never the host's.</summary>
    public string StateDir => Path.Combine(Path.GetTempPath(), $"{Name}-state");

    /// <summary>The command line that runs nftknock here with this namespace's own directories.</summary>
    public string[] Nftknock(params string[] args) =>
        ["env", $"NFTKNOCK_RUN_DIR={RunDir}", $"NFTKNOCK_STATE_DIR={StateDir}", .. NftknockCli.Command(args)];

    /// <summary>Runs the nftknock CLI inside the namespace.</summary>
    public Task<ProcResult> NftknockAsync(params string[] args) =>
        Proc.RunAsync("ip", ["netns", "exec", Name, .. Nftknock(args)], TimeSpan.FromSeconds(60));

    /// <summary>Starts a background process inside the namespace; it is killed when the lab is disposed.</summary>
    public Process Start(string file, params string[] args)
    {
        var process = Proc.Start("ip", ["netns", "exec", Name, file, .. args]);
        lock (started)
        {
            started.Add(process);
        }

        return process;
    }

    internal void DeleteDirectories()
    {
        foreach (var dir in new[] { RunDir, StateDir })
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    internal void KillStarted()
    {
        lock (started)
        {
            foreach (var process in started)
            {
                try
                {
                    if (!process.HasExited)
                    {
                        process.Kill(entireProcessTree: true);
                        process.WaitForExit(5000);
                    }
                }
                catch (InvalidOperationException)
                {
                }

                process.Dispose();
            }

            started.Clear();
        }
    }
}

/// <summary>
/// Where the nftknock CLI under test is: the published binary named by NFTKNOCK_BIN (scripts/test.sh
/// publishes the NativeAOT build once and points every kernel test at it), else nftknock.dll beside
/// the tests, run by dotnet.
/// </summary>
public static class NftknockCli
{
    /// <summary>nftknock.dll, copied next to the tests by the project reference.</summary>
    public static string Dll { get; } = Path.Combine(AppContext.BaseDirectory, "nftknock.dll");

    /// <summary>The published binary under test, or null to run <see cref="Dll"/>.</summary>
    public static string? Binary { get; } = Environment.GetEnvironmentVariable("NFTKNOCK_BIN") is { Length: > 0 } bin ? Path.GetFullPath(bin) : null;

    /// <summary>The program to start.</summary>
    public static string File => Binary ?? "dotnet";

    /// <summary>What goes before nftknock's own arguments.</summary>
    public static string[] Prefix => Binary is null ? [Dll] : [];

    /// <summary>The whole command, program first, for <c>ip netns exec</c>, <c>env</c> or <c>setpriv</c> to run.</summary>
    public static string[] Command(params string[] args) => [File, .. Prefix, .. args];

    /// <summary>The command as one line of a shell script (paths here hold no spaces).</summary>
    public static string ShellCommand => string.Join(' ', Command());
}
