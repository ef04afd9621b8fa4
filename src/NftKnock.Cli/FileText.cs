namespace NftKnock.Cli;

/// <summary>Reads the files that commands are pointed at, turning failures into words for a one-line error.</summary>
internal static class FileText
{
    /// <summary>Reads <paramref name="path"/>; false with <paramref name="reason"/> when it cannot.</summary>
    public static bool TryRead(string path, out string text, out string reason)
    {
        try
        {
            text = File.ReadAllText(path);
            reason = string.Empty;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            text = string.Empty;
            reason = e switch
            {
                FileNotFoundException or DirectoryNotFoundException => "the file does not exist",
                UnauthorizedAccessException => "permission denied",
                _ => e.Message,
            };
            return false;
        }
    }
}
