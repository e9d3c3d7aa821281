using VirtualIop.Engagement.Domain;

namespace VirtualIop.UnitTests.Engagement;

public class OutcomeTimelineTests
{
    static readonly Guid Clinic = Guid.NewGuid(), Patient = Guid.NewGuid(), Session = Guid.NewGuid();
    static readonly DateTimeOffset Start = new(2026, 11, 16, 17, 0, 0, TimeSpan.Zero);

    static OutcomeReport Miss => OutcomeReport.Missed(Clinic, Patient, Session, Start, "America/Chicago", Start.AddHours(2));

    static OutcomeReport Corrected(string outcome, double hours, string? reason = null) =>
        OutcomeReport.Correction(Clinic, Patient, Session, outcome, reason, Start.AddHours(hours))!;

    static OutcomeReport CheckIn => OutcomeReport.Attended(Clinic, Patient, Session, Start.AddMinutes(40));

    static OutcomeReport UnexcusedNotice => OutcomeReport.Notice(Clinic, Patient, Session, Start, "America/Chicago", false, "lowMotivation", Start.AddHours(-3));

    static OutcomeCopy Settle(params OutcomeReport[] reports) => reports.Aggregate((OutcomeCopy?)null, OutcomeTimeline.Apply)!;

    [Fact]
    public void A_correction_to_present_that_arrives_before_its_no_show_is_not_overtaken_by_it()
    {
        var copy = Settle(Corrected("present", 5), Miss);

        Assert.Equal(AttendanceOutcome.Attended, copy.Outcome);
        Assert.Equal(Settle(Miss, Corrected("present", 5)), copy);
    }

    [Fact]
    public void The_late_no_show_still_gives_the_session_its_start_and_time_zone_which_the_correction_does_not_carry()
    {
        var copy = Settle(Corrected("excusedAbsence", 5, "illness"), Miss);

        Assert.Equal((Start, "America/Chicago", AttendanceOutcome.Excused, "illness"), (copy.StartsAt, copy.TimeZone, copy.Outcome, copy.ReasonCategory));
    }

    [Fact]
    public void Of_two_corrections_the_later_decided_holds_in_either_order()
    {
        var first = Corrected("noShow", 3);
        var second = Corrected("present", 4);

        Assert.Equal(AttendanceOutcome.Attended, Settle(second, first).Outcome);
        Assert.Equal(Settle(first, second), Settle(second, first));
    }

    [Fact]
    public void A_no_show_after_an_unexcused_notice_keeps_the_notices_reason_in_either_order()
    {
        Assert.Equal((AttendanceOutcome.Missed, "lowMotivation"), (Settle(UnexcusedNotice, Miss).Outcome, Settle(UnexcusedNotice, Miss).ReasonCategory));
        Assert.Equal(Settle(UnexcusedNotice, Miss), Settle(Miss, UnexcusedNotice));
    }

    [Fact]
    public void Every_order_of_a_notice_a_no_show_a_check_in_and_two_corrections_settles_the_same()
    {
        OutcomeReport[] reports = [UnexcusedNotice, Miss, CheckIn, Corrected("noShow", 3), Corrected("late", 4, "traffic")];
        var expected = Settle(reports);

        Assert.All(Permutations(reports), order => Assert.Equal(expected, Settle([.. order])));
        Assert.Equal((AttendanceOutcome.Attended, "traffic", Start), (expected.Outcome, expected.ReasonCategory, expected.StartsAt));
    }

    [Fact]
    public void A_no_show_opens_outreach_only_for_a_live_session_a_present_patient_and_an_outcome_it_still_decides()
    {
        Assert.True(MissEffects.Warranted(new MissContext(false, false, null), Miss));
        Assert.True(MissEffects.Warranted(new MissContext(false, false, Settle(UnexcusedNotice)), Miss));
        Assert.False(MissEffects.Warranted(new MissContext(true, false, null), Miss));
        Assert.False(MissEffects.Warranted(new MissContext(false, true, null), Miss));
        Assert.False(MissEffects.Warranted(new MissContext(false, false, Settle(Corrected("present", 5))), Miss));
        Assert.False(MissEffects.Warranted(new MissContext(false, false, Settle(CheckIn)), Miss));
    }

    static IEnumerable<IReadOnlyList<T>> Permutations<T>(IReadOnlyList<T> items) =>
        items.Count <= 1
            ? [items]
            : items.SelectMany((item, i) => Permutations([.. items.Where((_, j) => j != i)]).Select(rest => (IReadOnlyList<T>)[item, .. rest]));
}
