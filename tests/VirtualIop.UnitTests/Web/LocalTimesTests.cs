using System.Globalization;
using VirtualIop.Web.Patient;

namespace VirtualIop.UnitTests.Web;

public sealed class LocalTimesTests
{
    static readonly CultureInfo English = new("en");
    static readonly CultureInfo Spanish = new("es");
    static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    static string Plain(string text) => text.Replace('\u202F', ' ').Replace('\u00A0', ' ');

    [Fact]
    public void A_session_is_shown_in_the_patients_own_zone_and_language()
    {
        var starts = new DateTimeOffset(2026, 12, 8, 23, 0, 0, TimeSpan.Zero);

        Assert.Equal("Tuesday, December 8, 2026, 6:00 PM – 7:30 PM", Plain(LocalTimes.Span(starts, starts.AddMinutes(90), NewYork, English)));
        Assert.Equal("martes, 8 de diciembre de 2026, 18:00 – 19:30", Plain(LocalTimes.Span(starts, starts.AddMinutes(90), NewYork, Spanish)));
    }

    [Fact]
    public void The_same_evening_hour_reads_the_same_either_side_of_the_spring_clock_change()
    {
        // 7 pm in New York is 00:00 UTC in winter (EST) and 23:00 UTC once summer time starts on 8 March 2026.
        Assert.Equal("Saturday, March 7, 2026, 7:00 PM", Plain(LocalTimes.Instant(new DateTimeOffset(2026, 3, 8, 0, 0, 0, TimeSpan.Zero), NewYork, English)));
        Assert.Equal("Sunday, March 8, 2026, 7:00 PM", Plain(LocalTimes.Instant(new DateTimeOffset(2026, 3, 8, 23, 0, 0, TimeSpan.Zero), NewYork, English)));
    }

    [Fact]
    public void A_session_past_midnight_names_the_day_it_ends()
    {
        var starts = new DateTimeOffset(2026, 12, 9, 4, 30, 0, TimeSpan.Zero);

        Assert.Equal("Tuesday, December 8, 2026, 11:30 PM – Wednesday, December 9, 2026, 12:30 AM",
            Plain(LocalTimes.Span(starts, starts.AddHours(1), NewYork, English)));
    }

    [Fact]
    public void The_patients_zone_comes_first_then_the_sessions_then_utc()
    {
        Assert.Equal("America/Chicago", LocalTimes.Zone("America/Chicago", "America/New_York").Id);
        Assert.Equal("America/New_York", LocalTimes.Zone(null, "America/New_York").Id);
        Assert.Equal("America/New_York", LocalTimes.Zone("Mars/Base", "America/New_York").Id);
        Assert.Equal(TimeZoneInfo.Utc, LocalTimes.Zone(null, ""));
    }
}
