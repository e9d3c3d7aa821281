using VirtualIop.Attendance.Data;

namespace VirtualIop.UnitTests.Attendance;

public sealed class ReplyRecorderTests
{
    [Theory]
    [InlineData("sms", "patient:sms-reply")]
    [InlineData("SMS", "patient:sms-reply")]
    [InlineData("push", "patient:push-reply")]
    [InlineData("sms<script>", "patient:smsscript-reply")]
    [InlineData("", "patient:unknown-reply")]
    public void A_declined_reply_is_recorded_by_the_patient_through_its_channel(string channel, string recordedBy)
    {
        Assert.Equal(recordedBy, AbsenceNotices.ReplyRecorder(channel));
    }
}
