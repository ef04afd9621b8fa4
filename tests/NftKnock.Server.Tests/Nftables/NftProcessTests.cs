using System.Text;
using NftKnock.Server.Nftables;
using NftKnock.Server.Tables;

namespace NftKnock.Server.Tests.Nftables;

/// <summary>
/// How the real backend reads a listing, with a shell script standing in for nft: the listing is read
/// as soon as nft has printed it, but only kept when nft then succeeds.
/// </summary>
public sealed class NftProcessTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("nftknock-nftprocess-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task A_listing_printed_as_one_line_reads_as_the_reader_reads_it()
    {
        var listing = Fixture.Read("two-doors-live.json").TrimEnd('\n');
        var nft = Script($"cat '{Save("listing.json", listing + "\n")}'");

        var reading = await new TableService(nft).ReadAsync("nftknock");

        Same(reading.ShouldNotBeNull(), NftJson.ReadTable(listing));
    }

    [Fact]
    public async Task A_listing_whose_first_part_ends_a_line_is_read_whole()
    {
        // The first write ends with a newline mid-document: reading it early fails, reading it whole does not.
        var listing = Fixture.Read("two-doors-live.json").TrimEnd('\n');
        var cut = listing.IndexOf("}, {", StringComparison.Ordinal) + 3;
        var first = Save("first.json", listing[..cut] + "\n");
        var rest = Save("rest.json", listing[cut..] + "\n");
        var nft = Script($"cat '{first}'; sleep 0.3; cat '{rest}'");

        var reading = await new TableService(nft).ReadAsync("nftknock");

        Same(reading.ShouldNotBeNull(), NftJson.ReadTable(listing));
    }

    [Fact]
    public async Task A_listing_printed_before_nft_fails_is_not_kept()
    {
        var listing = Save("listing.json", Fixture.Read("two-doors-live.json").TrimEnd('\n') + "\n");
        var nft = Script($"cat '{listing}'; sleep 0.2; echo 'Error: Operation not permitted' >&2; exit 1");

        var failure = await Should.ThrowAsync<NftException>(() => new TableService(nft).ReadAsync("nftknock"));

        failure.Kind.ShouldBe(NftFailureKind.PermissionDenied);
    }

    [Fact]
    public async Task A_missing_table_reads_as_none()
    {
        var nft = Script("echo 'Error: No such file or directory' >&2; exit 1");

        (await new TableService(nft).ReadAsync("nftknock")).ShouldBeNull();
    }

    [Fact]
    public async Task A_broken_listing_from_a_successful_nft_is_an_error()
    {
        var nft = Script("echo '{\"nftables\": [{\"table\": '");

        await Should.ThrowAsync<FormatException>(() => new TableService(nft).ReadAsync("nftknock"));
    }

    private static void Same(TableReading actual, TableReading expected)
    {
        actual.Name.ShouldBe(expected.Name);
        actual.SetState.Keys.Order(StringComparer.Ordinal).ShouldBe(expected.SetState.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, set) in expected.SetState)
        {
            actual.SetState[name].Elements.ShouldBe(set.Elements);
        }

        actual.CounterState.Count.ShouldBe(expected.CounterState.Count);
    }

    private string Save(string name, string text)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    private NftProcess Script(string body)
    {
        var path = Save("nft", $"#!/bin/sh\n{body}\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return new NftProcess(path);
    }
}
