using NftKnock.Server.Events;

namespace NftKnock.Server.Tests.Events;

public sealed class KernelRecordsTests
{
    [Fact]
    public void Only_the_recorder_s_records_as_root_are_taken_never_a_kernel_line_or_another_unit_s()
    {
        // In journalctl -o json's form, written for this test: the recorder's three lines, a kernel line
        // (another namespace's, with nf_log_all_netns=1), a user's unit, and the recorder's name under another uid.
        var records = Fixture.Read("journal-recorder.json").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => KernelRecords.TryParseJournal(line, out var r) ? r : null)
            .ToList();

        records.Select(r => r is not null).ShouldBe([true, false, true, false, true, false]);
        records[0]!.Message.ShouldStartWith("nftknock ssh open: IN=nkobsA");
        records[0]!.Time.ShouldBe(DateTimeOffset.UnixEpoch.AddTicks(1795712577749714 * 10));
        records.OfType<KernelRecord>().Where(r => LogLine.TryParse(r, out _)).Count().ShouldBe(3);
    }

    [Theory]
    [InlineData("""{"_TRANSPORT":"kernel","MESSAGE":"nftknock ssh open: IN=x SRC=198.18.0.2 ","__REALTIME_TIMESTAMP":"1795712577749714"}""")]
    [InlineData("""{"MESSAGE":"nftknock ssh open: IN=x SRC=198.18.0.2 ","__REALTIME_TIMESTAMP":"1795712577749714"}""")]
    [InlineData("""{"_SYSTEMD_UNIT":"nftknock-events.service","MESSAGE":"nftknock ssh open: IN=x SRC=198.18.0.2 ","__REALTIME_TIMESTAMP":"1795712577749714"}""")]
    [InlineData("""{"_SYSTEMD_UNIT":"nftknock-events.service","_UID":"0","MESSAGE":[110,102],"__REALTIME_TIMESTAMP":"1795712577749714"}""")]
    [InlineData("""{"_SYSTEMD_UNIT":"nftknock-events.service","_UID":"0","MESSAGE":"nftknock ssh open: IN=x SRC=198.18.0.2 "}""")]
    [InlineData("""{"_SYSTEMD_UNIT":"nftknock-events.service","_UID":"0","MESSAGE":"nftknock ssh open: IN=x SRC=198.18.0.2 ","__REALTIME_TIMESTAMP":"99999999999999999999"}""")]
    [InlineData("""{"_SYSTEMD_UNIT":"nftknock-events.service","_UID":"0","MESSAGE":"nftknock""")]
    [InlineData("[1,2,3]")]
    [InlineData("")]
    public void Journal_lines_that_are_not_the_recorder_s_or_are_broken_are_not_taken(string line) =>
        KernelRecords.TryParseJournal(line, out _).ShouldBeFalse();

    [Fact]
    public void A_record_s_escaped_message_is_read_as_its_text_past_fields_that_are_not_text()
    {
        var line = """{"_BOOT":{"id":[1,2,{"x":"}"}]},"_SYSTEMD_UNIT":"nftknock-events.service","_UID":"0","MESSAGE":"nftknock ssh open: \"x\" \u00e9\\","__REALTIME_TIMESTAMP":"1795712577749714"}""";

        KernelRecords.TryParseJournal(line, out var record).ShouldBeTrue();
        record.Message.ShouldBe("nftknock ssh open: \"x\" \u00e9\\");
    }

    [Fact]
    public void Journalctl_is_asked_for_the_recorder_s_records_since_a_second_and_to_follow()
    {
        JournalLog.Arguments(null, follow: false).ShouldBe(["_SYSTEMD_UNIT=nftknock-events.service", "_UID=0", "-o", "json", "--no-pager", "-q", "--lines=all"]);
        JournalLog.Arguments(DateTimeOffset.FromUnixTimeSeconds(1795712564).AddMilliseconds(900), follow: true)
            .ShouldBe(["_SYSTEMD_UNIT=nftknock-events.service", "_UID=0", "-o", "json", "--no-pager", "-q", "--lines=all", "--since=@1795712564", "-f"]);
    }

    [Fact]
    public void Auto_reads_journald_when_its_socket_exists_and_else_the_nflog_group()
    {
        KernelLogs.Open(LogSource.Auto, TimeProvider.System, _ => true).Name.ShouldBe("journald");
        KernelLogs.Open(LogSource.Auto, TimeProvider.System, _ => false).Name.ShouldBe("NFLOG group 4242");
        KernelLogs.Open(LogSource.Nflog, TimeProvider.System, _ => true).Name.ShouldBe("NFLOG group 4242");
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
