using VirtualIop.Notification.Domain;

namespace VirtualIop.UnitTests.Notification;

/// <summary>The technical check's results ride to the help desk on the ticket's topic, and only a topic it wrote reads back as a check.</summary>
public sealed class TechnicalCheckTests
{
    [Fact]
    public void A_check_reads_back_from_the_topic_it_writes()
    {
        var check = new TechnicalCheck("failed", "ok", "skipped");

        Assert.Equal("technicalCheck:camera=failed,microphone=ok,connection=skipped", check.ToTopic());
        Assert.Equal(check, TechnicalCheck.FromTopic(check.ToTopic()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("absenceNotice")]
    [InlineData("attendanceCorrection")]
    [InlineData("technicalCheck:camera=broken,microphone=ok,connection=ok")]
    [InlineData("technicalCheck:camera=ok,microphone=ok")]
    [InlineData("technicalCheck:camera=ok,camera=ok,connection=ok")]
    [InlineData("technicalCheck:camera=ok,microphone=ok,connection=ok,extra=ok")]
    public void Any_other_topic_is_not_a_check(string? topic) => Assert.Null(TechnicalCheck.FromTopic(topic));

    [Theory]
    [InlineData("ok", true)]
    [InlineData("failed", true)]
    [InlineData("skipped", true)]
    [InlineData("OK", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void A_result_is_ok_failed_or_skipped(string? value, bool valid) => Assert.Equal(valid, TechnicalCheck.IsResult(value));
}
