using VirtualIop.Attendance.Domain;

namespace VirtualIop.UnitTests.Attendance;

public sealed class AttendanceHistoryTests
{
    static readonly DateTimeOffset Now = new(2031, 6, 15, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_session_that_ended_this_instant_is_history_and_one_still_running_is_not()
    {
        Assert.True(AttendanceHistory.HasEnded(Now, Now));
        Assert.False(AttendanceHistory.HasEnded(Now.AddTicks(1), Now));
    }

    [Fact]
    public void History_reaches_back_180_days_to_the_instant_and_no_further()
    {
        Assert.True(AttendanceHistory.IsRecentEnough(Now.AddDays(-180), Now));
        Assert.False(AttendanceHistory.IsRecentEnough(Now.AddDays(-180).AddTicks(-1), Now));
    }

    [Fact]
    public void Every_decided_outcome_can_be_imported_but_pending_cannot()
    {
        Assert.All(Enum.GetValues<AttendanceOutcome>().Where(o => o != AttendanceOutcome.Pending), o => Assert.True(AttendanceHistory.IsImportable(o)));
        Assert.False(AttendanceHistory.IsImportable(AttendanceOutcome.Pending));
    }
}
