using NftKnock.Core.Diagnostics;

namespace NftKnock.Cli;

// What metrics and events say when they cannot do their job.
internal static partial class Texts
{
    /// <summary>metrics --textfile names a directory that is not there.</summary>
    public static string TextfileDirectoryMissing(string directory) =>
        Visible.Escape($"nftknock: --textfile {directory} is not a directory. Create it, or name node_exporter's textfile directory (for Debian's prometheus-node-exporter, /var/lib/prometheus/node-exporter).");

    /// <summary>metrics --textfile cannot write its file.</summary>
    public static string TextfileFailed(string path, string reason) =>
        Visible.Escape($"nftknock: cannot write {path}: {reason}");

    /// <summary>events --since with a value that is not a duration in range.</summary>
    public static string BadSince(string value) =>
        Visible.Escape($"nftknock: --since {value} is not a duration from 1ms to {Core.Model.Duration.Format(Commands.EventsCommand.MaxSince)}. Write it like 10m or 2h.");

    /// <summary>events may not read the kernel log.</summary>
    public static string KernelLogDenied(string log, string reason) =>
        $"nftknock: cannot read {log}: {reason}. Reading the kernel log needs root (or kernel.dmesg_restrict=0); run nftknock events with sudo.";

    /// <summary>events cannot read the kernel log at all.</summary>
    public static string KernelLogUnavailable(string log, string reason) =>
        $"nftknock: cannot read {log}: {reason}. Try --from kmsg or --from journal.";
}
