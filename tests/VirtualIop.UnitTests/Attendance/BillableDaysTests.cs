using VirtualIop.Attendance.Domain;

namespace VirtualIop.UnitTests.Attendance;

public sealed class BillableDaysTests
{
    static readonly Guid Program = Guid.NewGuid();
    static readonly DateOnly Monday = new(2030, 3, 4);
    static readonly DateTimeOffset Nine = new(2030, 3, 4, 15, 0, 0, TimeSpan.Zero);
    static readonly Dictionary<Guid, BillingSettings> NoSettings = [];

    static AttendedSession Session(int startHour, int minutes, AttendanceOutcome outcome, IReadOnlyList<PresenceInterval>? presence = null,
        AttendanceOutcome? correctedTo = null, DateOnly? day = null, Guid? program = null)
    {
        var start = Nine.AddHours(startHour);
        var window = new SessionWindow(start, start.AddMinutes(minutes));
        return new AttendedSession(Guid.NewGuid(), program ?? Program, "groupTherapy", day ?? Monday, window, outcome, correctedTo,
            presence ?? [new PresenceInterval(window.StartsAt, window.EndsAt)]);
    }

    static PresenceInterval From(AttendedSession s, int fromMinute, int? toMinute) =>
        new(s.Window.StartsAt.AddMinutes(fromMinute), toMinute is { } t ? s.Window.StartsAt.AddMinutes(t) : null);

    [Fact]
    public void Two_full_ninety_minute_groups_make_a_billable_day_at_the_default_180_minutes()
    {
        var day = Assert.Single(BillableDays.Of([Session(0, 90, AttendanceOutcome.Present), Session(2, 90, AttendanceOutcome.Present)], NoSettings));

        Assert.Equal((Monday, 180, 180, 2), (day.Date, day.AttendedMinutes, day.Settings.MinimumMinutesPerDay, day.Sessions.Count));
    }

    [Fact]
    public void A_day_one_minute_short_of_the_minimum_is_not_billable()
    {
        var first = Session(0, 90, AttendanceOutcome.Present);
        var second = Session(2, 90, AttendanceOutcome.Late);
        var shortOne = second with { Presence = [From(second, 1, 90)] };

        Assert.Empty(BillableDays.Of([first, shortOne], NoSettings));
    }

    [Fact]
    public void The_programs_own_minimum_and_codes_decide_and_travel_with_the_day()
    {
        var settings = new Dictionary<Guid, BillingSettings> { [Program] = new(90, "H0015", "0906") };

        var day = Assert.Single(BillableDays.Of([Session(0, 90, AttendanceOutcome.Present)], settings));

        Assert.Equal(("H0015", "0906", 90), (day.Settings.HcpcsCode, day.Settings.RevenueCode, day.AttendedMinutes));
    }

    [Fact]
    public void A_makeup_held_the_same_day_adds_its_minutes_to_that_day()
    {
        var group = Session(0, 120, AttendanceOutcome.Present);
        var makeup = Session(3, 60, AttendanceOutcome.Present) with { Kind = "makeup" };

        Assert.Empty(BillableDays.Of([group], NoSettings));
        var day = Assert.Single(BillableDays.Of([group, makeup], NoSettings));
        Assert.Equal([group.SessionId, makeup.SessionId], day.Sessions.Select(s => s.SessionId));
    }

    [Fact]
    public void Absences_count_nothing_even_with_presence_recorded_before_the_outcome_was_corrected()
    {
        var corrected = Session(0, 180, AttendanceOutcome.ExcusedAbsence, correctedTo: AttendanceOutcome.ExcusedAbsence);

        Assert.Equal(0, BillableDays.Minutes(corrected));
        Assert.Equal(0, BillableDays.Minutes(Session(0, 180, AttendanceOutcome.NoShow)));
        Assert.Equal(0, BillableDays.Minutes(Session(0, 180, AttendanceOutcome.Pending)));
        Assert.Empty(BillableDays.Of([corrected], NoSettings));
    }

    [Fact]
    public void A_no_show_corrected_to_present_counts_the_whole_session_the_clinician_vouched_for()
    {
        var vouched = Session(0, 180, AttendanceOutcome.Present, presence: [], correctedTo: AttendanceOutcome.Present);

        var day = Assert.Single(BillableDays.Of([vouched], NoSettings));

        Assert.Equal(180, day.AttendedMinutes);
        Assert.True(day.Corrected);
        Assert.True(day.Sessions[0].Corrected);
    }

    [Fact]
    public void A_correction_to_partial_counts_only_the_presence_recorded()
    {
        var session = Session(0, 180, AttendanceOutcome.Partial, correctedTo: AttendanceOutcome.Partial);

        Assert.Equal(45, BillableDays.Minutes(session with { Presence = [From(session, 0, 45)] }));
    }

    [Fact]
    public void Presence_without_a_correction_counts_joins_to_leaves_within_the_session_overlaps_once()
    {
        var session = Session(0, 90, AttendanceOutcome.Present);

        Assert.Equal(70, BillableDays.Minutes(session with { Presence = [From(session, -15, 30), From(session, 20, 50), From(session, 60, 80)] }));
        Assert.Equal(60, BillableDays.Minutes(session with { Presence = [From(session, 30, null)] }));
        Assert.Equal(0, BillableDays.Minutes(session with { Presence = [] }));
    }

    [Fact]
    public void A_later_outcome_decided_by_presence_is_no_longer_the_corrected_one()
    {
        var session = Session(0, 90, AttendanceOutcome.Partial, correctedTo: AttendanceOutcome.Present);

        Assert.Equal(30, BillableDays.Minutes(session with { Presence = [From(session, 0, 30)] }));
    }

    [Fact]
    public void Days_and_programs_are_counted_apart()
    {
        var other = Guid.NewGuid();
        var sessions = new[]
        {
            Session(0, 120, AttendanceOutcome.Present), Session(3, 60, AttendanceOutcome.Present, day: Monday.AddDays(1)),
            Session(5, 60, AttendanceOutcome.Present, program: other), Session(0, 180, AttendanceOutcome.Present, day: Monday.AddDays(2))
        };

        var day = Assert.Single(BillableDays.Of(sessions, NoSettings));

        Assert.Equal((Monday.AddDays(2), Program), (day.Date, day.ProgramId));
    }

    [Fact]
    public void Sessions_that_counted_nothing_are_left_out_of_the_day_and_days_come_by_date()
    {
        var noShow = Session(4, 60, AttendanceOutcome.NoShow);
        var days = BillableDays.Of([Session(0, 180, AttendanceOutcome.Present, day: Monday.AddDays(1)), Session(0, 180, AttendanceOutcome.Present), noShow],
            NoSettings);

        Assert.Equal([Monday, Monday.AddDays(1)], days.Select(d => d.Date));
        Assert.DoesNotContain(days.SelectMany(d => d.Sessions), s => s.SessionId == noShow.SessionId);
    }
}
