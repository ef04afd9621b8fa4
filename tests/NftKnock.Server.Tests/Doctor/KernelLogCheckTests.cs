using NftKnock.Core.Model;
using NftKnock.Server.Doctor;
using NftKnock.Server.Host;
using NftKnock.Server.Tests.Deploy;

namespace NftKnock.Server.Tests.Doctor;

public sealed class KernelLogCheckTests
{
    private static readonly ServerConfig Ssh = Configs.Read(Configs.Ssh);

    private static FakeHost InNamespace(long current, long? initial = 4026531833) => new() { Namespaces = new NetworkNamespaces(current, initial) };

    [Fact]
    public void In_another_namespace_without_nf_log_all_netns_doctor_says_how_to_get_the_log_lines()
    {
        var host = InNamespace(4026532672);
        host.Sysctls[KernelLogCheck.AllNamespaces] = "0";

        KernelLogCheck.Check(Ssh, host).ShouldBe(DoctorCheck.Warn(
            "kernel log",
            "this runs in network namespace 4026532672, not the initial one, and the kernel logs netfilter lines from it only when net.netfilter.nf_log_all_netns=1 (it is 0), so the grant lines of ssh may be lost and nftknock events may show none",
            "In the initial namespace (on the host), run sysctl -w net.netfilter.nf_log_all_netns=1, and set it in /etc/sysctl.d/ to keep it; or read counts with nftknock metrics, which needs no log."));
    }

    [Fact]
    public void Inside_a_container_the_sysctl_cannot_be_read_and_doctor_still_warns()
    {
        // The sysctl exists in the initial namespace only: from another one, /proc/sys has no such file.
        var check = KernelLogCheck.Check(Ssh, InNamespace(4026532672));

        check.Status.ShouldBe(CheckStatus.Warn);
        check.Detail.ShouldContain("(it cannot be read from here)");
    }

    [Fact]
    public void The_initial_namespace_or_a_logged_one_passes()
    {
        KernelLogCheck.Check(Ssh, InNamespace(4026531833)).Status.ShouldBe(CheckStatus.Pass);
        var logged = InNamespace(4026532672);
        logged.Sysctls[KernelLogCheck.AllNamespaces] = "1";
        KernelLogCheck.Check(Ssh, logged).Detail.ShouldBe("network namespace 4026532672 is not the initial one, and net.netfilter.nf_log_all_netns=1 lets the kernel log its lines");
    }

    [Fact]
    public void When_pid_1s_namespace_cannot_be_read_the_kernels_fixed_inode_of_the_initial_one_is_used()
    {
        KernelLogCheck.Check(Ssh, InNamespace(NetworkNamespaces.InitialInode, initial: null)).Status.ShouldBe(CheckStatus.Pass);
        KernelLogCheck.Check(Ssh, InNamespace(4026532672, initial: null)).Status.ShouldBe(CheckStatus.Warn);
    }

    [Fact]
    public void Without_a_door_that_logs_or_a_readable_namespace_there_is_nothing_to_warn_about()
    {
        var quiet = Ssh with { Doors = [.. Ssh.Doors.Select(d => d with { Log = false })] };

        KernelLogCheck.Check(quiet, InNamespace(4026532672)).ShouldBe(DoctorCheck.Pass("kernel log", "not applicable: no door logs its grants (log: false)"));
        KernelLogCheck.Check(Ssh, new FakeHost()).Status.ShouldBe(CheckStatus.Pass);
    }

    [Fact]
    public void The_real_host_reads_namespace_inodes_from_proc()
    {
        var namespaces = new SystemHost().ReadNetworkNamespaces();

        namespaces.Current.ShouldNotBeNull();
        new SystemHost(proc: "/nonexistent").ReadNetworkNamespaces().ShouldBe(new NetworkNamespaces(null, null));
    }
}
