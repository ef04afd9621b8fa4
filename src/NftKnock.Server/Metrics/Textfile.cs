using System.Text;

namespace NftKnock.Server.Metrics;

/// <summary>
/// Writes metrics for node_exporter's textfile collector: into a temporary file in the same
/// directory, flushed to disk, then renamed over <c>nftknock.prom</c>, so a scrape reads the old
/// file or the new one, never half of one. The temporary name does not end in <c>.prom</c>, so the
/// collector never reads it.
/// </summary>
public static class Textfile
{
    /// <summary>The file name in the collector's directory.</summary>
    public const string FileName = "nftknock.prom";

    private const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Replaces <paramref name="directory"/>/nftknock.prom with <paramref name="text"/>; returns the path.</summary>
    /// <exception cref="IOException">The directory is missing or the file cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory is not writable.</exception>
    public static string Write(string directory, string text)
    {
        var target = Path.Combine(directory, FileName);
        // CreateNew (O_EXCL) with a random name: never follows a link someone left at the temporary path.
        var temporary = Path.Combine(directory, $"{FileName}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = Readable;
            }

            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(Encoding.UTF8.GetBytes(text));
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, target, overwrite: true);
            return target;
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing was created, or it cannot be removed either: the write's own error says why.
        }
    }
}
