using System.Globalization;
using System.Text;

namespace NftKnock.Server.Safety;

/// <summary>Durations as nft lists them in set elements: <c>1h2m3s4ms</c>, also with days.</summary>
public static class NftDuration
{
    /// <summary>Parses a run of number-unit pairs (d, h, m, s, ms).</summary>
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        long ms = 0;
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            if (i == start || !long.TryParse(text.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                return false;
            }

            long unit;
            if (text.AsSpan(i).StartsWith("ms", StringComparison.Ordinal))
            {
                unit = 1;
                i += 2;
            }
            else if (i < text.Length && text[i] is 'd' or 'h' or 'm' or 's')
            {
                unit = text[i] switch { 'd' => 86_400_000, 'h' => 3_600_000, 'm' => 60_000, _ => 1000 };
                i++;
            }
            else
            {
                return false;
            }

            ms += n * unit;
        }

        value = TimeSpan.FromMilliseconds(ms);
        return text.Length > 0;
    }

    /// <summary>Formats as nft does (<c>59m58s984ms</c>); zero and less become the shortest time nft accepts, 1ms.</summary>
    public static string Format(TimeSpan value)
    {
        var ms = Math.Max(1, (long)value.TotalMilliseconds);
        var text = new StringBuilder();
        foreach (var (unit, suffix) in Units)
        {
            if (ms >= unit)
            {
                text.Append((ms / unit).ToString(CultureInfo.InvariantCulture)).Append(suffix);
                ms %= unit;
            }
        }

        return text.ToString();
    }

    private static readonly (long Unit, string Suffix)[] Units =
        [(86_400_000, "d"), (3_600_000, "h"), (60_000, "m"), (1000, "s"), (1, "ms")];
}
