using VirtualIop.Attendance.Domain;

namespace VirtualIop.UnitTests.Attendance;

public sealed class CorrectionRulesTests
{
    static readonly DateTimeOffset Now = new(2030, 3, 2, 9, 0, 0, TimeSpan.Zero);
    static readonly AttendanceRecord NoShow = AttendanceRecord.Expected(Guid.NewGuid()) with
    {
        Outcome = AttendanceOutcome.NoShow, DecidedAt = Now.AddHours(-12), RecordedBy = "noShowSweep", RecordedAt = Now.AddHours(-12)
    };

    [Fact]
    public void A_wrong_no_show_that_was_a_technical_failure_becomes_an_excused_absence_decided_by_the_clinician()
    {
        var corrected = CorrectionRules.Correct(NoShow, AttendanceOutcome.ExcusedAbsence, AbsenceReason.TechnicalDifficulty, "Platform outage", Now, "clinician-app");

        Assert.Equal(NoShow with
        {
            Outcome = AttendanceOutcome.ExcusedAbsence, ReasonCategory = AbsenceReason.TechnicalDifficulty, Notes = "Platform outage",
            DecidedAt = Now, RecordedBy = "clinician-app", RecordedAt = Now
        }, corrected);
    }

    [Fact]
    public void Changing_only_the_reason_is_a_correction_too()
    {
        Assert.NotNull(CorrectionRules.Correct(NoShow, AttendanceOutcome.NoShow, AbsenceReason.LowMotivation, null, Now, "c"));
    }

    [Fact]
    public void A_correction_that_changes_nothing_or_undecides_the_record_is_refused()
    {
        Assert.Null(CorrectionRules.Correct(NoShow, AttendanceOutcome.NoShow, null, null, Now, "c"));
        Assert.Null(CorrectionRules.Correct(NoShow, AttendanceOutcome.Pending, null, null, Now, "c"));
    }
}
