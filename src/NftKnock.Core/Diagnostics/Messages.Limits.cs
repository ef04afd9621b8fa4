namespace NftKnock.Core.Diagnostics;

/// <summary>The sentences of time limits: expires, days, hours and timezone (NK230 to NK235).</summary>
public static partial class Messages
{
    /// <summary>An expires value that is not a date or date-time.</summary>
    public static Message BadExpires(string value) =>
        new("NK230", $"expires '{value}' is not a date. Write 2027-01-31 (midnight UTC), 2027-01-31T18:00 (UTC) or 2027-01-31T18:00+01:00 (that offset).");

    /// <summary>Warning: an expires date that has passed, so the door or client gets no more grants.</summary>
    public static Message Expired(string value) =>
        new("NK231", $"expires {value} has passed: no knock is granted any more. Remove the entry, or move expires: to a later date if access should go on.");

    /// <summary>A day name that is not one.</summary>
    public static Message BadDay(string value) =>
        new("NK232", $"'{value}' is not a day. Use mon, tue, wed, thu, fri, sat or sun, like days: [mon, tue, wed, thu, fri].");

    /// <summary>An empty day list: nobody could ever knock.</summary>
    public static Message NoDays() =>
        new("NK233", "days: is empty, so no knock could ever be granted. List the days that knocks may open the door on, like [mon, tue, wed, thu, fri], or remove days: for every day.");

    /// <summary>An hours value that is not a span of the day.</summary>
    public static Message BadHours(string value) =>
        new("NK234", $"hours '{value}' is not a span of the day. Write FROM-TO on the 24-hour clock with two different times, like 08:00-18:00; 22:00-06:00 crosses midnight.");

    /// <summary>A timezone the system does not know, or one without days or hours to apply to.</summary>
    public static Message BadTimezone(string value) =>
        new("NK235", $"timezone '{value}' is not a time zone this system knows. Use an IANA name like Europe/Berlin, or UTC (the default).");
}
