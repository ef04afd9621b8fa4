using NftKnock.Core.Model;
using NftKnock.Server.Host;

namespace NftKnock.Server.Doctor;

/// <summary>
/// Whether the kernel writes the doors' log lines at all: netfilter logs from a network namespace other
/// than the initial one only when <c>net.netfilter.nf_log_all_netns</c> is 1, a sysctl of the initial
/// namespace that a container cannot even read.
/// </summary>
public static class KernelLogCheck
{
    /// <summary>The check's name.</summary>
    public const string Name = ServerTexts.CheckNames.KernelLog;

    /// <summary>The sysctl, as a path under /proc/sys.</summary>
    public const string AllNamespaces = "net/netfilter/nf_log_all_netns";

    /// <summary>Checks the namespace when a door logs; the config is not null.</summary>
    public static DoctorCheck Check(ServerConfig config, IHostProbe host)
    {
        var logging = config.Doors.Where(d => d.Log).Select(d => d.Name).ToList();
        if (logging.Count == 0)
        {
            return DoctorCheck.Pass(Name, ServerTexts.NoDoorLogs);
        }

        var namespaces = host.ReadNetworkNamespaces();
        if (namespaces.InInitial is not { } initial)
        {
            return DoctorCheck.Pass(Name, ServerTexts.NamespaceUnknown);
        }

        if (initial)
        {
            return DoctorCheck.Pass(Name, ServerTexts.InitialNamespace);
        }

        var value = host.ReadSysctl(AllNamespaces);
        return value == "1"
            ? DoctorCheck.Pass(Name, ServerTexts.OtherNamespaceLogged(namespaces.Current!.Value))
            : DoctorCheck.Warn(Name, ServerTexts.OtherNamespaceSilent(namespaces.Current!.Value, logging, readable: value is not null), ServerTexts.OtherNamespaceSilentFix);
    }
}
