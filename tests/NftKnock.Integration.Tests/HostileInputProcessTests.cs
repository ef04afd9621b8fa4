using System.Diagnostics;
using NftKnock.Testing.Namespaces;

namespace NftKnock.Integration.Tests;

/// <summary>
/// The built nftknock, as an operator runs it, on inputs that once crashed it (stack overflow, out
/// of memory, unhandled exceptions) or hung it: one line on stderr, the documented exit code, at once.
/// No namespace is needed: none of these reaches nft.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class HostileInputProcessTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("nkd-hostile-").FullName;

    public HostileInputProcessTests()
    {
        // The other user of the setpriv test must reach the config to be refused it.
        File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
    }

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static async Task<ProcResult> Nftknock(params string[] args)
    {
        var clock = Stopwatch.StartNew();
        var result = await Proc.RunAsync(NftknockCli.File, [.. NftknockCli.Prefix, .. args], TimeSpan.FromSeconds(20));
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10), result.Stderr);
        return result;
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task Yaml_nested_100000_deep_is_a_syntax_error_not_a_stack_overflow()
    {
        var path = Path.Join(dir, "deep.yaml");
        await File.WriteAllTextAsync(path, "doors: " + new string('[', 100_000) + new string(']', 100_000));

        var result = await Nftknock("check", "-c", path);

        result.ExitCode.ShouldBe(2);
        Lines(result.Stderr).ShouldBe([$"{path}:1:71: error NK001: The file is not valid YAML (nested deeper than 64 levels). Fix the syntax at this line."]);
    }

    [Fact]
    public async Task Dev_zero_as_the_config_is_refused_instead_of_read_until_memory_runs_out()
    {
        var result = await Nftknock("check", "-c", "/dev/zero");

        result.ExitCode.ShouldBe(2);
        Lines(result.Stderr).ShouldBe(["nftknock: cannot read /dev/zero: it is not a regular file. Pass the config with -c FILE."]);
    }

    [Fact]
    public async Task A_duration_of_999999999h_is_out_of_range_not_an_unhandled_exception()
    {
        var path = Path.Join(dir, "long.yaml");
        await File.WriteAllTextAsync(path, "doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [17342/udp, 9121/tcp, 28877/udp]\n    open-for: 999999999h\n");

        var check = await Nftknock("check", "-c", path);
        var connect = await Nftknock("connect", "--gap", "999999999h", "198.18.0.1", "22", "7000/udp");

        check.ExitCode.ShouldBe(2);
        Lines(check.Stderr).ShouldBe([$"{path}:5:15: error NK051 at doors.ssh.open-for: open-for 999999999h is out of range. Use a value from 1s to 24h."]);
        connect.ExitCode.ShouldBe(2);
        Lines(connect.Stderr).ShouldBe(["nftknock: --gap 999999999h is out of range. Use a duration from 0s to 2s, like 500ms or 2s."]);
    }

    // Needs root to drop to another user, as the kernel tests do.
    [KernelTheory]
    [InlineData("status")]
    [InlineData("remove")]
    [InlineData("confirm")]
    public async Task A_non_root_table_command_with_a_root_only_config_exits_4(string command)
    {
        var path = Path.Join(dir, "nftknock.yaml");
        await File.WriteAllTextAsync(path, "doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [17342/udp, 9121/tcp, 28877/udp]\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var result = await Proc.RunAsync(
            "setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", .. NftknockCli.Command(command, "-c", path)], TimeSpan.FromSeconds(20));

        result.ExitCode.ShouldBe(4);
        Lines(result.Stderr).ShouldBe([$"nftknock: {command} changes or reads the firewall and needs root or CAP_NET_ADMIN. Run it with sudo."]);
    }
}
