using System.Runtime.Versioning;
using NftKnock.Server.Rotation;
using NftKnock.Server.Safety;

namespace NftKnock.Cli.Tests.Deploy;

/// <summary>
/// NFTKNOCK_RUN_DIR / NFTKNOCK_STATE_DIR pointed at a directory others can write to: nftknock refuses it,
/// leaves its mode alone, and never writes through a link planted in it.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class SharedDirectoryTests : IDisposable
{
    private static readonly UnixFileMode Shared = (UnixFileMode)Convert.ToInt32("1777", 8);

    private readonly CliHarness cli = new();

    public void Dispose() => cli.Dispose();

    private string SharedDirectory(string name)
    {
        var path = Directory.CreateDirectory(Path.Combine(cli.Directory, name)).FullName;
        File.SetUnixFileMode(path, Shared);
        return path;
    }

    private string RotatingConfig()
    {
        var secret = cli.Write("ssh.secret", Convert.ToBase64String(new byte[32]) + "\n");
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return cli.Write("nftknock.yaml", $"doors:\n  ssh:\n    protect: [22/tcp]\n    rotating:\n      secret-file: {secret}\n");
    }

    [Fact]
    public async Task A_run_directory_others_can_write_is_refused_and_keeps_its_mode()
    {
        var run = SharedDirectory("shared-run");
        cli.Set(RollbackFiles.DirectoryVariable, run);
        var config = cli.Write("nftknock.yaml", "doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [17342/udp, 9121/tcp, 28877/udp]\n");

        (await cli.RunAsync("apply", "-c", config)).ShouldNotBe(ExitCodes.Ok);

        cli.Error.ToString().ShouldBe(Texts.UnsafeDirectory(run, "its mode 01777 lets other users write to it", RollbackFiles.DirectoryVariable) + "\n");
        cli.Nft.Applied.ShouldBeEmpty();
        File.GetUnixFileMode(run).ShouldBe(Shared);
        Directory.EnumerateFileSystemEntries(run).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_served_record_planted_as_a_link_in_a_shared_state_directory_is_never_written_through()
    {
        var state = SharedDirectory("shared-state");
        var victim = cli.Write("victim", "precious\n");
        File.CreateSymbolicLink(Path.Combine(state, "nftknock.served"), victim);
        cli.Set(RotationHost.DirectoryVariable, state);

        await cli.RunAsync("apply", "-c", RotatingConfig());

        File.ReadAllText(victim).ShouldBe("precious\n");
        File.GetUnixFileMode(state).ShouldBe(Shared);
        cli.Error.ToString().ShouldContain($"its directory {state} is not safe (its mode 01777 lets other users write to it)");
    }

    [Fact]
    public async Task A_link_left_in_a_safe_state_directory_is_replaced_not_followed()
    {
        var state = Directory.CreateDirectory(Path.Combine(cli.Directory, "state")).FullName;
        File.SetUnixFileMode(state, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var victim = cli.Write("victim", "precious\n");
        var record = Path.Combine(state, "nftknock.served");
        File.CreateSymbolicLink(record, victim);

        (await cli.RunAsync("apply", "-c", RotatingConfig())).ShouldBe(ExitCodes.Ok, cli.Error.ToString());

        File.ReadAllText(victim).ShouldBe("precious\n");
        new FileInfo(record).LinkTarget.ShouldBeNull();
        File.ReadAllText(record).ShouldNotBeEmpty();
    }

    [Fact]
    public async Task A_directory_nftknock_creates_is_owner_only()
    {
        var run = Path.Combine(cli.Directory, "fresh-run");
        cli.Set(RollbackFiles.DirectoryVariable, run);
        var config = cli.Write("nftknock.yaml", "doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [17342/udp, 9121/tcp, 28877/udp]\n");

        (await cli.RunAsync("apply", "-c", config)).ShouldBe(ExitCodes.Ok, cli.Error.ToString());

        File.GetUnixFileMode(run).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
