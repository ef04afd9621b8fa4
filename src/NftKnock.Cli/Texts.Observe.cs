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

    /// <summary>events --from with a log it does not know.</summary>
    public static string BadFrom(string value) =>
        Visible.Escape($"--from takes auto, journal or nflog, not '{value}'.");

    /// <summary>events --since with a value that is not a duration in range.</summary>

    public static string BadSince(string value) =>
        Visible.Escape($"nftknock: --since {value} is not a duration from 1ms to {Core.Model.Duration.Format(Commands.EventsCommand.MaxSince)}. Write it like 10m or 2h.");

    /// <summary>events may not read the doors' lines.</summary>
    public static string KernelLogDenied(string log, string reason) =>
        $"nftknock: cannot read {log}: {reason}. Reading the NFLOG group needs root (CAP_NET_ADMIN), the journal root or its groups; run nftknock events with sudo.";

    /// <summary>events cannot read the doors' lines at all.</summary>
    public static string KernelLogUnavailable(string log, string reason) =>
        $"nftknock: cannot read {log}: {reason}. Try --from journal (what nftknock-events.service recorded) or --from nflog --follow.";

    /// <summary>--from nflog without --follow: the group keeps no past.</summary>
    public const string NflogNeedsFollow =
        "nftknock: --from nflog reads new lines only and needs --follow; read the recorded ones with --from journal.";

    /// <summary>ARGs given to events without --exec.</summary>
    public static string ArgsWithoutExec(string arg) =>
        $"nftknock: events takes no argument '{arg}'. Arguments belong to --exec CMD: nftknock events --follow --exec CMD [ARG...].";

    /// <summary>--exec without --follow, which would run commands for old events.</summary>
    public const string ExecNeedsFollow =
        "nftknock: --exec runs a command for each new event and needs --follow: nftknock events --follow --exec CMD [ARG...].";

    /// <summary>A --exec-timeout that is not a duration from 1s to 1h.</summary>
    public static string BadExecTimeout(string value) =>
        $"nftknock: --exec-timeout '{value}' is not a duration from 1s to 1h. Use a number followed by s, m or h, like 30s.";
}
