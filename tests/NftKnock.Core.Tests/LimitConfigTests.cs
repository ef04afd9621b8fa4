using NftKnock.Core.Config;
using NftKnock.Core.Model;

namespace NftKnock.Core.Tests;

/// <summary>Time limits on doors and rotating clients: what is read, the UTC windows the kernel gets, and every sentence about them.</summary>
public sealed class LimitConfigTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    private static string Door(string extra) =>
        $"doors:\n  ssh:\n    protect: [22/tcp]\n    sequence: [17000/udp, 8000/tcp, 29000/udp]\n{extra}";

    private static IEnumerable<string> Lines(string yaml) =>
        ConfigReader.Read(yaml, null, Now).Diagnostics.Select(d => d.Format("c.yaml"));

    private static TimeLimit Limit(string extra) => ConfigReader.Read(Door(extra), null, Now).Config!.Doors[0].Limit;

    [Fact]
    public void A_door_without_limit_keys_grants_at_any_time() =>
        Limit(string.Empty).IsNone.ShouldBeTrue();

    [Fact]
    public void Days_hours_timezone_and_expires_are_read()
    {
        var limit = Limit("    days: [mon, Tuesday, fri]\n    hours: 08:00-18:00\n    timezone: Europe/Berlin\n    expires: 2027-01-31T18:00+01:00\n");

        limit.Days.ShouldBe([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Friday]);
        limit.Hours.ShouldBe(new HourRange(480, 1080));
        limit.Zone.ShouldBe("Europe/Berlin");
        limit.Offset.ShouldBe(TimeSpan.FromHours(1));
        limit.Expires.ShouldBe(new DateTimeOffset(2027, 1, 31, 17, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void An_expires_date_without_an_offset_is_midnight_utc() =>
        Limit("    expires: 2027-01-31\n").Expires.ShouldBe(new DateTimeOffset(2027, 1, 31, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Hours_east_of_utc_move_earlier_on_the_same_days()
    {
        var windows = Limit("    days: [mon, fri]\n    hours: 08:00-18:00\n    timezone: Europe/Berlin\n").UtcWindows();

        windows.Count.ShouldBe(1);
        windows[0].Days.ShouldBe([DayOfWeek.Monday, DayOfWeek.Friday]);
        (windows[0].From, windows[0].To).ShouldBe((420, 1020));
    }

    [Fact]
    public void Hours_that_cross_utc_midnight_become_two_windows_on_the_right_days()
    {
        // 17:00-20:00 in New York (UTC-5 standard time) is 22:00-01:00 UTC: Monday's evening ends on Tuesday in UTC.
        var windows = Limit("    days: [mon]\n    hours: 17:00-20:00\n    timezone: America/New_York\n").UtcWindows();

        windows.Select(w => (w.Days.Single(), w.From, w.To)).ShouldBe([(DayOfWeek.Tuesday, 0, 60), (DayOfWeek.Monday, 1320, 1440)]);
    }

    [Fact]
    public void A_night_shift_crosses_midnight_into_the_next_day()
    {
        var windows = Limit("    days: [fri]\n    hours: 22:00-06:00\n").UtcWindows();

        windows.Select(w => (w.Days.Single(), w.From, w.To)).ShouldBe([(DayOfWeek.Saturday, 0, 360), (DayOfWeek.Friday, 1320, 1440)]);
    }

    [Fact]
    public void Hours_on_every_day_need_no_day_match_and_days_alone_no_hour_match()
    {
        var hours = Limit("    hours: 08:00-18:00\n").UtcWindows().Single();
        hours.EveryDay.ShouldBeTrue();
        hours.WholeDay.ShouldBeFalse();

        var days = Limit("    days: [sat, sun]\n").UtcWindows().Single();
        days.WholeDay.ShouldBeTrue();
        days.Days.ShouldBe([DayOfWeek.Sunday, DayOfWeek.Saturday]);
    }

    [Fact]
    public void A_client_limit_replaces_the_door_s_and_a_client_without_one_keeps_the_door_s()
    {
        var door = ConfigReader.Read("""
            doors:
              ssh:
                protect: [22/tcp]
                hours: 08:00-18:00
                rotating:
                  clients:
                    - {name: alice, secret-file: /etc/alice.secret, expires: 2027-01-01}
                    - {name: bob, secret-file: /etc/bob.secret}
            """, null, Now).Config!.Doors[0];

        door.LimitOf(door.Clients[0]).Hours.ShouldBeNull();
        door.LimitOf(door.Clients[0]).Expires.ShouldNotBeNull();
        door.LimitOf(door.Clients[1]).Hours.ShouldBe(new HourRange(480, 1080));
    }

    [Theory]
    [InlineData("    expires: 31.01.2027\n", "c.yaml:5:14: error NK230 at doors.ssh.expires: expires '31.01.2027' is not a date. Write 2027-01-31 (midnight UTC), 2027-01-31T18:00 (UTC) or 2027-01-31T18:00+01:00 (that offset).")]
    [InlineData("    expires: 2026-01-31\n", "c.yaml:5:14: warning NK231 at doors.ssh.expires: expires 2026-01-31 has passed: no knock is granted any more. Remove the entry, or move expires: to a later date if access should go on.")]
    [InlineData("    days: [mon, funday]\n", "c.yaml:5:17: error NK232 at doors.ssh.days: 'funday' is not a day. Use mon, tue, wed, thu, fri, sat or sun, like days: [mon, tue, wed, thu, fri].")]
    [InlineData("    days: []\n", "c.yaml:5:11: error NK233 at doors.ssh.days: days: is empty, so no knock could ever be granted. List the days that knocks may open the door on, like [mon, tue, wed, thu, fri], or remove days: for every day.")]
    [InlineData("    hours: 08:00-08:00\n", "c.yaml:5:12: error NK234 at doors.ssh.hours: hours '08:00-08:00' is not a span of the day. Write FROM-TO on the 24-hour clock with two different times, like 08:00-18:00; 22:00-06:00 crosses midnight.")]
    [InlineData("    hours: 8-18\n", "c.yaml:5:12: error NK234 at doors.ssh.hours: hours '8-18' is not a span of the day. Write FROM-TO on the 24-hour clock with two different times, like 08:00-18:00; 22:00-06:00 crosses midnight.")]
    [InlineData("    timezone: Mars/Olympus\n", "c.yaml:5:15: error NK235 at doors.ssh.timezone: timezone 'Mars/Olympus' is not a time zone this system knows. Use an IANA name like Europe/Berlin, or UTC (the default).")]
    public void A_bad_or_expired_limit_is_reported_verbatim(string extra, string expected) =>
        Lines(Door(extra)).ShouldBe([expected]);

    [Fact]
    public void An_expired_limit_is_a_warning_the_config_stays_usable() =>
        ConfigReader.Read(Door("    expires: 2026-01-31\n"), null, Now).IsValid.ShouldBeTrue();
}
