using System.Globalization;

namespace NftKnock.Server;

// Why the kernel log could not be read, as events says it.
public static partial class ServerTexts
{
    /// <summary>No /dev/kmsg (not Linux).</summary>
    public const string NoKmsg = "there is no /dev/kmsg on this system";

    /// <summary>journalctl could not be started.</summary>
    public static string JournalctlCannotRun(string program, string reason) => $"{program} cannot run: {reason}";

    /// <summary>journalctl failed.</summary>
    public static string JournalctlFailed(string program, int code) => string.Create(CultureInfo.InvariantCulture, $"{program} exited with {code}");
}
