using VirtualIop.Attendance.Domain;

namespace VirtualIop.UnitTests.Attendance;

public sealed class AttendanceRulesTests
{
    static readonly DateTimeOffset Start = new(2030, 3, 1, 12, 0, 0, TimeSpan.Zero);
    static readonly SessionWindow Session = new(Start, Start.AddMinutes(60));
    static readonly PresenceThresholds Thresholds = new(TimeSpan.FromMinutes(10), 75);
    static readonly Guid Patient = Guid.NewGuid();

    static PresenceMark Joined(DateTimeOffset at) => new(PresenceChange.Join, at);

    static PresenceMark Left(DateTimeOffset at) => new(PresenceChange.Leave, at);

    static PresenceDecision Mark(AttendanceRecord record, IReadOnlyList<PresenceMark> marks, PresenceMark mark) =>
        AttendanceRules.Mark(record, Session, marks, mark, Thresholds, "clinic-app");

    static PresenceDecision Join(AttendanceRecord record, IReadOnlyList<PresenceMark> marks, DateTimeOffset at) => Mark(record, marks, Joined(at));

    [Fact]
    public void Checking_in_before_the_late_threshold_makes_a_pending_patient_present_at_the_check_in_time()
    {
        var decision = Join(AttendanceRecord.Expected(Patient), [], Start.AddMinutes(-5));

        Assert.True(decision.Attended);
        Assert.True(decision.Changed);
        Assert.Equal(AttendanceOutcome.Present, decision.Record.Outcome);
        Assert.Equal(Start.AddMinutes(-5), decision.Record.CheckedInAt);
        Assert.Equal(Start.AddMinutes(-5), decision.Record.DecidedAt);
        Assert.Equal(("clinic-app", Start.AddMinutes(-5)), (decision.Record.RecordedBy, decision.Record.RecordedAt));
    }

    [Fact]
    public void Checking_in_exactly_at_the_late_threshold_is_still_present_and_a_moment_later_is_late()
    {
        Assert.Equal(AttendanceOutcome.Present, Join(AttendanceRecord.Expected(Patient), [], Start.AddMinutes(10)).Record.Outcome);
        Assert.Equal(AttendanceOutcome.Late, Join(AttendanceRecord.Expected(Patient), [], Start.AddMinutes(10).AddTicks(10)).Record.Outcome);
    }

    [Fact]
    public void Checking_in_again_while_present_changes_nothing_and_keeps_the_first_check_in_time()
    {
        var first = Join(AttendanceRecord.Expected(Patient), [], Start).Record;

        var again = Join(first, [Joined(Start)], Start.AddMinutes(5));

        Assert.False(again.Attended);
        Assert.False(again.Changed);
        Assert.Equal(first, again.Record);
    }

    [Fact]
    public void Rejoining_after_a_dropped_connection_keeps_the_first_check_in_and_is_not_a_second_attendance()
    {
        var present = Join(AttendanceRecord.Expected(Patient), [], Start).Record with { CheckedOutAt = Start.AddMinutes(20), Outcome = AttendanceOutcome.Partial };

        var rejoin = Join(present, [Joined(Start), Left(Start.AddMinutes(20))], Start.AddMinutes(22));

        Assert.True(rejoin.Changed);
        Assert.False(rejoin.Attended);
        Assert.Equal(AttendanceOutcome.Present, rejoin.Record.Outcome);
        Assert.Equal(Start, rejoin.Record.CheckedInAt);
        Assert.Null(rejoin.Record.CheckedOutAt);
    }

    [Fact]
    public void Leaving_early_below_the_partial_threshold_makes_the_patient_partial()
    {
        var present = Join(AttendanceRecord.Expected(Patient), [], Start).Record;

        var leave = Mark(present, [Joined(Start)], Left(Start.AddMinutes(44)));

        Assert.True(leave.Changed);
        Assert.Equal(AttendanceOutcome.Partial, leave.Record.Outcome);
        Assert.Equal(Start.AddMinutes(44), leave.Record.CheckedOutAt);
    }

    [Fact]
    public void Leaving_at_exactly_the_partial_threshold_stays_present()
    {
        var present = Join(AttendanceRecord.Expected(Patient), [], Start).Record;

        var leave = Mark(present, [Joined(Start)], Left(Start.AddMinutes(45)));

        Assert.Equal(AttendanceOutcome.Present, leave.Record.Outcome);
    }

    [Fact]
    public void A_leave_before_any_join_is_kept_for_its_join_but_changes_no_record_yet()
    {
        var leave = Mark(AttendanceRecord.Expected(Patient), [], Left(Start.AddMinutes(30)));

        Assert.True(leave.Kept);
        Assert.False(leave.Changed);
        Assert.Empty(leave.Intervals);
        Assert.Equal(AttendanceRecord.Expected(Patient), leave.Record);
    }

    [Fact]
    public void A_mark_taken_in_before_is_not_kept_twice_and_changes_nothing()
    {
        var present = Join(AttendanceRecord.Expected(Patient), [], Start).Record;

        var again = Mark(present, [Joined(Start), Left(Start.AddMinutes(50))], Left(Start.AddMinutes(50)));

        Assert.False(again.Kept);
        Assert.False(again.Changed);
        Assert.Equal(present, again.Record);
    }

    [Fact]
    public void A_leave_taken_in_before_its_join_ends_with_the_outcome_and_times_of_the_in_order_case()
    {
        var inOrder = Mark(Join(AttendanceRecord.Expected(Patient), [], Start.AddMinutes(2)).Record, [Joined(Start.AddMinutes(2))],
            Left(Start.AddMinutes(40)));

        var leaveFirst = Mark(AttendanceRecord.Expected(Patient), [], Left(Start.AddMinutes(40)));
        var joinAfter = Mark(leaveFirst.Record, [Left(Start.AddMinutes(40))], Joined(Start.AddMinutes(2)));

        Assert.True(joinAfter.Attended);
        Assert.Equal(AttendanceOutcome.Partial, joinAfter.Record.Outcome);
        Assert.Equal((inOrder.Record.Outcome, inOrder.Record.CheckedInAt, inOrder.Record.CheckedOutAt),
            (joinAfter.Record.Outcome, joinAfter.Record.CheckedInAt, joinAfter.Record.CheckedOutAt));
        Assert.Equal(inOrder.Intervals, joinAfter.Intervals);
    }

    [Fact]
    public void Whatever_order_the_marks_arrive_in_the_record_and_minutes_are_those_of_the_in_order_case_and_the_patient_attends_once()
    {
        PresenceMark[] marks =
        [
            Joined(Start.AddMinutes(-2)), Left(Start.AddMinutes(10)), Joined(Start.AddMinutes(25)), Left(Start.AddMinutes(40)),
            Joined(Start.AddMinutes(42)), Left(Start.AddMinutes(50))
        ];
        var (expected, expectedMinutes, _) = Fold(marks);

        foreach (var order in Permutations(marks))
        {
            var (record, minutes, attendances) = Fold(order);

            Assert.Equal((expected.Outcome, expected.CheckedInAt, expected.CheckedOutAt), (record.Outcome, record.CheckedInAt, record.CheckedOutAt));
            Assert.Equal(expectedMinutes, minutes);
            Assert.Equal(1, attendances);
        }
        Assert.Equal((AttendanceOutcome.Partial, 33), (expected.Outcome, expectedMinutes));
    }

    static (AttendanceRecord Record, int Minutes, int Attendances) Fold(IReadOnlyList<PresenceMark> arriving)
    {
        var record = AttendanceRecord.Expected(Patient);
        var kept = new List<PresenceMark>();
        IReadOnlyList<PresenceInterval> intervals = [];
        var attendances = 0;
        foreach (var mark in arriving)
        {
            var decision = Mark(record, kept, mark);
            if (decision.Kept) kept.Add(mark);
            if (decision.Attended) attendances++;
            (record, intervals) = (decision.Record, decision.Intervals);
        }
        return (record, PresenceRules.MinutesAttended(Session, intervals, Session.EndsAt), attendances);
    }

    static IEnumerable<IReadOnlyList<T>> Permutations<T>(IReadOnlyList<T> items) =>
        items.Count <= 1
            ? [items]
            : items.SelectMany((first, i) => Permutations(items.Where((_, j) => j != i).ToList()).Select(rest => (IReadOnlyList<T>)[first, .. rest]));

    [Fact]
    public void A_late_check_in_after_the_sweep_corrects_the_no_show_and_clears_the_absence_reason()
    {
        var noShow = new AttendanceRecord(Patient, AttendanceOutcome.NoShow, null, null, Start.AddHours(2), AbsenceReason.LowMotivation, "n", "noShowSweep", Start.AddHours(2));

        var decision = Join(noShow, [], Start.AddMinutes(3));

        Assert.True(decision.Attended);
        Assert.Equal(AttendanceOutcome.Present, decision.Record.Outcome);
        Assert.Equal(Start.AddMinutes(3), decision.Record.CheckedInAt);
        Assert.Null(decision.Record.ReasonCategory);
        Assert.Null(decision.Record.Notes);
    }

    [Fact]
    public void Staff_can_document_a_pending_patients_absence_with_reason_notes_and_who_recorded_it()
    {
        var decision = AttendanceRules.RecordAbsence(AttendanceRecord.Expected(Patient), AttendanceOutcome.ExcusedAbsence,
            AbsenceReason.Illness, "fever", Start, "front-desk");

        Assert.True(decision.Accepted);
        Assert.Equal(new AttendanceRecord(Patient, AttendanceOutcome.ExcusedAbsence, null, null, Start, AbsenceReason.Illness, "fever", "front-desk", Start),
            decision.Record);
    }

    [Fact]
    public void A_no_show_can_be_documented_with_its_reason_but_stays_a_no_show()
    {
        var noShow = AttendanceRecord.Expected(Patient) with { Outcome = AttendanceOutcome.NoShow, DecidedAt = Start };

        var documented = AttendanceRules.RecordAbsence(noShow, AttendanceOutcome.NoShow, AbsenceReason.LowMotivation, null, Start.AddHours(1), "clinician");
        var excused = AttendanceRules.RecordAbsence(noShow, AttendanceOutcome.ExcusedAbsence, AbsenceReason.Illness, null, Start.AddHours(1), "clinician");

        Assert.True(documented.Accepted);
        Assert.Equal((AttendanceOutcome.NoShow, Start, AbsenceReason.LowMotivation), (documented.Record.Outcome, documented.Record.DecidedAt, documented.Record.ReasonCategory));
        Assert.False(excused.Accepted);
    }

    [Fact]
    public void A_patient_who_attended_cannot_be_recorded_absent_without_a_correction()
    {
        var present = Join(AttendanceRecord.Expected(Patient), [], Start).Record;

        Assert.False(AttendanceRules.RecordAbsence(present, AttendanceOutcome.UnexcusedAbsence, AbsenceReason.Other, null, Start, "x").Accepted);
    }

    [Fact]
    public void No_show_is_due_once_the_grace_after_the_session_end_has_passed()
    {
        Assert.Equal(Session.EndsAt.AddMinutes(15), AttendanceRules.NoShowDueAt(Session.EndsAt, TimeSpan.FromMinutes(15)));
    }

    [Fact]
    public void Outcomes_and_reasons_are_named_as_on_the_wire_and_nothing_else_parses()
    {
        Assert.Equal(["pending", "present", "late", "partial", "excusedAbsence", "unexcusedAbsence", "noShow"],
            Enum.GetValues<AttendanceOutcome>().Select(o => o.Name()));
        Assert.Equal(["technicalDifficulty", "schedulingConflict", "illness", "emergency", "lowMotivation", "other"],
            Enum.GetValues<AbsenceReason>().Select(r => r.Name()));
        Assert.True(AttendanceOutcomes.TryParseReason("lowMotivation", out var reason));
        Assert.Equal(AbsenceReason.LowMotivation, reason);
        Assert.False(AttendanceOutcomes.TryParseReason("2", out _));
        Assert.False(AttendanceOutcomes.TryParseReason("Illness", out _));
        Assert.False(AttendanceOutcomes.TryParseReason("hangover", out _));
        Assert.False(AttendanceOutcomes.TryParse(null, out _));
    }
}
