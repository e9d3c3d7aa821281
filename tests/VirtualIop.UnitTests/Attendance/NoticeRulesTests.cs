using VirtualIop.Attendance.Domain;

namespace VirtualIop.UnitTests.Attendance;

public sealed class NoticeRulesTests
{
    static readonly DateTimeOffset Start = new(2030, 3, 4, 17, 0, 0, TimeSpan.Zero);
    static readonly NoticePolicy Policy = NoticePolicy.Default;

    [Fact]
    public void A_notice_exactly_24_hours_ahead_is_excused_whatever_the_reason()
    {
        Assert.True(NoticeRules.IsExcused(Policy, AbsenceReason.SchedulingConflict, Start, Start.AddHours(-24)));
    }

    [Fact]
    public void A_notice_a_moment_under_24_hours_ahead_for_a_scheduling_conflict_is_not_excused()
    {
        Assert.False(NoticeRules.IsExcused(Policy, AbsenceReason.SchedulingConflict, Start, Start.AddHours(-24).AddTicks(1)));
    }

    [Theory]
    [InlineData(AbsenceReason.Illness)]
    [InlineData(AbsenceReason.Emergency)]
    public void Illness_and_emergency_are_excused_even_at_the_last_minute(AbsenceReason reason)
    {
        Assert.True(NoticeRules.IsExcused(Policy, reason, Start, Start.AddMinutes(5)));
    }

    [Fact]
    public void A_notice_can_come_until_the_session_ends_and_be_withdrawn_until_it_starts()
    {
        var end = Start.AddMinutes(90);
        Assert.True(NoticeRules.CanNotify(end, end.AddTicks(-1)));
        Assert.False(NoticeRules.CanNotify(end, end));
        Assert.True(NoticeRules.CanWithdraw(Start, Start.AddTicks(-1)));
        Assert.False(NoticeRules.CanWithdraw(Start, Start));
    }

    [Fact]
    public void A_notice_makes_an_expected_patient_absent_with_its_reason_and_a_withdrawal_makes_them_expected_again()
    {
        var patient = Guid.NewGuid();
        var notified = NoticeRules.Apply(AttendanceRecord.Expected(patient), excused: true, AbsenceReason.Illness, "flu", Start.AddHours(-30), "app");

        Assert.Equal(new AttendanceRecord(patient, AttendanceOutcome.ExcusedAbsence, null, null, Start.AddHours(-30), AbsenceReason.Illness, "flu", "app", Start.AddHours(-30)),
            notified);
        var withdrawn = NoticeRules.Withdraw(notified, Start.AddHours(-2), "app");
        Assert.Equal(AttendanceOutcome.Pending, withdrawn.Outcome);
        Assert.Null(withdrawn.ReasonCategory);
        Assert.Null(withdrawn.DecidedAt);
    }

    [Fact]
    public void A_notice_without_enough_hours_or_an_excused_reason_is_an_unexcused_absence()
    {
        var record = NoticeRules.Apply(AttendanceRecord.Expected(Guid.NewGuid()), excused: false, AbsenceReason.LowMotivation, null, Start, "app");

        Assert.Equal(AttendanceOutcome.UnexcusedAbsence, record.Outcome);
    }

    [Fact]
    public void A_patient_who_already_joined_stays_present_when_a_notice_comes()
    {
        var present = AttendanceRecord.Expected(Guid.NewGuid()) with { Outcome = AttendanceOutcome.Present, CheckedInAt = Start };

        Assert.Equal(present, NoticeRules.Apply(present, excused: true, AbsenceReason.Illness, null, Start.AddMinutes(5), "app"));
    }
}
