using VirtualIop.Notification.Domain;

namespace VirtualIop.UnitTests.Notification;

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
    public void A_we_missed_you_no_longer_applies_once_the_miss_is_corrected_to_attendance_or_an_excused_absence(string outcome, bool undone) =>
        Assert.Equal(undone, MissCorrection.UndoesMiss(outcome));
}
