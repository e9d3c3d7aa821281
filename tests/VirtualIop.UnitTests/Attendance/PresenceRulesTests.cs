using VirtualIop.Attendance.Domain;

namespace VirtualIop.UnitTests.Attendance;

public sealed class PresenceRulesTests
{
    static readonly DateTimeOffset Start = new(2030, 3, 1, 12, 0, 0, TimeSpan.Zero);
    static readonly SessionWindow Session = new(Start, Start.AddMinutes(90));

    static PresenceInterval Stretch(int fromMinute, int? toMinute) => new(Start.AddMinutes(fromMinute), toMinute is { } t ? Start.AddMinutes(t) : null);

    static PresenceMark Joined(int minute) => new(PresenceChange.Join, Start.AddMinutes(minute));

    static PresenceMark Left(int minute) => new(PresenceChange.Leave, Start.AddMinutes(minute));

    [Fact]
    public void A_leave_taken_in_before_its_join_waits_and_pairs_once_the_join_is_there()
    {
        Assert.Empty(PresenceRules.Pair([Left(30)]));
        Assert.Equal([Stretch(0, 30)], PresenceRules.Pair([Left(30), Joined(0)]));
        Assert.Equal(PresenceRules.Pair([Joined(0), Left(30)]), PresenceRules.Pair([Left(30), Joined(0)]));
    }

    [Fact]
    public void A_leave_earlier_than_every_join_pairs_with_nothing_until_an_earlier_join_arrives()
    {
        Assert.Equal([Stretch(10, null)], PresenceRules.Pair([Joined(10), Left(5)]));
        Assert.Equal([Stretch(0, 5), Stretch(10, null)], PresenceRules.Pair([Joined(10), Left(5), Joined(0)]));
    }

    [Fact]
    public void Two_joins_then_one_leave_are_one_stretch_from_the_first_join_to_the_leave()
    {
        Assert.Equal([Stretch(0, 20)], PresenceRules.Pair([Joined(0), Joined(10), Left(20)]));
        Assert.Equal([Stretch(0, 20)], PresenceRules.Pair([Left(20), Joined(10), Joined(0)]));
    }

    [Fact]
    public void A_mark_delivered_twice_counts_once()
    {
        Assert.Equal([Stretch(0, 20)], PresenceRules.Pair([Joined(0), Joined(0), Left(20), Left(20)]));
    }

    [Fact]
    public void The_same_stay_seen_by_the_api_and_the_platform_counts_once_and_ends_at_the_first_leave()
    {
        var stretches = PresenceRules.Pair([Joined(0), Joined(3), Left(20), Left(24)]);

        Assert.Equal([Stretch(0, 20)], stretches);
        Assert.Equal(20, PresenceRules.MinutesAttended(Session, stretches, Session.EndsAt));
    }

    [Fact]
    public void A_join_and_a_leave_at_the_same_instant_are_an_empty_stretch_in_either_order()
    {
        Assert.Equal([Stretch(10, 10)], PresenceRules.Pair([Left(10), Joined(10)]));
        Assert.Equal(0, PresenceRules.MinutesAttended(Session, PresenceRules.Pair([Joined(10), Left(10)]), Session.EndsAt));
    }

    [Fact]
    public void A_join_with_no_leave_at_the_session_end_counts_to_the_end_and_is_not_partial()
    {
        var stretches = PresenceRules.Pair([Joined(0), Left(20), Joined(70)]);

        Assert.Equal([Stretch(0, 20), Stretch(70, null)], stretches);
        Assert.Equal(40, PresenceRules.MinutesAttended(Session, stretches, Session.EndsAt.AddHours(1)));
        Assert.Equal(AttendanceOutcome.Present, PresenceRules.Outcome(Session, stretches, PresenceThresholds.Default));
    }

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
