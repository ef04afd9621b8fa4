using System.Globalization;
using NftKnock.Core.Diagnostics;
using NftKnock.Core.Model;
using NftKnock.Core.Yaml;

namespace NftKnock.Core.Config;

/// <summary>Reads a time limit (<c>expires</c>, <c>days</c>, <c>hours</c>, <c>timezone</c>), the same keys on a door and on a client.</summary>
internal static class LimitReader
{
    /// <summary>The keys of a time limit, part of a door's keys and a client's.</summary>
    public static readonly string[] Keys = ["expires", "days", "hours", "timezone"];

    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss",
        "yyyy-MM-dd'T'HH:mmzzz", "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'",
    ];

    /// <summary>The limit under <paramref name="view"/>, or null when it has none of the keys.</summary>
    public static TimeLimit? Read(MappingView view, ReadContext context)
    {
        if (!Keys.Any(k => view.Get(k) is not null))
        {
            return null;
        }

        var zone = Zone(view, context.Bag);
        return new TimeLimit
        {
            Expires = Expires(view, context),
            Days = Days(view, context.Bag),
            Hours = view.Parsed<HourRange>("hours", HourRange.TryParse, Messages.BadHours),
            Zone = zone?.Id ?? "UTC",
            Offset = zone?.BaseUtcOffset ?? TimeSpan.Zero,
        };
    }

    private static DateTimeOffset? Expires(MappingView view, ReadContext context)
    {
        if (view.Scalar("expires") is not { } node)
        {
            return null;
        }

        if (!DateTimeOffset.TryParseExact(
                node.Value.Trim(), DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var expires))
        {
            context.Bag.Error(Messages.BadExpires(node.Value), view.Child("expires"), node);
            return null;
        }

        if (context.Now is { } now && expires <= now)
        {
            context.Bag.Warning(Messages.Expired(node.Value), view.Child("expires"), node);
        }

        return expires;
    }

    private static List<DayOfWeek> Days(MappingView view, DiagnosticBag bag)
    {
        var days = new List<DayOfWeek>();
        if (view.ScalarList("days") is not { } list)
        {
            return days;
        }

        if (list.Count == 0)
        {
            bag.Error(Messages.NoDays(), view.Child("days"), view.Get("days"));
        }

        foreach (var item in list)
        {
            if (DayNames.TryParse(item.Value, out var day))
            {
                days.Add(day);
            }
            else
            {
                bag.Error(Messages.BadDay(item.Value), view.Child("days"), item);
            }
        }

        return [.. days.Distinct().Order()];
    }

    private static TimeZoneInfo? Zone(MappingView view, DiagnosticBag bag)
    {
        if (view.Scalar("timezone") is not { } node)
        {
            return null;
        }

        if (TimeZoneInfo.TryFindSystemTimeZoneById(node.Value.Trim(), out var zone))
        {
            return zone;
        }

        bag.Error(Messages.BadTimezone(node.Value), view.Child("timezone"), node);
        return null;
    }
}
