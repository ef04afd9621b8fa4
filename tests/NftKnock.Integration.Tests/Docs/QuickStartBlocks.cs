namespace NftKnock.Integration.Tests.Docs;

/// <summary>One command of a quick start: where it is written, and whether it runs on the server.</summary>
/// <param name="File">The document, relative to the repository.</param>
/// <param name="Line">The command's first line in the document (1-based).</param>
/// <param name="Text">The command as written, continuation lines joined.</param>
public sealed record QuickStartCommand(string File, int Line, string Text)
{
    /// <summary>Commands that start with sudo are the server's; the others are typed on the client.</summary>
    public bool OnServer => Text.StartsWith("sudo ", StringComparison.Ordinal);

    /// <inheritdoc/>
    public override string ToString() => $"{File}:{Line}: {Text}";
}

/// <summary>
/// The commands of the fenced blocks a document marks for the quick-start test: blocks opened with
/// <c>```sh quickstart</c> (indented or not), read in document order. Blank lines and comment lines
/// are skipped, and a line ending in a backslash continues on the next.
/// </summary>
public static class QuickStartBlocks
{
    /// <summary>The opening fence's info string that marks a block for the test.</summary>
    public const string Marker = "sh quickstart";

    /// <summary>The marked commands of <paramref name="text"/>, which was read from <paramref name="file"/>.</summary>
    public static IReadOnlyList<QuickStartCommand> Read(string file, string text)
    {
        var commands = new List<QuickStartCommand>();
        var lines = text.Split('\n');
        string? indent = null;
        string? pending = null;
        var pendingLine = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (indent is null)
            {
                var trimmed = line.TrimStart(' ');
                if (trimmed.TrimEnd() == "```" + Marker)
                {
                    indent = line[..(line.Length - trimmed.Length)];
                }

                continue;
            }

            if (line.Trim() == "```")
            {
                indent = null;
                continue;
            }

            var command = line.StartsWith(indent, StringComparison.Ordinal) ? line[indent.Length..] : line.TrimStart();
            if (pending is null && (command.Trim().Length == 0 || command.TrimStart().StartsWith('#')))
            {
                continue;
            }

            if (pending is null)
            {
                pendingLine = i + 1;
            }

            pending = pending is null ? command : $"{pending}\n{command}";
            if (!command.EndsWith('\\'))
            {
                commands.Add(new QuickStartCommand(file, pendingLine, pending));
                pending = null;
            }
        }

        return commands;
    }
}
