using VirtualIop.Attendance.Domain;

namespace VirtualIop.UnitTests.Attendance;

public sealed class PresenceRulesTests
{
    static readonly DateTimeOffset Start = new(2030, 3, 1, 12, 0, 0, TimeSpan.Zero);
    static readonly SessionWindow Session = new(Start, Start.AddMinutes(90));

    static PresenceInterval Stretch(int fromMinute, int? toMinute) => new(Start.AddMinutes(fromMinute), toMinute is { } t ? Start.AddMinutes(t) : null);

    [Fact]
    public void Minutes_of_several_joins_and_leaves_add_up()
    {
        Assert.Equal(70, PresenceRules.MinutesAttended(Session, [Stretch(0, 30), Stretch(35, 60), Stretch(65, 80)], Session.EndsAt));
    }

    [Fact]
    public void Time_before_the_start_and_after_the_end_does_not_count()
    {
        Assert.Equal(90, PresenceRules.MinutesAttended(Session, [Stretch(-10, 100)], Session.EndsAt));
    }

    [Fact]
    public void Overlapping_intervals_from_two_sources_count_once()
    {
        Assert.Equal(50, PresenceRules.MinutesAttended(Session, [Stretch(0, 40), Stretch(10, 30), Stretch(20, 50)], Session.EndsAt));
    }

    [Fact]
    public void An_open_interval_counts_up_to_now()
    {
        Assert.Equal(25, PresenceRules.MinutesAttended(Session, [Stretch(5, null)], Start.AddMinutes(30)));
    }

    [Fact]
    public void A_patient_still_present_is_not_partial_however_late_it_is()
    {
        Assert.Equal(AttendanceOutcome.Late, PresenceRules.Outcome(Session, [Stretch(60, null)], PresenceThresholds.Default));
    }

    [Fact]
    public void Partial_wins_over_late_once_the_patient_has_left_below_the_threshold()
    {
        Assert.Equal(AttendanceOutcome.Partial, PresenceRules.Outcome(Session, [Stretch(20, 60)], PresenceThresholds.Default));
    }
}
