using VirtualIop.Scheduling.Domain;

namespace VirtualIop.UnitTests.Scheduling;

public sealed class MissCorrectionTests
{
    [Theory]
    [InlineData("present", true)]
    [InlineData("late", true)]
    [InlineData("partial", true)]
    [InlineData("excusedAbsence", true)]
    [InlineData("unexcusedAbsence", false)]
    [InlineData("noShow", false)]
    [InlineData("somethingNewer", false)]
    public void A_miss_corrected_to_attendance_or_an_excused_absence_leaves_nothing_to_make_up(string outcome, bool undone) =>
        Assert.Equal(undone, MissCorrection.UndoesMiss(outcome));
}
