using System.Text;
using System.Text.RegularExpressions;

namespace NftKnock.Core.Ruleset;

/// <summary>
/// The one gate for text from outside (a file name, a YAML value, an argument) on its way into an
/// nft script: names are validated against nftknock's grammar, free text is made harmless.
/// </summary>
public static partial class NftText
{
    /// <summary>
    /// Text for a <c>#</c> comment: nft ends a comment at a newline and reads what follows as
    /// commands, so everything but printable ASCII becomes <c>?</c> and the result is one line.
    /// </summary>
    public static string Comment(string text)
    {
        var line = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            line.Append(c is >= ' ' and <= '~' ? c : '?');
        }

        return line.ToString();
    }

    /// <summary>
    /// Text for inside a quoted nft string (a comment, a log prefix): what <see cref="Comment"/> keeps,
    /// without the quote and the backslash, so the string cannot end early.
    /// </summary>
    public static string Quoted(string text) => Comment(text).Replace('"', '?').Replace('\\', '?');

    /// <summary>True for a table name: a lowercase letter, then up to 31 lowercase letters, digits or underscores.</summary>
    public static bool IsTableName(string name) => TableName().IsMatch(name);

    /// <summary>True for a door name: a lowercase letter, then up to 15 lowercase letters, digits or underscores.</summary>
    public static bool IsDoorName(string name) => DoorName().IsMatch(name);

    /// <summary>True for a rotating door's client name: a lowercase letter, then up to 31 lowercase letters, digits, <c>_</c>, <c>.</c> or <c>-</c>.</summary>
    public static bool IsClientName(string name) => ClientName().IsMatch(name);

    // \z, not $: $ also matches before a final newline, which would let "ssh\n" through.
    [GeneratedRegex(@"^[a-z][a-z0-9_]{0,31}\z")]
    private static partial Regex TableName();

    [GeneratedRegex(@"^[a-z][a-z0-9_]{0,15}\z")]
    private static partial Regex DoorName();

    [GeneratedRegex(@"^[a-z][a-z0-9_.-]{0,31}\z")]
    private static partial Regex ClientName();
}
