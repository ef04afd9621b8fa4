using System.Globalization;

namespace NftKnock.Server;

// Why the kernel log could not be read, as events says it.
public static partial class ServerTexts
{
    /// <summary>No nfnetlink_log (not Linux).</summary>
    public const string NoNflog = "there is no nfnetlink_log on this system";

    /// <summary>Another reader holds the group: one reader per group and namespace.</summary>
    public const string NflogTaken = "another program reads that group already (nftknock-events.service, or ulogd2)";

    /// <summary>The kernel did not acknowledge the binding.</summary>
    public const string NflogNoAnswer = "the kernel did not answer the request to read it";

    /// <summary>journalctl could not be started.</summary>
    public static string JournalctlCannotRun(string program, string reason) => $"{program} cannot run: {reason}";

    /// <summary>events --from journal on a machine where journald does not run.</summary>
    public static string JournaldNotRunning(string socket) => $"journald is not running here (no {socket})";

    /// <summary>journalctl failed.</summary>
    public static string JournalctlFailed(string program, int code) => string.Create(CultureInfo.InvariantCulture, $"{program} exited with {code}");
}

// What events --exec says about its command.
public static partial class ServerTexts
{
    /// <summary>The hook's queue was full: this event's command is not run.</summary>
    public static string HookQueueFull(string knock, int size) =>
        string.Create(CultureInfo.InvariantCulture, $"nftknock: --exec command not run for {knock}: {size} events are already waiting for it. Make the command faster, or have it hand work off and return.");

    /// <summary>The hook's program could not be started.</summary>
    public static string HookCannotRun(string program, string reason) =>
        $"nftknock: --exec {program} cannot run: {reason}. Give the full path of an executable file.";

    /// <summary>The hook's command failed.</summary>
    public static string HookFailed(string program, int code, string knock) =>
        string.Create(CultureInfo.InvariantCulture, $"nftknock: --exec {program} exited with {code} for {knock}");

    /// <summary>The hook's command ran past its time limit and was killed.</summary>
    public static string HookTimedOut(string program, TimeSpan timeout, string knock) =>
        $"nftknock: --exec {program} ran longer than {Core.Model.Duration.Format(timeout)} and was killed, for {knock}";
}
