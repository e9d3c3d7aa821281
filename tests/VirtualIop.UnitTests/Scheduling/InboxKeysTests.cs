using VirtualIop.Scheduling.Messaging;

namespace VirtualIop.UnitTests.Scheduling;

public sealed class InboxKeysTests
{
    /// <summary>
    /// The inbox rows already stored carry these keys; a consumer whose key changed would apply every redelivered event
    /// again. Renaming a consumer class must not change its key.
    /// </summary>
    [Fact]
    public void Each_consumer_keeps_the_inbox_key_its_stored_deliveries_carry()
    {
        Assert.Equal(
            [
                "BookMotivationalInterview", "CompleteMakeupOnAttendance", "OfferMakeupOnAbsenceNotice", "OfferMakeupOnMiss", "RecordPlanAdjustment",
                "WithdrawMakeupOnNoticeWithdrawal", "RecordAttendanceOutcome",
                "WithdrawMakeupOnCorrection", "RecordContinuityPackageAddressed"
            ],
            new[]
            {
                BookMotivationalInterview.InboxKey, CompleteMakeupOnAttendance.InboxKey, OfferMakeupOnAbsenceNotice.InboxKey, OfferMakeupOnMiss.InboxKey,
                RecordPlanAdjustment.InboxKey, WithdrawMakeupOnNoticeWithdrawal.InboxKey, RecordAttendanceOutcome.InboxKey,
                WithdrawMakeupOnCorrection.InboxKey, RecordContinuityPackageAddressed.InboxKey
            });
    }
}
