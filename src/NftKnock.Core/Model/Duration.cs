using System.Globalization;

namespace NftKnock.Core.Model;

/// <summary>Durations as configs write them: <c>500ms</c>, <c>2s</c>, <c>1m</c>, <c>1h</c>.</summary>
public static class Duration
{
    /// <summary>
    /// Parses a whole number followed by ms, s, m or h. A duration longer than a
    /// <see cref="TimeSpan"/> holds parses as <see cref="TimeSpan.MaxValue"/>, which every key's
    /// range check rejects with its own range, so "999999999h" is out of range, not a crash.
    /// </summary>
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        text = text.Trim();
        var digits = 0;
        while (digits < text.Length && char.IsAsciiDigit(text[digits]))
        {
            digits++;
        }

        if (digits == 0)
        {
            return false;
        }

        // More than nine significant digits is longer than any key allows; they are not multiplied at all.
        var number = text.AsSpan(0, digits).TrimStart('0');
        var saturated = number.Length > 9;
        var n = saturated || number.IsEmpty ? 0 : long.Parse(number, NumberStyles.None, CultureInfo.InvariantCulture);

        long? ms = text[digits..] switch
        {
            "ms" => n,
            "s" => n * 1000,
            "m" => n * 60_000,
            "h" => n * 3_600_000,
            _ => null,
        };
        if (ms is null)
        {
            return false;
        }

        // At most nine digits times 3.6 million fits a long with room to spare; only the TimeSpan can overflow.
        value = saturated || ms.Value > (long)TimeSpan.MaxValue.TotalMilliseconds ? TimeSpan.MaxValue : TimeSpan.FromMilliseconds(ms.Value);
        return true;
    }

    /// <summary>Formats in the largest unit that is exact, the same notation nft accepts.</summary>
    public static string Format(TimeSpan value)
    {
        var ms = (long)value.TotalMilliseconds;
        return ms switch
        {
            0 => "0s",
            _ when ms % 3_600_000 == 0 => string.Create(CultureInfo.InvariantCulture, $"{ms / 3_600_000}h"),
            _ when ms % 60_000 == 0 => string.Create(CultureInfo.InvariantCulture, $"{ms / 60_000}m"),
            _ when ms % 1000 == 0 => string.Create(CultureInfo.InvariantCulture, $"{ms / 1000}s"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{ms}ms"),
        };
    }
}
