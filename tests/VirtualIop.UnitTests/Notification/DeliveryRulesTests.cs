using VirtualIop.Notification.Domain;

namespace VirtualIop.UnitTests.Notification;

public class DeliveryRulesTests
{
    static readonly DateTimeOffset Start = new(2026, 12, 2, 18, 0, 0, TimeSpan.Zero);
    const int MaxAttempts = 5;
    static readonly ChannelOption[] EmailOnly = [new(Channel.Email, HasAddress: true, OptedOut: false)];

    [Fact]
    public void A_reminder_with_an_address_before_the_session_is_sent()
    {
        var decision = DeliveryRules.Decide(new DeliveryAttempt(DeliveryKind.Reminder, Start, 1, EmailOnly, []), Start.AddHours(-1), MaxAttempts);

        Assert.IsType<DeliveryDecision.Send>(decision);
    }

    [Fact]
    public void A_reminder_that_comes_due_after_the_session_started_is_skipped_not_sent_late()
    {
        var decision = DeliveryRules.Decide(new DeliveryAttempt(DeliveryKind.Reminder, Start, 1, EmailOnly, []), Start.AddMinutes(1), MaxAttempts);

        Assert.Contains("already started", Assert.IsType<DeliveryDecision.Skip>(decision).Reason);
    }

    [Fact]
    public void Outreach_after_a_missed_session_goes_out_after_the_session_of_course()
    {
        var decision = DeliveryRules.Decide(new DeliveryAttempt(DeliveryKind.MissedSession, Start, 1, EmailOnly, []), Start.AddHours(2), MaxAttempts);

        Assert.IsType<DeliveryDecision.Send>(decision);
    }

    [Fact]
    public void A_patient_without_an_email_address_is_skipped_with_the_reason()
    {
        var decision = DeliveryRules.Decide(new DeliveryAttempt(DeliveryKind.MissedSession, Start, 1, [new(Channel.Email, false, false)], []), Start.AddHours(2), MaxAttempts);

        Assert.Contains("No email address", Assert.IsType<DeliveryDecision.Skip>(decision).Reason);
    }

    [Fact]
    public void A_delivery_claimed_more_often_than_allowed_fails_instead_of_trying_forever()
    {
        var decision = DeliveryRules.Decide(new DeliveryAttempt(DeliveryKind.MissedSession, Start, MaxAttempts + 1, EmailOnly, []), Start.AddHours(2), MaxAttempts);

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
        var decision = DeliveryRules.Decide(new DeliveryAttempt(DeliveryKind.MissedSession, Start, 1, [new(Channel.Email, true, true)], []), Start.AddHours(2), MaxAttempts);

        Assert.Contains("opted out", Assert.IsType<DeliveryDecision.Suppress>(decision).Reason);
    }

    static DeliveryDecision DecideWith(IReadOnlyList<ChannelOption> channels, params Channel[] failed) =>
        DeliveryRules.Decide(new DeliveryAttempt(DeliveryKind.Reminder, Start, 1, channels, failed), Start.AddHours(-1), MaxAttempts);

    [Fact]
    public void The_patients_first_channel_is_used()
    {
        var decision = DecideWith([new(Channel.Sms, true, false), new(Channel.Email, true, false)]);

        Assert.Equal(Channel.Sms, Assert.IsType<DeliveryDecision.Send>(decision).Channel);
    }

    [Fact]
    public void A_channel_that_refused_the_message_for_good_falls_back_to_the_next()
    {
        var decision = DecideWith([new(Channel.Sms, true, false), new(Channel.Push, true, false), new(Channel.Email, true, false)], Channel.Sms);

        Assert.Equal(Channel.Push, Assert.IsType<DeliveryDecision.Send>(decision).Channel);
    }

    [Fact]
    public void An_opted_out_channel_is_passed_over_for_the_next()
    {
        var decision = DecideWith([new(Channel.Sms, true, OptedOut: true), new(Channel.Email, true, false)]);

        Assert.Equal(Channel.Email, Assert.IsType<DeliveryDecision.Send>(decision).Channel);
    }

    [Fact]
    public void When_every_channel_refused_the_delivery_fails()
    {
        var decision = DecideWith([new(Channel.Sms, true, false), new(Channel.Email, true, false)], Channel.Sms, Channel.Email);

        Assert.Contains("sms, email", Assert.IsType<DeliveryDecision.GiveUp>(decision).Reason);
    }

    [Fact]
    public void Opted_out_of_every_channel_is_suppressed_naming_them()
    {
        var decision = DecideWith([new(Channel.Sms, true, true), new(Channel.Email, true, true)]);

        Assert.Equal("The patient opted out of sms, email.", Assert.IsType<DeliveryDecision.Suppress>(decision).Reason);
    }
}
