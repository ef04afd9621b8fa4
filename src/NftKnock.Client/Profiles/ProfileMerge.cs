using NftKnock.Core.Links;
using NftKnock.Core.Rotating;
using NftKnock.Core.Yaml;

namespace NftKnock.Client.Profiles;

/// <summary>
/// Writes a link's host into a profiles file's text, line by line: other hosts, comments and blank
/// lines stay as they were. Pure: text in, text out.
/// </summary>
public static class ProfileMerge
{
    /// <summary>What the merge did.</summary>
    public enum Outcome
    {
        /// <summary>The host was not there: its entry was added.</summary>
        Added,

        /// <summary>The host's entry was replaced (same secret and door, or <c>--replace</c>).</summary>
        Replaced,

        /// <summary>The file already holds exactly this entry.</summary>
        Unchanged,

        /// <summary>Refused: the host has a different secret or door, and replacing was not asked for.</summary>
        DifferentSecret,

        /// <summary>Refused: the file is not laid out so that one entry can be changed line by line.</summary>
        CannotEdit,
    }

    /// <summary>The merged text (null when refused) and what happened.</summary>
    public sealed record Result(string? Text, Outcome Outcome);

    /// <summary>Merges <paramref name="link"/>'s host into <paramref name="text"/> (null or empty for a new file).</summary>
    public static Result Merge(string? text, ClientLink link, bool replace)
    {
        var entry = LinkProfile.Entry(link);
        if (string.IsNullOrWhiteSpace(text))
        {
            return new Result(LinkProfile.File(link), Outcome.Added);
        }

        if (EditableHosts(text) is not { } hosts)
        {
            return new Result(null, Outcome.CannotEdit);
        }

        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n').ToList();
        var existing = hosts.Value is YamlMapping hostMap
            ? hostMap.Entries.FirstOrDefault(e => string.Equals(e.Key.Value, link.Host, StringComparison.OrdinalIgnoreCase))
            : default;
        var indent = hosts.Value is YamlMapping { Entries.Count: > 0 } some ? some.Entries[0].Key.Column - 1 : 2;
        var shifted = Shift(entry, indent - 2);
        if (existing.Key is null)
        {
            lines.AddRange(shifted);
            return new Result(string.Join('\n', lines) + "\n", Outcome.Added);
        }

        var start = existing.Key.Line - 1;
        var end = Extent(lines, start, existing.Key.Column - 1);
        var body = shifted.Where(l => !l.TrimStart().StartsWith('#')).ToList();
        if (lines.GetRange(start, end - start).SequenceEqual(body))
        {
            return new Result(text, Outcome.Unchanged);
        }

        if (!replace && !SameSecret(existing.Value, link))
        {
            return new Result(null, Outcome.DifferentSecret);
        }

        lines.RemoveRange(start, end - start);
        lines.InsertRange(start, body);
        return new Result(string.Join('\n', lines) + "\n", Outcome.Replaced);
    }

    /// <summary>
    /// The file's one top-level <c>hosts:</c> entry, with its hosts on lines of their own below it (or
    /// none yet); null when the file is not laid out so that one host can be changed line by line.
    /// </summary>
    private static KeyValuePair<YamlScalar, YamlNode>? EditableHosts(string text)
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

        if (root is not YamlMapping { Entries.Count: 1 } map)
        {
            return null;
        }

        var hosts = map.Entries[0];
        return hosts.Key.Value == "hosts"
            && (hosts.Value is YamlScalar { Value: "" } || (hosts.Value is YamlMapping && hosts.Value.Line != hosts.Key.Line))
            ? hosts
            : null;
    }

    /// <summary>True when the host's profile holds the link's door and secret inline (a static door: its sequence).</summary>
    private static bool SameSecret(YamlNode host, ClientLink link)
    {
        var rotating = Child(host, "rotating");
        if (link.Secret is { } secret)
        {
            return Child(rotating, "door") is YamlScalar door && door.Value == link.Door
                && Child(rotating, "secret") is YamlScalar text
                && RotatingSecret.TryParse(text.Value, out var held) == RotatingSecret.Problem.None && held.AsSpan().SequenceEqual(secret);
        }

        return rotating is null && Child(host, "sequence") is YamlSequence steps
            && steps.Items.OfType<YamlScalar>().Select(s => s.Value).SequenceEqual(link.Sequence!.Select(s => s.ToString()));
    }

    private static YamlNode? Child(YamlNode? node, string key) =>
        node is YamlMapping map ? map.Entries.FirstOrDefault(e => e.Key.Value == key).Value : null;

    private static List<string> Shift(string entry, int by) =>
        entry.TrimEnd('\n').Split('\n').Select(l => by >= 0 ? new string(' ', by) + l : l[Math.Min(-by, l.Length - l.TrimStart(' ').Length)..]).ToList();

    /// <summary>The index after the entry's last line: its lines are indented past its key.</summary>
    private static int Extent(List<string> lines, int start, int column)
    {
        var end = start + 1;
        while (end < lines.Count && lines[end].Trim().Length > 0 && lines[end].Length - lines[end].TrimStart(' ').Length > column)
        {
            end++;
        }

        return end;
    }
}
