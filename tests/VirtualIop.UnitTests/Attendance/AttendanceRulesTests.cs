using VirtualIop.Attendance.Domain;

namespace VirtualIop.UnitTests.Attendance;

public sealed class AttendanceRulesTests
{
    static readonly DateTimeOffset Now = new(2030, 3, 1, 12, 0, 0, TimeSpan.Zero);
    static readonly Guid Patient = Guid.NewGuid();

    [Fact]
    public void Checking_in_makes_a_pending_patient_present_at_the_check_in_time()
    {
        var decision = AttendanceRules.CheckIn(AttendanceRecord.Expected(Patient), Now);

        Assert.True(decision.Attended);
        Assert.Equal(new AttendanceRecord(Patient, AttendanceOutcome.Present, Now, Now), decision.Record);
    }

    [Fact]
    public void Checking_in_again_changes_nothing_and_keeps_the_first_check_in_time()
    {
        var first = AttendanceRules.CheckIn(AttendanceRecord.Expected(Patient), Now).Record;

        var again = AttendanceRules.CheckIn(first, Now.AddMinutes(5));

        Assert.False(again.Attended);
        Assert.Equal(first, again.Record);
    }

    [Fact]
    public void A_late_check_in_after_the_sweep_corrects_the_no_show_to_present()
    {
        var noShow = new AttendanceRecord(Patient, AttendanceOutcome.NoShow, null, Now);

        var decision = AttendanceRules.CheckIn(noShow, Now.AddMinutes(3));

        Assert.True(decision.Attended);
        Assert.Equal(AttendanceOutcome.Present, decision.Record.Outcome);
        Assert.Equal(Now.AddMinutes(3), decision.Record.CheckedInAt);
    }

    [Fact]
    public void The_sweep_turns_only_pending_patients_into_no_shows()
    {
        Assert.Equal(AttendanceOutcome.NoShow, AttendanceRules.AfterSweep(AttendanceOutcome.Pending));
        Assert.Equal(AttendanceOutcome.Present, AttendanceRules.AfterSweep(AttendanceOutcome.Present));
        Assert.Equal(AttendanceOutcome.NoShow, AttendanceRules.AfterSweep(AttendanceOutcome.NoShow));
    }

    [Fact]
    public void No_show_is_decided_once_the_grace_after_the_session_end_has_passed()
    {
        var endsAt = Now;
        var dueAt = AttendanceRules.NoShowDueAt(endsAt, TimeSpan.FromMinutes(15));

        Assert.Equal(endsAt.AddMinutes(15), dueAt);
        Assert.False(AttendanceRules.IsDueForSweep(dueAt, dueAt.AddTicks(-1)));
        Assert.True(AttendanceRules.IsDueForSweep(dueAt, dueAt));
    }

    [Fact]
    public void Outcomes_are_named_as_on_the_wire()
    {
        Assert.Equal("pending", AttendanceOutcome.Pending.Name());
        Assert.Equal("present", AttendanceOutcome.Present.Name());
        Assert.Equal("noShow", AttendanceOutcome.NoShow.Name());
        Assert.Equal(AttendanceOutcome.NoShow, AttendanceOutcomes.Parse("noShow"));
    }
}
