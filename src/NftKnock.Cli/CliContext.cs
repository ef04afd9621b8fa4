using NftKnock.Server.Events;
using NftKnock.Server.Host;
using NftKnock.Server.Nftables;
using NftKnock.Server.Safety;

namespace NftKnock.Cli;

/// <summary>What commands reach the outside world through; tests swap in writers, a fake nft and a fake clock.</summary>
public sealed record CliContext
{
    /// <summary>Data output (stdout).</summary>
    public required TextWriter Out { get; init; }

    /// <summary>Diagnostics (stderr).</summary>
    public required TextWriter Error { get; init; }

    /// <summary>Standard input, for commands that read it.</summary>
    public Stream? Input { get; init; }

    /// <summary>Standard output as a raw stream, for the connect pump.</summary>
    public Stream? OutputStream { get; init; }

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Makes the nftables backend.</summary>
    public Func<INftables> Nftables { get; init; } = () => new NftProcess();

    /// <summary>Whether the process may change the ruleset (root or CAP_NET_ADMIN).</summary>
    public Func<bool> IsPrivileged { get; init; } = Privileges.IsPrivileged;

    /// <summary>What doctor reads from the host: sockets, the clock, secret files.</summary>
    public IHostProbe Host { get; init; } = new SystemHost();

    /// <summary>Opens the log that events reads: the recorder's journald records or the NFLOG group.</summary>
    public Func<LogSource, IKernelLog> KernelLog { get; init; } = source => KernelLogs.Open(source, TimeProvider.System);

    /// <summary>Environment variables, for the lock-out guard and profile lookup.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>This machine's short and fully qualified names, for the profiles that init and client add print.</summary>
    public Func<(string Short, string? Qualified)> HostNames { get; init; } = ServerName.OfThisMachine;

    /// <summary>The kernel's boot id: rotating doors' served windows are kept per boot, since a reboot empties the claims.</summary>
    public Func<string> BootId { get; init; } = ReadBootId;

    /// <summary>Time since the kernel booted: without a record of served windows, no window from before the boot is loaded again.</summary>
    public Func<TimeSpan> SinceBoot { get; init; } = KernelClock.SinceBoot;

    /// <summary>Starts apply --confirm's rollback watcher; null runs this program again, detached.</summary>
    public Func<IWatcherLauncher>? RollbackWatcher { get; init; }

    /// <summary>
    /// This context with its data output sent to stderr: for a step whose report is not the command's
    /// output, such as the apply inside <c>client add --apply</c>, whose stdout is the client's profile and link.
    /// </summary>
    public CliContext ReportingToError() => this with { Out = Error };

    private static string ReadBootId()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No boot id (not Linux): every run counts as a new boot, the strict side.
            return Guid.NewGuid().ToString("N");
        }
    }

    /// <summary>The real console.</summary>
    public static CliContext Console() => new()
    {
        Out = System.Console.Out,
        Error = System.Console.Error,
        Input = System.Console.OpenStandardInput(),
        OutputStream = Client.Pumping.StandardOutput.Open(),
    };
}
