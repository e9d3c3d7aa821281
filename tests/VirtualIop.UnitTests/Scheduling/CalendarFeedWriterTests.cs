using Ical.Net;
using VirtualIop.Scheduling.Domain;

namespace VirtualIop.UnitTests.Scheduling;

public sealed class CalendarFeedWriterTests
{
    static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    // The feed is written now (Ical.Net builds VTIMEZONE from the host's clock); the sessions lie years ahead.
    static readonly DateTimeOffset Stamp = DateTimeOffset.UtcNow;

    static DateTimeOffset NewYorkTime(int month, int day, int hour)
    {
        var local = new DateTime(2030, month, day, hour, 0, 0);
        return new DateTimeOffset(local, NewYork.GetUtcOffset(local));
    }

    static FeedSession Session(Guid id, DateTimeOffset start, string status = "scheduled", int sequence = 0) =>
        new(id, SessionKind.GroupTherapy, start, start.AddHours(3), "America/New_York", status, sequence);

    [Fact]
    public void An_18_00_session_reads_back_at_18_00_local_in_winter_and_in_summer_with_a_VTIMEZONE_that_knows_both_offsets()
    {
        var winter = Guid.NewGuid();
        var summer = Guid.NewGuid();

        var text = CalendarFeedWriter.Write([Session(winter, NewYorkTime(1, 7, 18)), Session(summer, NewYorkTime(7, 8, 18))], Stamp, _ => null);

        var calendar = Calendar.Load(text)!;
        var zone = Assert.Single(calendar.TimeZones);
        Assert.Equal("America/New_York", zone.TzId);
        Assert.Contains("BEGIN:DAYLIGHT", text);
        Assert.Contains("BEGIN:STANDARD", text);
        Assert.All(calendar.Events, e => Assert.Equal(18, e.DtStart!.Value.Hour));
        Assert.Equal(NewYorkTime(7, 8, 18).UtcDateTime, calendar.Events.Single(e => e.Uid == $"{summer}@virtualiop").DtStart!.AsUtc);
        Assert.Equal(NewYorkTime(1, 7, 18).UtcDateTime, calendar.Events.Single(e => e.Uid == $"{winter}@virtualiop").DtStart!.AsUtc);
    }

    [Fact]
    public void A_cancelled_session_is_written_as_cancelled_with_its_sequence_and_a_neutral_summary_and_the_join_link()
    {
        var id = Guid.NewGuid();
        var link = new Uri($"https://join.example.org/{id}");

        var text = CalendarFeedWriter.Write([Session(id, NewYorkTime(1, 7, 18), "cancelled", 2)], Stamp, _ => link);

        var calendarEvent = Assert.Single(Calendar.Load(text)!.Events);
        Assert.Equal(("CANCELLED", 2, "Group session", link), (calendarEvent.Status, calendarEvent.Sequence, calendarEvent.Summary, calendarEvent.Url));
    }

    [Fact]
    public void Feed_tokens_are_43_url_safe_characters_and_differ_each_time()
    {
        var tokens = Enumerable.Range(0, 20).Select(_ => FeedTokens.New()).ToList();

        Assert.All(tokens, t => Assert.True(FeedTokens.LooksValid(t), t));
        Assert.Equal(20, tokens.Distinct().Count());
        Assert.False(FeedTokens.LooksValid("short"));
        Assert.False(FeedTokens.LooksValid(new string('/', 43)));
    }
}
