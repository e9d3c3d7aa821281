using VirtualIop.Attendance.Domain;

namespace VirtualIop.UnitTests.Attendance;

public sealed class ReasonGivenByReplyTests
{
    static readonly DateTimeOffset Start = new(2030, 3, 4, 17, 0, 0, TimeSpan.Zero);
    static readonly DateTimeOffset LastMinute = Start.AddMinutes(-30);

    [Fact]
    public void An_unexcused_last_minute_decline_becomes_excused_when_the_patient_says_they_were_ill()
    {
        Assert.True(NoticeRules.IsExcusedWithReasonGiven(false, NoticePolicy.Default, AbsenceReason.Illness, Start, LastMinute));
    }

    [Fact]
    public void A_last_minute_decline_for_a_scheduling_conflict_stays_unexcused()
    {
        Assert.False(NoticeRules.IsExcusedWithReasonGiven(false, NoticePolicy.Default, AbsenceReason.SchedulingConflict, Start, LastMinute));
    }

    [Fact]
    public void Saying_why_never_takes_an_excuse_away()
    {
        var otherExcused = new NoticePolicy(24, new HashSet<AbsenceReason> { AbsenceReason.Other });

        Assert.True(NoticeRules.IsExcusedWithReasonGiven(true, otherExcused, AbsenceReason.LowMotivation, Start, LastMinute));
    }
}
