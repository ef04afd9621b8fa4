using NftKnock.Server.Metrics;

namespace NftKnock.Server.Tests.Metrics;

public sealed class TextfileTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("nkobs-textfile-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void The_textfile_replaces_nftknock_prom_and_leaves_no_temporary_file()
    {
        File.WriteAllText(Path.Combine(directory, "nftknock.prom"), "old\n");
        File.WriteAllText(Path.Combine(directory, "other.prom"), "theirs\n");

        var path = Textfile.Write(directory, "nftknock_table_present{table=\"nftknock\"} 1\n");

        path.ShouldBe(Path.Combine(directory, "nftknock.prom"));
        File.ReadAllText(path).ShouldBe("nftknock_table_present{table=\"nftknock\"} 1\n");
        Directory.GetFiles(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ShouldBe(["nftknock.prom", "other.prom"]);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_textfile_is_readable_by_node_exporter()
    {
        var path = Textfile.Write(directory, "x 1\n");

        File.GetUnixFileMode(path).ShouldBe((UnixFileMode)Convert.ToInt32("644", 8));
    }

    [Fact]
    public void A_rename_replaces_the_file_whole_so_a_reader_that_opened_the_old_one_still_reads_it_whole()
    {
        var path = Textfile.Write(directory, "old 1\n");
        using var reader = new StreamReader(path);

        Textfile.Write(directory, "new 2\n");

        reader.ReadToEnd().ShouldBe("old 1\n");
        File.ReadAllText(path).ShouldBe("new 2\n");
    }

    [Fact]
    public void A_missing_directory_fails_without_leaving_anything()
    {
        var missing = Path.Combine(directory, "missing");

        Should.Throw<DirectoryNotFoundException>(() => Textfile.Write(missing, "x 1\n"));
        Directory.Exists(missing).ShouldBeFalse();
    }
}
