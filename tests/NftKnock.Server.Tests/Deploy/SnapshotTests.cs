using NftKnock.Server.Safety;

namespace NftKnock.Server.Tests.Deploy;

public sealed class SnapshotTests
{
    private static readonly DateTimeOffset Taken = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private const string Listing = """
        table inet nftknock {
        	set ssh_open_v4 {
        		typeof ip saddr
        		size 65536
        		flags dynamic,timeout
        		elements = { 198.18.1.2 timeout 1m expires 58s984ms, 198.18.1.3 timeout 1h expires 59m58s984ms,
        			     198.18.1.4 timeout 10s expires 2s }
        	}
        }

        """;

    [Theory]
    [InlineData("58s984ms", 58_984)]
    [InlineData("59m58s984ms", 3_598_984)]
    [InlineData("1d2h", 93_600_000)]
    [InlineData("500ms", 500)]
    public void Nft_durations_parse_as_nft_lists_them(string text, long ms)
    {
        NftDuration.TryParse(text, out var value).ShouldBeTrue();
        value.TotalMilliseconds.ShouldBe(ms);
        NftDuration.Format(value).ShouldBe(text == "1d2h" ? "1d2h" : text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5x")]
    [InlineData("s")]
    public void Malformed_nft_durations_are_refused(string text) => NftDuration.TryParse(text, out _).ShouldBeFalse();

    [Fact]
    public void Restoring_an_absent_table_deletes_it_in_one_batch()
    {
        var script = new TableSnapshot("nftknock", null, Taken).RestoreScript(Taken.AddSeconds(30));
        script.ShouldEndWith("table inet nftknock {}\ndelete table inet nftknock\n");
    }

    [Fact]
    public void Restore_recreates_the_listing_with_the_time_each_grant_has_left()
    {
        var script = new TableSnapshot("nftknock", Listing, Taken).RestoreScript(Taken.AddSeconds(30));

        script.ShouldContain("table inet nftknock {}\ndelete table inet nftknock\ntable inet nftknock {");
        script.ShouldContain("198.18.1.2 timeout 1m expires 28s984ms");
        script.ShouldContain("198.18.1.3 timeout 1h expires 59m28s984ms");
        // Expired while waiting: it comes back for a millisecond, which is as good as gone.
        script.ShouldContain("198.18.1.4 timeout 10s expires 1ms");
    }

    [Fact]
    public void A_pending_apply_survives_its_file()
    {
        var pending = new PendingApply("abc123", TimeSpan.FromSeconds(60), new TableSnapshot("nftknock", Listing, Taken), 4242);
        PendingApply.FromJson(pending.ToJson()).ShouldBe(pending);
        var absent = pending with { Snapshot = new TableSnapshot("nftknock", null, Taken) };
        PendingApply.FromJson(absent.ToJson()).ShouldBe(absent);
    }

    [Theory]
    [InlineData("{\"token\": 1}")]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"token\":\"t\",\"table\":\"nftknock\",\"windowMs\":1000,\"takenAtMs\":0,\"applierPid\":1}")]
    [InlineData("{\"token\":\"t\",\"table\":\"nftknock\",\"windowMs\":1000,\"takenAtMs\":0,\"snapshot\":null}")]
    [InlineData("{\"token\":\"t\",\"table\":\"nftknock\",\"windowMs\":1000,\"takenAtMs\":0,\"applierPid\":1,\"snapshot\":null")]
    public void A_file_that_is_not_a_pending_apply_is_a_format_error(string json) =>
        Should.Throw<FormatException>(() => PendingApply.FromJson(json));
}
