using NftKnock.Server.Doctor;
using NftKnock.Server.Host;

namespace NftKnock.Server.Tests.Host;

/// <summary>The real host behind doctor's seam: files with real modes in a temporary folder, and the kernel's clock.</summary>
public sealed class SystemHostTests
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Secret_files_open_to_group_or_others_fail_and_owner_only_pass()
    {
        var host = new SystemHost();
        var dir = Directory.CreateTempSubdirectory("nkd-secret-").FullName;
        try
        {
            var secret = Path.Combine(dir, "ssh.key");
            File.WriteAllText(secret, "c2VjcmV0\n");
            File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            SecretFiles.Check([secret], host).Status.ShouldBe(CheckStatus.Pass);

            // The same rule as check, apply and rotate: group access is as unsafe as world access.
            File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
            SecretFiles.Check([secret], host).Status.ShouldBe(CheckStatus.Fail);

            File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            var world = SecretFiles.Check([secret], host);
            world.Status.ShouldBe(CheckStatus.Fail);
            world.Fix!.ShouldStartWith($"chown root:root {secret}; chmod 600 {secret};");

            SecretFiles.Check([Path.Combine(dir, "missing.key")], host).Status.ShouldBe(CheckStatus.Fail);

            // A dangling link is there, and unsafe; it is not missing.
            var link = Path.Combine(dir, "link.key");
            File.CreateSymbolicLink(link, Path.Combine(dir, "nowhere.key"));
            host.SecretFile(link).ShouldBe(new SecretFileState(true, "it is a symbolic link"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Socket_tables_come_from_the_folder_it_is_given()
    {
        var dir = Directory.CreateTempSubdirectory("nkd-procnet-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "tcp"), "header\n   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1000 1\n");
            var host = new SystemHost(procNet: dir);
            Listeners.Read(host).ShouldBe(new HashSet<(Core.Model.Protocol, int)> { (Core.Model.Protocol.Tcp, 22) });
            host.ReadProcNet("udp").ShouldBeNull();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void The_kernel_clock_query_answers_on_linux()
    {
        // ntp_adjtime with modes = 0 only reads; on Linux it must give a definite answer.
        var state = new SystemHost().ReadClock();
        if (OperatingSystem.IsLinux())
        {
            state.ShouldNotBe(ClockState.Unknown);
        }
        else
        {
            state.ShouldBe(ClockState.Unknown);
        }
    }
}
