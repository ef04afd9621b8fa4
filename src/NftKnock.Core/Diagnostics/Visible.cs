using System.Globalization;
using System.Text;

namespace NftKnock.Core.Diagnostics;

/// <summary>
/// Makes text from a file or an argument safe to print on a terminal: control characters
/// (an escape that recolours the terminal, retitles it or moves the cursor), and bidirectional
/// overrides that reorder what the reader sees, are shown as escapes like <c>\x1b</c> instead.
/// </summary>
public static class Visible
{
    /// <summary><paramref name="text"/> with every control or reordering character written as an escape.</summary>
    public static string Escape(string text)
    {
        var i = 0;
        while (i < text.Length && !Hidden(text[i]))
        {
            i++;
        }

        if (i == text.Length)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 8).Append(text, 0, i);
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (!Hidden(c))
            {
                builder.Append(c);
            }
            else if (c <= '\u00ff')
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
            }
            else
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
        }

        return builder.ToString();
    }

    // C0 (tab and newline included: a diagnostic is one line), DEL, C1, and the bidi marks,
    // embeddings, overrides and isolates.
    private static bool Hidden(char c) =>
        c < ' ' || c is >= '\u007f' and <= '\u009f' or >= '\u202a' and <= '\u202e' or >= '\u2066' and <= '\u2069' or '\u200e' or '\u200f' or '\u061c';
}
