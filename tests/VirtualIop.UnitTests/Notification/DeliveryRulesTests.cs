using VirtualIop.Notification.Domain;

namespace VirtualIop.UnitTests.Notification;

public class DeliveryRulesTests
{
    static readonly DateTimeOffset Start = new(2026, 12, 2, 18, 0, 0, TimeSpan.Zero);
    const int MaxAttempts = 5;

    [Fact]
    public void A_reminder_with_an_address_before_the_session_is_sent()
    {
        var decision = DeliveryRules.Decide(new DeliveryAttempt(DeliveryKind.Reminder, Start, 1, HasEmail: true), Start.AddHours(-1), MaxAttempts);

        Assert.IsType<DeliveryDecision.Send>(decision);
    }

    [Fact]
    public void A_reminder_that_comes_due_after_the_session_started_is_skipped_not_sent_late()
    {
        var decision = DeliveryRules.Decide(new DeliveryAttempt(DeliveryKind.Reminder, Start, 1, HasEmail: true), Start.AddMinutes(1), MaxAttempts);

        Assert.Contains("already started", Assert.IsType<DeliveryDecision.Skip>(decision).Reason);
    }

    [Fact]
    public void Outreach_after_a_missed_session_goes_out_after_the_session_of_course()
    {
        var decision = DeliveryRules.Decide(new DeliveryAttempt(DeliveryKind.MissedSession, Start, 1, HasEmail: true), Start.AddHours(2), MaxAttempts);

        Assert.IsType<DeliveryDecision.Send>(decision);
    }

    [Fact]
    public void A_patient_without_an_email_address_is_skipped_with_the_reason()
    {
        var decision = DeliveryRules.Decide(new DeliveryAttempt(DeliveryKind.MissedSession, Start, 1, HasEmail: false), Start.AddHours(2), MaxAttempts);

        Assert.Contains("No email address", Assert.IsType<DeliveryDecision.Skip>(decision).Reason);
    }

    [Fact]
    public void A_delivery_claimed_more_often_than_allowed_fails_instead_of_trying_forever()
    {
        var decision = DeliveryRules.Decide(new DeliveryAttempt(DeliveryKind.MissedSession, Start, MaxAttempts + 1, HasEmail: true), Start.AddHours(2), MaxAttempts);

        Assert.IsType<DeliveryDecision.GiveUp>(decision);
    }

    [Fact]
    public void After_a_transient_failure_the_wait_doubles_with_each_attempt()
    {
        var now = Start.AddDays(-1);

        Assert.Equal(now.AddMinutes(1), DeliveryRules.RetryAt(1, MaxAttempts, now));
        Assert.Equal(now.AddMinutes(2), DeliveryRules.RetryAt(2, MaxAttempts, now));
        Assert.Equal(now.AddMinutes(8), DeliveryRules.RetryAt(4, MaxAttempts, now));
    }

    [Fact]
    public void The_last_allowed_attempt_failing_transiently_is_final()
    {
        Assert.Null(DeliveryRules.RetryAt(MaxAttempts, MaxAttempts, Start));
    }

    [Fact]
    public void A_patient_who_opted_out_of_email_is_suppressed_not_sent_and_not_merely_skipped()
    {
        var decision = DeliveryRules.Decide(new DeliveryAttempt(DeliveryKind.MissedSession, Start, 1, HasEmail: true, OptedOut: true), Start.AddHours(2), MaxAttempts);

        Assert.Contains("opted out", Assert.IsType<DeliveryDecision.Suppress>(decision).Reason);
    }
}
