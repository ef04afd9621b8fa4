using NftKnock.Core.Model;
using NftKnock.Server.Doctor;
using NftKnock.Server.Host;
using NftKnock.Server.Tests.Deploy;

namespace NftKnock.Server.Tests.Doctor;

public sealed class KernelLogCheckTests
{
    private static readonly ServerConfig Ssh = Configs.Read(Configs.Ssh);

    [Fact]
    public void Doctor_names_the_doors_whose_lines_go_to_nftknock_s_group_of_this_namespace()
    {
        KernelLogCheck.Check(Ssh).ShouldBe(DoctorCheck.Pass(
            "log lines",
            "the lines of ssh go to NFLOG group 4242 of this network namespace, where only its own tables can write; nftknock events and nftknock-events.service read them"));
    }

    [Fact]
    public void A_door_with_its_own_log_group_is_not_read_by_events()
    {
        var own = Ssh with { Doors = [.. Ssh.Doors.Select(d => d with { LogGroup = 7 })] };

        KernelLogCheck.Check(own).Detail.ShouldBe("every door that logs sends its lines to its own log-group, which nftknock events does not read");
    }

    [Fact]
    public void Without_a_door_that_logs_there_is_nothing_to_read()
    {
        var quiet = Ssh with { Doors = [.. Ssh.Doors.Select(d => d with { Log = false })] };

        KernelLogCheck.Check(quiet).ShouldBe(DoctorCheck.Pass("log lines", "not applicable: no door logs its grants (log: false)"));
    }

    [Fact]
    public void The_real_host_reads_namespace_inodes_from_proc()
    {
        var namespaces = new SystemHost().ReadNetworkNamespaces();

        namespaces.Current.ShouldNotBeNull();
        new SystemHost(proc: "/nonexistent").ReadNetworkNamespaces().ShouldBe(new NetworkNamespaces(null, null));
    }
}
