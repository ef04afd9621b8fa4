using System.Diagnostics;
using NftKnock.Server.Nftables;

namespace NftKnock.Cli.Tests.Server;

/// <summary>Files and values that once crashed or hung a command: each now gives one line and its exit code, at once.</summary>
public sealed class HostileInputTests : IDisposable
{
    private const string Valid = "doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [17342/udp, 9121/tcp, 28877/udp]\n";

    private static readonly TimeSpan Quickly = TimeSpan.FromSeconds(5);

    private readonly string dir = Directory.CreateTempSubdirectory("nftknock-hostile-").FullName;
    private readonly StringWriter output = new();
    private readonly StringWriter error = new();
    private readonly FakeNftables nft = new();
    private bool privileged = true;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Join(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private string Fifo()
    {
        var path = Path.Join(dir, "fifo.yaml");
        using var mkfifo = Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        return path;
    }

    private Task<int> Run(params string[] args) => NftKnockApp.RunAsync(args, new CliContext
    {
        Out = output,
        Error = error,
        Nftables = () => nft,
        IsPrivileged = () => privileged,
        Environment = name => name == NftKnock.Server.Safety.RollbackFiles.DirectoryVariable ? Path.Join(dir, "run") : null,
    }).WaitAsync(Quickly);

    [Fact]
    public async Task A_directory_given_as_the_config_is_called_a_directory()
    {
        (await Run("check", "-c", dir)).ShouldBe(2);

        error.ToString().ShouldBe($"nftknock: cannot read {dir}: it is a directory. Pass the config with -c FILE.{Environment.NewLine}");
    }

    [Fact]
    public async Task A_fifo_given_as_the_config_is_refused_without_waiting_for_a_writer()
    {
        var fifo = Fifo();

        (await Run("check", "-c", fifo)).ShouldBe(2);

        error.ToString().ShouldBe($"nftknock: cannot read {fifo}: it is not a regular file. Pass the config with -c FILE.{Environment.NewLine}");
    }

    [Fact]
    public async Task A_device_given_as_the_config_is_refused_without_reading_it()
    {
        (await Run("check", "-c", "/dev/zero")).ShouldBe(2);

        error.ToString().ShouldBe($"nftknock: cannot read /dev/zero: it is not a regular file. Pass the config with -c FILE.{Environment.NewLine}");
    }

    [Fact]
    public async Task A_config_over_1_MiB_is_refused()
    {
        var path = Write("big.yaml", Valid + new string('#', FileText.MaxBytes));

        (await Run("check", "-c", path)).ShouldBe(2);

        error.ToString().ShouldBe($"nftknock: cannot read {path}: the file is larger than 1 MiB, too large for nftknock to read. Pass the config with -c FILE.{Environment.NewLine}");
    }

    [Fact]
    public void A_config_of_exactly_1_MiB_is_read()
    {
        var path = Write("full.yaml", Valid + new string('#', FileText.MaxBytes - Valid.Length));

        FileText.TryRead(path, out var text, out _).ShouldBeTrue();
        text.Length.ShouldBe(FileText.MaxBytes);
    }

    [Fact]
    public async Task Io_failures_are_told_in_words_never_in_resource_keys()
    {
        var loop = Path.Join(dir, "loop.yaml");
        File.CreateSymbolicLink(loop, loop);

        FileText.TryRead(loop, out _, out var reason).ShouldBeFalse();
        reason.ShouldBe("too many levels of symbolic links");
        (await Run("check", "--json", "-c", Path.Join(dir, "missing.yaml"))).ShouldBe(2);
        output.ToString().ShouldContain("\"dryRun\":\"cannot read the file: the file does not exist\"");
    }

    [Fact]
    public async Task Check_json_refuses_a_fifo_too()
    {
        (await Run("check", "--json", "-c", Fifo())).ShouldBe(2);

        output.ToString().ShouldContain("\"dryRun\":\"cannot read the file: it is not a regular file\"");
    }

    [Theory]
    [InlineData("status")]
    [InlineData("remove")]
    [InlineData("confirm")]
    public async Task Without_privileges_the_table_commands_say_so_before_reading_the_config(string command)
    {
        privileged = false;

        (await Run(command, "-c", Fifo())).ShouldBe(4);

        error.ToString().ShouldBe(Texts.NotRoot(command) + Environment.NewLine);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("remove")]
    [InlineData("confirm")]
    public async Task A_config_that_cannot_name_the_table_is_one_line_and_exit_2(string command)
    {
        var fifo = Fifo();

        (await Run(command, "-c", fifo)).ShouldBe(2);

        error.ToString().ShouldBe($"nftknock: cannot read {fifo}: it is not a regular file. Name the table with --table, or the config with -c FILE.{Environment.NewLine}");
        nft.Scripts.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("1e17")]
    [InlineData("100000000000000000")]
    [InlineData("-5")]
    public async Task A_damaged_pending_apply_is_one_line_saying_how_to_clear_it(string windowMs)
    {
        Directory.CreateDirectory(Path.Join(dir, "run"));
        var pending = Write(Path.Join("run", "nftknock.pending"), $"{{\"token\":\"t\",\"table\":\"nftknock\",\"windowMs\":{windowMs},\"applierPid\":1,\"takenAtMs\":0,\"snapshot\":null}}");

        (await Run("confirm", "-t", "nftknock")).ShouldBe(1);

        error.ToString().ShouldBe(Texts.PendingDamaged(pending) + Environment.NewLine);
        File.Exists(pending).ShouldBeTrue();
    }

    [Fact]
    public async Task Control_characters_from_the_config_reach_the_terminal_as_escapes()
    {
        var path = Write("c.yaml", "doors:\n  \"ssh\u001b[2J\":\n    protect: [22/tcp]\n    sequence: [17342/udp, 9121/tcp, 28877/udp]\n");

        (await Run("check", "-c", path)).ShouldBe(2);

        error.ToString().ShouldContain("doors.ssh\\x1b[2J:");
        error.ToString().ShouldNotContain('\u001b');
    }

    [Fact]
    public async Task Control_characters_in_the_config_s_file_name_reach_the_summary_as_escapes()
    {
        var path = Write("c\u001b[2J.yaml", "doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [17342/udp, 9121/tcp, 28877/udp]\n");

        await Run("check", "-c", path);

        output.ToString().ShouldContain("c\\x1b[2J.yaml: valid, 1 door");
        output.ToString().ShouldNotContain('\u001b');
    }
}
