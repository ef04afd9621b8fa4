using NftKnock.Server.Events;

namespace NftKnock.Server.Tests.Events;

/// <summary>
/// The journald reader with journalctl stood in for by a script that prints the recorded
/// <c>journalctl -o json</c> lines: journald does not run on every test machine.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class JournalLogTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("nkobs-journal-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string Journalctl(string body)
    {
        var path = Path.Combine(directory, "journalctl");
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    [Fact]
    public async Task Events_come_from_journalctls_json_with_the_arguments_it_was_given()
    {
        var fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "journal-recorder.json");
        var program = Journalctl($"echo \"$@\" > {directory}/args\ncat {fixture}");

        var events = await KernelLogs.EventsAsync(new JournalLog(program), null, follow: false, CancellationToken.None).ToListAsync();

        events.Select(e => (e.Door, e.Client, e.Source)).ShouldBe([("ssh", null, "198.18.77.2"), ("ssh", null, "2001:db8:77::2"), ("ssh", "alice", "198.18.91.2")]);
        (await File.ReadAllTextAsync(Path.Combine(directory, "args"))).ShouldBe("_SYSTEMD_UNIT=nftknock-events.service _UID=0 -o json --no-pager -q --lines=all\n");
    }

    [Fact]
    public async Task A_failing_journalctl_is_a_log_that_cannot_be_read()
    {
        var program = Journalctl("echo 'Failed to open journal' >&2\nexit 1");

        var e = await Should.ThrowAsync<KernelLogException>(async () => await new JournalLog(program).ReadAsync(null, false, CancellationToken.None).ToListAsync());

        e.Kind.ShouldBe(KernelLogFailure.Unavailable);
        e.Message.ShouldBe($"journald: {program} exited with 1");
    }

    [Fact]
    public async Task Following_stops_journalctl_when_cancelled()
    {
        var line = "{\"_SYSTEMD_UNIT\":\"nftknock-events.service\",\"_UID\":\"0\",\"__REALTIME_TIMESTAMP\":\"1795712577749714\",\"MESSAGE\":\"nftknock ssh open: IN=eth0 OUT= SRC=198.18.0.2 DPT=7000 \"}";
        var program = Journalctl($"echo '{line}'\nexec sleep 60");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new List<KnockEvent>();

        await foreach (var knock in KernelLogs.EventsAsync(new JournalLog(program), null, follow: true, stop.Token))
        {
            seen.Add(knock);
            await stop.CancelAsync();
        }

        seen.ShouldHaveSingleItem().Source.ShouldBe("198.18.0.2");
    }
}
