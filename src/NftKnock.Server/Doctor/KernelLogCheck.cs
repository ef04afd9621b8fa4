using NftKnock.Core.Model;
using NftKnock.Core.Ruleset;

namespace NftKnock.Server.Doctor;

/// <summary>
/// Where the doors' log lines go: an NFLOG group of this network namespace, which nftknock events and
/// nftknock-events.service read, in any namespace and with no sysctl (the kernel log, which needed
/// net.netfilter.nf_log_all_netns outside the initial namespace, is not used).
/// </summary>
public static class KernelLogCheck
{
    /// <summary>The check's name.</summary>
    public const string Name = ServerTexts.CheckNames.KernelLog;

    /// <summary>Says which doors log to nftknock's group; the config is not null.</summary>
    public static DoctorCheck Check(ServerConfig config)
    {
        var logging = config.Doors.Where(d => d.Log && d.LogGroup is null).Select(d => d.Name).ToList();
        return logging.Count == 0 && config.Doors.All(d => !d.Log)
            ? DoctorCheck.Pass(Name, ServerTexts.NoDoorLogs)
            : DoctorCheck.Pass(Name, ServerTexts.LinesToGroup(logging, LogPrefix.Group));
    }
}
