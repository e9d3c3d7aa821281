using VirtualIop.Attendance.Domain;

namespace VirtualIop.UnitTests.Attendance;

/// <summary>
/// A program that sets its own rules: late after 5 minutes, partial below half the session, 48 hours of notice and no
/// reason excused at the last minute, and a phase that began on a given day.
/// </summary>
public sealed class ProgramPolicyBoundaryTests
{
    static readonly DateTimeOffset Start = new(2030, 3, 4, 17, 0, 0, TimeSpan.Zero);
    static readonly SessionWindow Session = new(Start, Start.AddMinutes(90));
    static readonly PresenceThresholds Strict = new(TimeSpan.FromMinutes(5), 50);
    static readonly NoticePolicy TwoDays = new(48, new HashSet<AbsenceReason>());

    static AttendanceOutcome JoinedAt(DateTimeOffset joinedAt, DateTimeOffset? leftAt = null) =>
        PresenceRules.Outcome(Session, [new PresenceInterval(joinedAt, leftAt)], Strict);

    [Fact]
    public void Joining_exactly_at_the_programs_late_threshold_is_present_and_a_moment_later_is_late()
    {
        Assert.Equal(AttendanceOutcome.Present, JoinedAt(Start.AddMinutes(5)));
        Assert.Equal(AttendanceOutcome.Late, JoinedAt(Start.AddMinutes(5).AddTicks(1)));
    }

    [Fact]
    public void Leaving_with_exactly_the_programs_partial_share_stays_present_and_a_minute_less_is_partial()
    {
        Assert.Equal(AttendanceOutcome.Present, JoinedAt(Start, Start.AddMinutes(45)));
        Assert.Equal(AttendanceOutcome.Partial, JoinedAt(Start, Start.AddMinutes(44)));
    }

    [Fact]
    public void A_notice_exactly_the_programs_notice_hours_ahead_is_excused_and_a_moment_less_is_not()
    {
        Assert.True(NoticeRules.IsExcused(TwoDays, AbsenceReason.SchedulingConflict, Start, Start.AddHours(-48)));
        Assert.False(NoticeRules.IsExcused(TwoDays, AbsenceReason.SchedulingConflict, Start, Start.AddHours(-48).AddTicks(1)));
    }

    [Fact]
    public void A_program_that_excuses_no_reason_does_not_excuse_a_late_notice_of_illness()
    {
        Assert.False(NoticeRules.IsExcused(TwoDays, AbsenceReason.Illness, Start, Start.AddHours(-2)));
    }

    static readonly DateTimeOffset Now = new(2030, 5, 31, 18, 0, 0, TimeSpan.Zero);
    static readonly DateTimeOffset PhaseStart = Now.AddDays(-10);

    /// <summary>Four sessions missed before the phase, then three present: over the window that is 42.86%, over the phase 100%.</summary>
    static readonly SessionOutcome[] History =
    [
        new(PhaseStart.AddDays(-4), AttendanceOutcome.NoShow),
        new(PhaseStart.AddDays(-3), AttendanceOutcome.NoShow),
        new(PhaseStart.AddDays(-2), AttendanceOutcome.UnexcusedAbsence),
        new(PhaseStart.AddTicks(-1), AttendanceOutcome.NoShow),
        new(PhaseStart.AddDays(1), AttendanceOutcome.Present),
        new(PhaseStart.AddDays(2), AttendanceOutcome.Present),
        new(PhaseStart.AddDays(3), AttendanceOutcome.Present)
    ];

    [Fact]
    public void Once_the_phase_has_begun_the_minimum_attendance_counts_only_the_phases_sessions()
    {
        var policy = PolicySettings.Default with { PhaseStartsAt = PhaseStart };

        var overPhase = AttendancePolicy.Evaluate(policy, History, Now).Rule(AttendancePolicy.MinAttendance);
        var overWindow = AttendancePolicy.Evaluate(PolicySettings.Default, History, Now).Rule(AttendancePolicy.MinAttendance);

        Assert.Equal((100m, PolicyStatus.GoodStanding), (overPhase.Current, overPhase.Status));
        Assert.Equal((42.86m, PolicyStatus.InBreach), (overWindow.Current, overWindow.Status));
    }

    [Fact]
    public void A_session_starting_exactly_at_the_phase_start_belongs_to_the_phase()
    {
        var policy = PolicySettings.Default with { PhaseStartsAt = PhaseStart };
        SessionOutcome[] history = [new(PhaseStart, AttendanceOutcome.NoShow), new(PhaseStart.AddDays(1), AttendanceOutcome.Present)];

        Assert.Equal(50m, AttendancePolicy.Evaluate(policy, history, Now).Rule(AttendancePolicy.MinAttendance).Current);
    }

    [Fact]
    public void Before_the_phase_begins_the_rolling_window_still_applies()
    {
        var policy = PolicySettings.Default with { PhaseStartsAt = Now.AddTicks(1) };

        Assert.Equal(42.86m, AttendancePolicy.Evaluate(policy, History, Now).Rule(AttendancePolicy.MinAttendance).Current);
    }

    [Fact]
    public void The_absence_maxima_still_look_back_over_the_rolling_window_during_a_phase()
    {
        var policy = PolicySettings.Default with { PhaseStartsAt = PhaseStart };

        var unexcused = AttendancePolicy.Evaluate(policy, History, Now).Rule(AttendancePolicy.MaxUnexcused);

        Assert.Equal((4m, PolicyStatus.InBreach), (unexcused.Current, unexcused.Status));
    }
}
