using NftKnock.Server.Events;

namespace NftKnock.Server.Tests.Events;

public sealed class KernelRecordsTests
{
    private static readonly DateTimeOffset Boot = new(2026, 11, 26, 14, 35, 0, TimeSpan.Zero);

    [Fact]
    public void A_kmsg_record_is_its_first_line_at_boot_time_plus_its_microseconds()
    {
        // As read(2) returns it from /dev/kmsg: header, message, then dictionary lines that start with a space.
        const string Record = "4,989,9257768011,-;nftknock ssh open: IN=nkobsA OUT= SRC=198.18.77.2 DPT=7777 \n SUBSYSTEM=net\n DEVICE=+net:nkobsA\n";

        KernelRecords.TryParseKmsg(Record, Boot, out var record).ShouldBeTrue();

        record.Message.ShouldBe("nftknock ssh open: IN=nkobsA OUT= SRC=198.18.77.2 DPT=7777 ");
        record.Time.ShouldBe(Boot + TimeSpan.FromMicroseconds(9257768011));
    }

    [Theory]
    [InlineData("12,5,100,-;nftknock ssh open: IN=x SRC=198.18.0.2 ")] // facility 1 (user): written to /dev/kmsg by a process
    [InlineData("14,5,100,-;nftknock ssh open: IN=x SRC=198.18.0.2 ")]
    [InlineData("nftknock ssh open: IN=x SRC=198.18.0.2 ")]
    [InlineData("4,5;nftknock ssh open: IN=x SRC=198.18.0.2 ")]
    [InlineData("4,5,-1,-;nftknock ssh open: IN=x SRC=198.18.0.2 ")]
    [InlineData("x,5,100,-;nftknock ssh open: IN=x SRC=198.18.0.2 ")]
    public void Kmsg_records_not_from_the_kernel_or_malformed_are_not_taken(string record) =>
        KernelRecords.TryParseKmsg(record, Boot, out _).ShouldBeFalse();

    [Fact]
    public void Journal_lines_recorded_from_journald_give_the_kernels_records_and_times()
    {
        // journalctl -o json output from journald 252, recorded on the test machine: one other kernel line,
        // three nftknock lines (one with a client), and one of journald's own (transport driver).
        var records = Fixture.Read("journal-kernel.json").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => KernelRecords.TryParseJournal(line, out var r) ? r : null)
            .ToList();

        records[0]!.Message.ShouldStartWith("Linux version");
        records[1]!.Message.ShouldStartWith("nftknock ssh open: IN=nkobsA");
        records[3]!.Message.ShouldStartWith("nftknock ssh open client=alice: IN=kidx0");
        records[4].ShouldBeNull();
        // journald imported these from the ring buffer late; the kernel's own time comes back, 486 s earlier.
        records[1]!.Time.ShouldBe(DateTimeOffset.UnixEpoch.AddTicks((1795712577749714 - (9743918586 - 9257768011)) * 10));
        records.OfType<KernelRecord>().Where(r => LogLine.TryParse(r, out _)).Count().ShouldBe(3);
    }

    [Theory]
    [InlineData("""{"_TRANSPORT":"syslog","MESSAGE":"nftknock ssh open: IN=x SRC=198.18.0.2 ","__REALTIME_TIMESTAMP":"1795712577749714"}""")]
    [InlineData("""{"MESSAGE":"nftknock ssh open: IN=x SRC=198.18.0.2 ","__REALTIME_TIMESTAMP":"1795712577749714"}""")]
    [InlineData("""{"_TRANSPORT":"kernel","MESSAGE":[110,102],"__REALTIME_TIMESTAMP":"1795712577749714"}""")]
    [InlineData("""{"_TRANSPORT":"kernel","MESSAGE":"nftknock ssh open: IN=x SRC=198.18.0.2 "}""")]
    [InlineData("""{"_TRANSPORT":"kernel","MESSAGE":"nftknock ssh open: IN=x SRC=198.18.0.2 ","__REALTIME_TIMESTAMP":"99999999999999999999"}""")]
    [InlineData("""{"_TRANSPORT":"kernel","MESSAGE":"nftknock""")]
    [InlineData("[1,2,3]")]
    [InlineData("")]
    public void Journal_lines_that_are_not_kernel_records_or_are_broken_are_not_taken(string line) =>
        KernelRecords.TryParseJournal(line, out _).ShouldBeFalse();

    [Fact]
    public void Journalctl_is_asked_for_the_kernel_records_since_a_second_and_to_follow()
    {
        JournalLog.Arguments(null, follow: false).ShouldBe(["-k", "-o", "json", "--no-pager", "-q", "--lines=all"]);
        JournalLog.Arguments(DateTimeOffset.FromUnixTimeSeconds(1795712564).AddMilliseconds(900), follow: true)
            .ShouldBe(["-k", "-o", "json", "--no-pager", "-q", "--lines=all", "--since=@1795712564", "-f"]);
    }

    [Fact]
    public void Auto_reads_journald_when_its_socket_exists_and_else_kmsg()
    {
        KernelLogs.Open(LogSource.Auto, TimeProvider.System, _ => true).Name.ShouldBe("journald");
        KernelLogs.Open(LogSource.Auto, TimeProvider.System, _ => false).Name.ShouldBe("/dev/kmsg");
        KernelLogs.Open(LogSource.Kmsg, TimeProvider.System, _ => true).Name.ShouldBe("/dev/kmsg");
        KernelLogs.Open(LogSource.Journal, TimeProvider.System, _ => true).Name.ShouldBe("journald");
    }

    [Fact]
    public async Task Journal_asked_for_where_journald_does_not_run_fails_with_why_instead_of_printing_nothing()
    {
        var log = KernelLogs.Open(LogSource.Journal, TimeProvider.System, _ => false);

        var e = await Should.ThrowAsync<KernelLogException>(async () => await log.ReadAsync(null, follow: true, CancellationToken.None).ToListAsync());
        e.Kind.ShouldBe(KernelLogFailure.Unavailable);
        e.Reason.ShouldBe("journald is not running here (no /run/systemd/journal/socket)");
    }
}
