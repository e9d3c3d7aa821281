using VirtualIop.Attendance.Domain;

namespace VirtualIop.UnitTests.Attendance;

/// <summary>The program's policy handbook, as tests. Default policy: 28-day window, 75% minimum, 4 excused and 2 unexcused allowed, makeups cancel.</summary>
public sealed class AttendancePolicyTests
{
    static readonly DateTimeOffset Now = new(2030, 5, 31, 18, 0, 0, TimeSpan.Zero);
    static readonly PolicySettings Policy = PolicySettings.Default;

    static List<SessionOutcome> Sessions(params AttendanceOutcome[] outcomes) =>
        outcomes.Select((o, i) => new SessionOutcome(Now.AddDays(-1 - i), o)).ToList();

    static PolicyStanding Evaluate(IReadOnlyList<SessionOutcome> history, PolicySettings? policy = null) =>
        AttendancePolicy.Evaluate(policy ?? Policy, history, Now);

    const AttendanceOutcome P = AttendanceOutcome.Present;
    const AttendanceOutcome NoShow = AttendanceOutcome.NoShow;
    const AttendanceOutcome Unexcused = AttendanceOutcome.UnexcusedAbsence;
    const AttendanceOutcome Excused = AttendanceOutcome.ExcusedAbsence;

    [Fact]
    public void A_patient_with_no_sessions_yet_is_in_good_standing()
    {
        var standing = Evaluate([]);

        Assert.Equal(PolicyStatus.GoodStanding, standing.Status);
        Assert.Equal(100m, standing.Rule(AttendancePolicy.MinAttendance).Current);
    }

    [Fact]
    public void One_unexcused_absence_below_the_maximum_of_two_leaves_two_to_go_and_good_standing()
    {
        var rule = Evaluate(Sessions(P, P, P, P, P, P, P, NoShow)).Rule(AttendancePolicy.MaxUnexcused);

        Assert.Equal((PolicyStatus.GoodStanding, 1m, 2m, 2), (rule.Status, rule.Current, rule.Limit, rule.AbsencesToBreach));
    }

    [Fact]
    public void Reaching_the_maximum_of_unexcused_absences_puts_the_patient_at_risk_before_any_breach()
    {
        var rule = Evaluate(Sessions(P, P, P, P, P, P, P, P, NoShow, Unexcused)).Rule(AttendancePolicy.MaxUnexcused);

        Assert.Equal((PolicyStatus.AtRisk, 1), (rule.Status, rule.AbsencesToBreach));
    }

    [Fact]
    public void One_unexcused_absence_over_the_maximum_is_a_breach()
    {
        var standing = Evaluate(Sessions(P, P, P, P, P, P, P, P, P, P, NoShow, Unexcused, NoShow));

        Assert.Equal(PolicyStatus.InBreach, standing.Rule(AttendancePolicy.MaxUnexcused).Status);
        Assert.Equal(0, standing.Rule(AttendancePolicy.MaxUnexcused).AbsencesToBreach);
        Assert.Equal(PolicyStatus.InBreach, standing.Status);
    }

    [Fact]
    public void Excused_absences_count_against_their_own_maximum_not_the_unexcused_one()
    {
        var standing = Evaluate(Sessions(P, P, P, P, P, P, P, P, P, P, P, P, Excused, Excused, Excused, Excused));

        Assert.Equal((PolicyStatus.AtRisk, 4m), (standing.Rule(AttendancePolicy.MaxExcused).Status, standing.Rule(AttendancePolicy.MaxExcused).Current));
        Assert.Equal(0m, standing.Rule(AttendancePolicy.MaxUnexcused).Current);
    }

    [Fact]
    public void Attendance_exactly_at_the_minimum_is_at_risk_and_just_below_it_is_a_breach()
    {
        var atMinimum = Evaluate(Sessions(P, P, P, Excused)).Rule(AttendancePolicy.MinAttendance);
        var below = Evaluate(Sessions(P, P, Excused)).Rule(AttendancePolicy.MinAttendance);

        Assert.Equal((PolicyStatus.AtRisk, 75m, 1), (atMinimum.Status, atMinimum.Current, atMinimum.AbsencesToBreach));
        Assert.Equal((PolicyStatus.InBreach, 66.67m, 0), (below.Status, below.Current, below.AbsencesToBreach));
    }

    [Fact]
    public void Distance_to_the_attendance_minimum_counts_the_absences_still_within_policy()
    {
        var rule = Evaluate(Sessions(P, P, P, P, P, P, P, P)).Rule(AttendancePolicy.MinAttendance);

        // 8 of 10 is 80%, 8 of 11 is 72.7%: the third absence breaches.
        Assert.Equal((PolicyStatus.GoodStanding, 3), (rule.Status, rule.AbsencesToBreach));
    }

    [Fact]
    public void Late_and_partial_attendance_count_as_attended()
    {
        var rule = Evaluate(Sessions(AttendanceOutcome.Late, AttendanceOutcome.Partial, P, P)).Rule(AttendancePolicy.MinAttendance);

        Assert.Equal(100m, rule.Current);
    }

    [Fact]
    public void A_completed_makeup_cancels_the_absence_weight_when_the_policy_says_so()
    {
        var history = Sessions(P, P, P, P, P, P, P, P, NoShow, Unexcused, NoShow);
        history[^1] = history[^1] with { MadeUp = true };

        var cancels = Evaluate(history);
        var counts = Evaluate(history, Policy with { MakeupCancelsAbsence = false });

        Assert.Equal((PolicyStatus.AtRisk, 2m), (cancels.Rule(AttendancePolicy.MaxUnexcused).Status, cancels.Rule(AttendancePolicy.MaxUnexcused).Current));
        Assert.Equal(PolicyStatus.InBreach, counts.Rule(AttendancePolicy.MaxUnexcused).Status);
    }

    [Fact]
    public void Sessions_outside_the_rolling_window_and_undecided_ones_do_not_count()
    {
        List<SessionOutcome> history =
        [
            new(Now.AddDays(-28), NoShow),                  // on the window's edge: outside
            new(Now.AddDays(-28).AddTicks(1), NoShow),      // just inside
            new(Now.AddDays(-2), AttendanceOutcome.Pending),
            new(Now.AddDays(1), NoShow),                    // not yet happened
            new(Now.AddDays(-1), P)
        ];

        var standing = Evaluate(history);

        Assert.Equal(2, standing.SessionsInWindow);
        Assert.Equal(1m, standing.Rule(AttendancePolicy.MaxUnexcused).Current);
    }

    [Fact]
    public void A_zero_minimum_never_breaches_on_attendance()
    {
        var rule = Evaluate(Sessions(NoShow, NoShow), Policy with { MinAttendancePercent = 0 }).Rule(AttendancePolicy.MinAttendance);

        Assert.Equal((PolicyStatus.GoodStanding, (int?)null), (rule.Status, rule.AbsencesToBreach));
    }

    [Fact]
    public void Only_rules_that_got_worse_are_announced()
    {
        var before = Evaluate(Sessions(P, P, P, P, P, P, P, P, P, NoShow));
        var after = Evaluate(Sessions(P, P, P, P, P, P, P, P, P, NoShow, NoShow));

        var worsened = AttendancePolicy.Worsened(before, after);

        Assert.Equal([AttendancePolicy.MaxUnexcused], worsened.Select(r => r.Rule));
        Assert.Equal(PolicyStatus.AtRisk, worsened[0].Status);
        Assert.Empty(AttendancePolicy.Worsened(after, before));
    }
}
