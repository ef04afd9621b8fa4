using System.Globalization;
using NftKnock.Core.Model;
using NftKnock.Core.Ruleset.Model;

namespace NftKnock.Core.Ruleset;

/// <summary>
/// Time limits (<c>expires</c>, <c>days</c>, <c>hours</c>): a completed knock goes to a limit chain that
/// grants inside the limit and refuses outside it, so the kernel's clock holds the limit with nothing
/// running in user space.
/// </summary>
public static partial class Planner
{
    private static readonly string[] NftDays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

    /// <summary>Whether the door or any of its clients has a time limit.</summary>
    private static bool AnyLimit(Door door) =>
        !door.Limit.IsNone || door.Clients.Any(c => !door.LimitOf(c).IsNone);

    private static void LimitCounters(PlanContext ctx, Door door)
    {
        if (!AnyLimit(door))
        {
            return;
        }

        ctx.Add(new NftCounter(Names.Counter(door.Name, CounterKind.Outside)));
        foreach (var client in door.Clients.Where(c => !door.LimitOf(c).IsNone))
        {
            ctx.Add(new NftCounter(Names.Counter(door.Name, CounterKind.Outside, client.Name)) { Comment = client.Name });
        }
    }

    private static void LimitChains(PlanContext ctx, Door door, RotatingClient? client)
    {
        var limit = door.LimitOf(client);
        if (limit.IsNone)
        {
            return;
        }

        foreach (var family in Served(door))
        {
            ctx.Add(LimitChain(door, family, client, limit));
        }
    }

    private static ChainBuilder LimitChain(Door door, Families family, RotatingClient? client, TimeLimit limit)
    {
        var chain = new ChainBuilder(
            Names.Limit(door.Name, family, client?.Name),
            $"Grants only {limit.Describe()}. The kernel's clock is UTC: the windows below are that limit in UTC.");
        if (limit.HasWeek && limit.Offset != TimeSpan.Zero)
        {
            chain.Comment(string.Create(CultureInfo.InvariantCulture, $"{limit.Zone} is read as its standard time, UTC{(limit.Offset < TimeSpan.Zero ? "-" : "+")}{limit.Offset:hh\\:mm}, all year."));
        }

        var expires = limit.Expires is { } end
            ? string.Create(CultureInfo.InvariantCulture, $"meta time < {end.ToUnixTimeSeconds()} ")
            : string.Empty;
        var windows = limit.UtcWindows();
        if (windows.Count == 0)
        {
            chain.Rule($"{expires}{GrantNow(door, family, client)}");
        }

        foreach (var window in windows)
        {
            chain.Rule($"{expires}{Window(window)}{GrantNow(door, family, client)}");
        }

        var then = door.Log ? $"goto {Names.OutsideLog(door.Name, client?.Name)}" : Refusal(door);
        return chain
            .Comment("Outside the limit: refused like a wrong knock, and counted.")
            .Rule($"{Counted(door, CounterKind.Outside, client)} {then}");
    }

    /// <summary>
    /// A UTC window as nft matches: <c>meta hour</c> in seconds from midnight, which nft takes as UTC,
    /// where <c>"08:00"</c> would be read in the local time zone of whoever runs nft.
    /// </summary>
    private static string Window(UtcWindow window)
    {
        var days = window.EveryDay ? string.Empty : $"meta day {{ {string.Join(", ", window.Days.Select(d => $"\"{NftDays[(int)d]}\""))} }} ";
        var hours = window.WholeDay
            ? string.Empty
            : string.Create(CultureInfo.InvariantCulture, $"meta hour {window.From * 60}-{(window.To * 60) - 1} ");
        return days + hours;
    }
}
