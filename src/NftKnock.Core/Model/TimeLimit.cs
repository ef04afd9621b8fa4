using System.Globalization;

namespace NftKnock.Core.Model;

/// <summary>
/// When a door or a client may be granted: until <see cref="Expires"/>, on <see cref="Days"/>, during
/// <see cref="Hours"/> of <see cref="Zone"/>'s standard time. The kernel checks it on each grant.
/// </summary>
public sealed record TimeLimit
{
    /// <summary>No limit: grants at any time.</summary>
    public static TimeLimit None { get; } = new();

    /// <summary>The instant from which no more grants are made, or null.</summary>
    public DateTimeOffset? Expires { get; init; }

    /// <summary>The days (in <see cref="Zone"/>) that grants are made on; empty for every day.</summary>
    public IReadOnlyList<DayOfWeek> Days { get; init; } = [];

    /// <summary>The hours (in <see cref="Zone"/>) that grants are made in, or null for the whole day.</summary>
    public HourRange? Hours { get; init; }

    /// <summary>The time zone that <see cref="Days"/> and <see cref="Hours"/> are read in, as the config names it.</summary>
    public string Zone { get; init; } = "UTC";

    /// <summary>
    /// The zone's standard offset from UTC, which the kernel's rules are written with all year: the
    /// kernel has no time zone database, so daylight saving time does not move them.
    /// </summary>
    public TimeSpan Offset { get; init; }

    /// <summary>True when grants are made at any time.</summary>
    public bool IsNone => Expires is null && Days.Count == 0 && Hours is null;

    /// <summary>True when days or hours are limited (not only the end date).</summary>
    public bool HasWeek => Days.Count > 0 || Hours is not null;

    /// <summary>
    /// The limit's days and hours as UTC windows, the way the kernel checks them (<c>meta day</c> and
    /// <c>meta hour</c> are UTC): a window that crosses midnight in UTC becomes two, one on each side.
    /// Empty when only the end date is limited.
    /// </summary>
    public IReadOnlyList<UtcWindow> UtcWindows()
    {
        if (!HasWeek)
        {
            return [];
        }

        const int Day = 1440, Week = 7 * Day;
        var days = Days.Count > 0 ? Days : Enum.GetValues<DayOfWeek>();
        var from = Hours?.From ?? 0;
        var length = Hours?.Length ?? Day;
        var pieces = new List<(DayOfWeek Day, int From, int To)>();
        foreach (var day in days.Distinct())
        {
            var start = ((((int)day * Day) + from - (int)Offset.TotalMinutes) % Week + Week) % Week;
            var end = start + length;
            while (start < end)
            {
                var dayEnd = ((start / Day) + 1) * Day;
                var cut = Math.Min(end, dayEnd);
                pieces.Add(((DayOfWeek)(start / Day % 7), start % Day, cut - (dayEnd - Day)));
                start = cut;
            }
        }

        return pieces
            .GroupBy(p => (p.From, p.To))
            .OrderBy(g => g.Key.From).ThenBy(g => g.Key.To)
            .Select(g => new UtcWindow([.. g.Select(p => p.Day).Distinct().Order()], g.Key.From, g.Key.To))
            .ToList();
    }

    /// <summary>The limit in words for comments and status: <c>mon-fri 08:00-18:00 Europe/Berlin until 2027-01-31 00:00 UTC</c>.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (Days.Count > 0)
        {
            parts.Add(string.Join(",", Days.Select(DayNames.Short)));
        }

        if (Hours is { } hours)
        {
            parts.Add(hours.ToString());
        }

        if (HasWeek)
        {
            parts.Add(Zone);
        }

        if (Expires is { } expires)
        {
            parts.Add("until " + expires.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC");
        }

        return string.Join(" ", parts);
    }
}

/// <summary>A span of the day in minutes from midnight: from <see cref="From"/> up to <see cref="To"/>, which is earlier when the span crosses midnight.</summary>
public readonly record struct HourRange(int From, int To)
{
    /// <summary>How many minutes the span lasts.</summary>
    public int Length => To > From ? To - From : To + 1440 - From;

    /// <inheritdoc/>
    public override string ToString() => $"{Clock(From)}-{Clock(To)}";

    /// <summary>Parses <c>HH:MM-HH:MM</c> (24-hour clock, <c>24:00</c> as an end); the two times must differ.</summary>
    public static bool TryParse(string text, out HourRange range)
    {
        range = default;
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0 || !TryClock(text[..dash].Trim(), out var from) || !TryClock(text[(dash + 1)..].Trim(), out var to)
            || from == 1440 || from == to % 1440)
        {
            return false;
        }

        range = new HourRange(from, to == 1440 && from == 0 ? 1440 : to % 1440);
        return true;
    }

    private static bool TryClock(string text, out int minutes)
    {
        minutes = 0;
        if (text.Length != 5 || text[2] != ':'
            || !int.TryParse(text.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            || !int.TryParse(text.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            || m > 59 || h > 24 || (h == 24 && m != 0))
        {
            return false;
        }

        minutes = (h * 60) + m;
        return true;
    }

    private static string Clock(int minutes) =>
        string.Create(CultureInfo.InvariantCulture, $"{minutes / 60:00}:{minutes % 60:00}");
}

/// <summary>One UTC window of a limit: on <see cref="Days"/>, from minute <see cref="From"/> of the day up to minute <see cref="To"/> (at most 1440).</summary>
public sealed record UtcWindow(IReadOnlyList<DayOfWeek> Days, int From, int To)
{
    /// <summary>True when the window holds every day of the week.</summary>
    public bool EveryDay => Days.Count == 7;

    /// <summary>True when the window lasts the whole day.</summary>
    public bool WholeDay => From == 0 && To == 1440;
}

/// <summary>Day names as configs write them: <c>mon</c> to <c>sun</c>.</summary>
public static class DayNames
{
    private static readonly string[] Shorts = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    /// <summary>The three-letter name: <c>mon</c>.</summary>
    public static string Short(DayOfWeek day) => Shorts[(int)day];

    /// <summary>Parses <c>mon</c> to <c>sun</c> or the full English name, any case.</summary>
    public static bool TryParse(string text, out DayOfWeek day)
    {
        var lower = text.Trim().ToLowerInvariant();
        var i = Array.FindIndex(Enum.GetNames<DayOfWeek>(), full => lower == full.ToLowerInvariant() || lower == full[..3].ToLowerInvariant());
        day = i < 0 ? default : (DayOfWeek)i;
        return i >= 0;
    }
}
