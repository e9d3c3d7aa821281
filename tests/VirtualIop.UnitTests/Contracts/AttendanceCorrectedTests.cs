using VirtualIop.Contracts.Attendance;

namespace VirtualIop.UnitTests.Contracts;

public sealed class AttendanceCorrectedTests
{
    [Theory]
    [InlineData("present", true)]
    [InlineData("late", true)]
    [InlineData("partial", true)]
    [InlineData("excusedAbsence", true)]
    [InlineData("unexcusedAbsence", false)]
    [InlineData("noShow", false)]
    [InlineData("somethingNewer", false)]
    public void A_miss_corrected_to_attendance_or_an_excused_absence_leaves_nothing_to_make_up_or_to_send(string outcome, bool undone) =>
        Assert.Equal(undone, AttendanceCorrected.UndoesMiss(outcome));
}
