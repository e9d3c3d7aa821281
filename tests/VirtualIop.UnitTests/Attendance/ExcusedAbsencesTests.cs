using VirtualIop.Attendance.Domain;

namespace VirtualIop.UnitTests.Attendance;

/// <summary>What the patient's page says about excused absences: allowed in the window, used, and how many remain.</summary>
public sealed class ExcusedAbsencesTests
{
    static readonly DateTimeOffset Now = new(2030, 5, 31, 18, 0, 0, TimeSpan.Zero);

    static ExcusedAbsences? Excused(params AttendanceOutcome[] outcomes) =>
        ExcusedAbsences.From(AttendancePolicy.Evaluate(PolicySettings.Default,
            outcomes.Select((o, i) => new SessionOutcome(Now.AddDays(-1 - i), o)).ToList(), Now).Rules);

    [Fact]
    public void With_no_absence_yet_every_excused_absence_the_policy_allows_remains() =>
        Assert.Equal(new ExcusedAbsences(4, 0, 4), Excused(AttendanceOutcome.Present));

    [Fact]
    public void Each_excused_absence_in_the_window_uses_one_and_unexcused_ones_use_none() =>
        Assert.Equal(new ExcusedAbsences(4, 1, 3), Excused(AttendanceOutcome.ExcusedAbsence, AttendanceOutcome.NoShow, AttendanceOutcome.Present));

    [Fact]
    public void Past_the_allowance_none_remain_rather_than_a_negative_count() =>
        Assert.Equal(new ExcusedAbsences(4, 5, 0), Excused(Enumerable.Repeat(AttendanceOutcome.ExcusedAbsence, 5).ToArray()));

    [Fact]
    public void Rules_without_the_excused_absence_rule_say_nothing() =>
        Assert.Null(ExcusedAbsences.From([new RuleStanding(AttendancePolicy.MinAttendance, PolicyStatus.GoodStanding, 100m, 75m, 3)]));
}
