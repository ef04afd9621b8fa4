using NftKnock.Core.Diagnostics;
using NftKnock.Core.Ruleset;
using NftKnock.Core.Yaml;

namespace NftKnock.Core.Config;

/// <summary>
/// Adds and removes a rotating door's clients in the operator's config text, line by line: every
/// other line, comment and blank stays as it was, so the file keeps its layout. Pure: text in, text out;
/// the caller validates the result with <see cref="ConfigReader"/> before writing it.
/// </summary>
public static class ClientsEdit
{
    /// <summary>What an edit gave: the new text, or why the config cannot be edited this way.</summary>
    /// <param name="Text">The edited config; null when refused.</param>
    /// <param name="Problem">Why not; null when edited.</param>
    /// <param name="Converted">
    /// True when the door's single <c>secret-file:</c> became a <c>clients:</c> list, its holder named after the door.
    /// </param>
    public sealed record Result(string? Text, Message? Problem, bool Converted = false);

    /// <summary>
    /// One client as a flow mapping on one line, from checked values: <paramref name="extras"/> are
    /// (key, YAML value) pairs that the caller composed with <see cref="Starter.Quote"/>.
    /// </summary>
    public static string Entry(string name, string secretFile, IReadOnlyList<(string Key, string Yaml)> extras) =>
        NftText.IsClientName(name)
            ? "{" + string.Join(", ", new[] { $"name: {name}", $"secret-file: {Starter.Quote(secretFile)}" }.Concat(extras.Select(e => $"{e.Key}: {e.Yaml}"))) + "}"
            : throw new ArgumentException($"'{name}' is not a client name; check it first.", nameof(name));

    /// <summary>Adds <paramref name="entry"/> (from <see cref="Entry"/>) as the last client of <paramref name="door"/>.</summary>
    public static Result Add(string text, string door, string entry)
    {
        if (Locate(text, door) is not { } found)
        {
            return new Result(null, Messages.CannotEditClients(door));
        }

        var lines = Lines(text);
        if (found.Clients is YamlSequence clients)
        {
            if (!IsBlock(lines, clients))
            {
                return new Result(null, Messages.CannotEditClients(door));
            }

            var last = clients.Items[^1];
            var dash = clients.Column - 1;
            var end = Extent(lines, last.Line - 1, dash);
            lines.Insert(end, new string(' ', dash) + "- " + entry);
            return new Result(Join(lines, text), null);
        }

        if (found.SecretFile is not { } key || found.SecretValue is not YamlScalar file)
        {
            return new Result(null, Messages.CannotEditClients(door));
        }

        var line = lines[key.Line - 1];
        var indent = key.Column - 1;
        if (line[..indent].Trim().Length != 0 || !line[indent..].StartsWith("secret-file:", StringComparison.Ordinal) || file.Line != key.Line)
        {
            return new Result(null, Messages.CannotEditClients(door));
        }

        var pad = new string(' ', indent);
        lines[key.Line - 1] = pad + "clients:";
        lines.Insert(key.Line, $"{pad}  - {Entry(door, file.Value, [])}");
        lines.Insert(key.Line + 1, $"{pad}  - {entry}");
        return new Result(Join(lines, text), null, Converted: true);
    }

    /// <summary>Removes the client named <paramref name="name"/> from <paramref name="door"/>'s list, with the lines its entry spans.</summary>
    public static Result Remove(string text, string door, string name)
    {
        if (Locate(text, door) is not { Clients: YamlSequence clients })
        {
            return new Result(null, Messages.CannotEditClients(door));
        }

        var lines = Lines(text);
        var item = clients.Items.FirstOrDefault(i => i is YamlMapping m && m.Entries.Any(e => e.Key.Value == "name" && e.Value is YamlScalar s && s.Value == name));
        if (item is null || !IsBlock(lines, clients))
        {
            return new Result(null, Messages.CannotEditClients(door));
        }

        if (clients.Items.Count == 1)
        {
            return new Result(null, Messages.LastClient(name, door));
        }

        // The item's node starts after its dash; the dash is on the same line in a block sequence.
        var start = item.Line - 1;
        var end = Extent(lines, start, clients.Column - 1);
        lines.RemoveRange(start, end - start);
        return new Result(Join(lines, text), null);
    }

    private sealed record Found(YamlNode? Clients, YamlScalar? SecretFile, YamlNode? SecretValue);

    private static Found? Locate(string text, string door)
    {
        YamlNode? root;
        try
        {
            root = YamlTree.Parse(text);
        }
        catch (YamlSyntaxException)
        {
            return null;
        }

        var body = Child(Child(root, "doors"), door);
        if (Child(body, "rotating") is not YamlMapping rotating)
        {
            return null;
        }

        var secret = rotating.Entries.FirstOrDefault(e => e.Key.Value == "secret-file");
        return new Found(Child(rotating, "clients"), secret.Key, secret.Value);
    }

    private static YamlNode? Child(YamlNode? node, string key) =>
        node is YamlMapping map ? map.Entries.FirstOrDefault(e => e.Key.Value == key).Value : null;

    /// <summary>A block sequence: every item starts on its own line after a dash in the list's column.</summary>
    private static bool IsBlock(List<string> lines, YamlSequence clients) =>
        clients.Items.Count > 0 && clients.Items.All(i =>
            i.Line - 1 < lines.Count && lines[i.Line - 1].Length > clients.Column - 1
            && lines[i.Line - 1][clients.Column - 1] == '-' && lines[i.Line - 1][..(clients.Column - 1)].Trim().Length == 0);

    /// <summary>The index after the last line of the item starting at <paramref name="start"/>: its lines are indented past the dash.</summary>
    private static int Extent(List<string> lines, int start, int dash)
    {
        var end = start + 1;
        while (end < lines.Count && lines[end].Trim().Length > 0 && Indent(lines[end]) > dash && !lines[end].TrimStart().StartsWith('#'))
        {
            end++;
        }

        return end;
    }

    private static int Indent(string line) => line.Length - line.TrimStart(' ').Length;

    private static List<string> Lines(string text) => [.. text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n')];

    private static string Join(List<string> lines, string original) =>
        string.Join(original.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n", lines);
}
