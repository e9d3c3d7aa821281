using VirtualIop.Attendance.Domain;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Web.Patient;

namespace VirtualIop.UnitTests.Web;

public sealed class AbsenceReasonsTests
{
    [Fact]
    public void The_form_offers_exactly_the_taxonomy_Attendance_accepts() =>
        Assert.Equal(Enum.GetValues<AbsenceReason>().Select(WireName.Of), AbsenceReasons.All.Select(r => r.Category));

    [Theory]
    [InlineData("technical", "technicalDifficulty")]
    [InlineData("scheduling", "schedulingConflict")]
    [InlineData("motivation", "lowMotivation")]
    public void A_plain_choice_is_sent_as_its_category(string choice, string category) => Assert.Equal(category, AbsenceReasons.Category(choice));

    [Theory]
    [InlineData(null)]
    [InlineData("technicalDifficulty")]
    [InlineData("vacation")]
    public void Anything_else_is_no_reason(string? choice) => Assert.Null(AbsenceReasons.Category(choice));
}
