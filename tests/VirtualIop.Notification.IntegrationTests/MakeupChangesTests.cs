using VirtualIop.Contracts;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.TestSupport;

namespace VirtualIop.Notification.IntegrationTests;

/// <summary>
/// What Notification says when a makeup offer changes after it was made: withdrawn with the absence notice, run out, or
/// open again because the makeup session it was booked into was cancelled. Read back from the SMTP sink and an SMS listener.
/// </summary>
[Collection(NotificationCollection.Name)]
public sealed class MakeupChangesTests(PostgresServer postgres, RabbitMqBroker rabbitMq, SmtpSink smtp, IdleDispatcherService idle)
    : IClassFixture<IdleDispatcherService>, IAsyncLifetime
{
    static readonly string[] Punitive = ["violat", "policy", "política", "penalt", "warning", "unexcused", "no-show", "consequence", "must "];
    static readonly DateTimeOffset MakeupStartsAt = new(2030, 3, 5, 23, 0, 0, TimeSpan.Zero);
    const string MakeupTimeZone = "America/New_York";

    NotificationService service = idle.Service;
    NotificationService? own;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => own?.DisposeAsync() ?? Task.CompletedTask;

    /// <summary>Gives this test a service of its own in place of the shared one, for settings of its own: set them, then start it.</summary>
    NotificationService OwnService() => service = own = new(postgres, rabbitMq, smtp);

    static SessionMissed Missed(Guid clinic, Guid patient)
    {
        var now = DateTimeOffset.UtcNow;
        return new SessionMissed(Guid.CreateVersion7(), clinic, Guid.NewGuid(), patient, now.AddHours(-1), "America/Chicago", now);
    }

    static MakeupOffered Offer(Guid clinic, Guid patient, Guid missedSessionId, params string[] kinds) =>
        new(Guid.CreateVersion7(), clinic, Guid.NewGuid(), missedSessionId, patient, kinds, DateTimeOffset.UtcNow.AddDays(7));

    async Task<string> Body(string email, string subjectStart)
    {
        var mail = await smtp.WaitForMessageAsync(email, m => m.Subject?.StartsWith(subjectStart, StringComparison.Ordinal) == true);
        return mail.Subject + "\n" + await smtp.GetPlainTextAsync(mail);
    }

    async Task PublishOnce<T>(T message) where T : class, IIntegrationEvent
    {
        await service.Broker.Publish(message);
        await service.Consumed.WaitFor(message.EventId, times: 1);
    }

    async Task PublishTwice<T>(T message) where T : class, IIntegrationEvent
    {
        await service.Broker.Publish(message);
        await service.Broker.Publish(message);
        await service.Consumed.WaitFor(message.EventId, times: 2);
    }

    /// <summary>The patient misses a session and the we-missed-you message goes out, so what follows is a follow-up.</summary>
    async Task<SessionMissed> SendTheMissMessage(Guid clinic, Guid patient, string email)
    {
        var missed = Missed(clinic, patient);
        await service.Broker.Publish(missed);
        await service.WaitForDeliveries(clinic, missed.SessionId, d => d.Count == 1, "the miss message queued");
        await service.Dispatcher.RunOnce(DateTimeOffset.UtcNow.AddMinutes(1), default);
        await Body(email, "We missed you");
        return missed;
    }

    /// <summary>The patient takes a seat in a makeup session, as Scheduling announces it: they join the session and the makeup is booked.</summary>
    async Task<Guid> BookIntoSession(MakeupOffered offer)
    {
        var sessionId = Guid.NewGuid();
        var added = new SessionParticipantAdded(Guid.CreateVersion7(), offer.ClinicId, sessionId, offer.PatientId, MakeupStartsAt, MakeupStartsAt.AddHours(1),
            MakeupTimeZone);
        var booked = new MakeupBooked(Guid.CreateVersion7(), offer.ClinicId, offer.MakeupId, offer.MissedSessionId, offer.PatientId, "extraGroupSlot",
            sessionId, MakeupStartsAt, MakeupTimeZone);
        await PublishOnce(added);
        await PublishOnce(booked);
        return sessionId;
    }

    [Fact]
    public async Task A_withdrawn_makeup_is_left_out_of_the_we_missed_you_message_still_to_go_and_nothing_is_sent_about_it()
    {
        var (clinic, patient, email) = await service.NewPatient();
        var missed = Missed(clinic, patient);
        var offer = Offer(clinic, patient, missed.SessionId, "oneOnOne");
        await PublishOnce(offer);
        await service.Broker.Publish(missed);
        await service.WaitForDeliveries(clinic, missed.SessionId, d => d is [{ Kind: "missedSession", Status: "pending" }], "the miss message queued");

        var withdrawn = new MakeupWithdrawn(Guid.CreateVersion7(), clinic, offer.MakeupId, missed.SessionId, patient, DateTimeOffset.UtcNow);
        await PublishTwice(withdrawn);
        await service.Dispatcher.RunOnce(DateTimeOffset.UtcNow.AddMinutes(1), default);

        var text = await Body(email, "We missed you");
        Assert.DoesNotContain("one-on-one", text);
        Assert.Contains("Your care team can also help you find a makeup time", text);
        Assert.Single(await smtp.MessagesToAsync(email));
        Assert.Equal(["missedSession"], (await service.PatientDeliveries(clinic, patient)).Select(d => d.Kind));
    }

    [Fact]
    public async Task A_follow_up_that_was_only_for_a_withdrawn_makeup_is_cancelled_with_the_reason_and_never_sent()
    {
        var (clinic, patient, email) = await service.NewPatient();
        var missed = await SendTheMissMessage(clinic, patient, email);
        var offer = Offer(clinic, patient, missed.SessionId, "recording");
        await service.Broker.Publish(offer);
        await service.WaitForDeliveries(clinic, missed.SessionId, d => d.Any(x => x is { Kind: "makeupOptions", Status: "pending" }), "the follow-up queued");

        var withdrawn = new MakeupWithdrawn(Guid.CreateVersion7(), clinic, offer.MakeupId, missed.SessionId, patient, DateTimeOffset.UtcNow);
        await PublishTwice(withdrawn);
        await service.Dispatcher.RunOnce(DateTimeOffset.UtcNow.AddMinutes(1), default);

        var followUp = (await service.Deliveries(clinic, missed.SessionId)).Single(d => d.Kind == "makeupOptions");
        Assert.Equal(("cancelled", "cancelled"), (followUp.Status, followUp.State));
        Assert.Equal("The makeup offer was withdrawn with the absence notice.", followUp.Detail);
        Assert.Single(await smtp.MessagesToAsync(email));
    }

    [Fact]
    public async Task An_expired_makeup_is_dropped_from_the_follow_up_still_to_go_without_a_message_while_other_options_stay_listed()
    {
        var (clinic, patient, email) = await service.NewPatient();
        var missed = await SendTheMissMessage(clinic, patient, email);
        var expiring = Offer(clinic, patient, missed.SessionId, "oneOnOne");
        var staying = Offer(clinic, patient, missed.SessionId, "recording");
        await service.Broker.Publish(expiring);
        await service.Broker.Publish(staying);
        await service.Consumed.WaitFor(staying.EventId, times: 1);
        await service.WaitForDeliveries(clinic, missed.SessionId, d => d.Any(x => x is { Kind: "makeupOptions", Status: "pending" }), "the follow-up queued");

        var expired = new MakeupExpired(Guid.CreateVersion7(), clinic, expiring.MakeupId, missed.SessionId, patient, DateTimeOffset.UtcNow);
        await PublishTwice(expired);
        await service.Dispatcher.RunOnce(DateTimeOffset.UtcNow.AddMinutes(1), default);

        var followUp = await Body(email, "Ways to catch up");
        Assert.Contains("the recording", followUp);
        Assert.DoesNotContain("one-on-one", followUp);
        Assert.Equal(2, (await smtp.MessagesToAsync(email)).Count);
    }

    [Fact]
    public async Task A_withdrawal_delivered_before_its_offer_keeps_the_makeup_out_of_the_options_until_it_is_offered_again_later()
    {
        var (clinic, patient, email) = await service.NewPatient();
        var missed = Missed(clinic, patient);
        await service.Broker.Publish(missed);
        await service.WaitForDeliveries(clinic, missed.SessionId, d => d is [{ Kind: "missedSession", Status: "pending" }], "the miss message queued");
        var withdrawnAt = DateTimeOffset.UtcNow;
        var offer = Offer(clinic, patient, missed.SessionId, "oneOnOne") with { OfferedAt = withdrawnAt.AddMinutes(-1) };
        var withdrawn = new MakeupWithdrawn(Guid.CreateVersion7(), clinic, offer.MakeupId, missed.SessionId, patient, withdrawnAt);

        await PublishTwice(withdrawn);
        await PublishTwice(offer);
        await service.Dispatcher.RunOnce(DateTimeOffset.UtcNow.AddMinutes(1), default);

        var first = await Body(email, "We missed you");
        Assert.DoesNotContain("one-on-one", first);
        Assert.Contains("Your care team can also help you find a makeup time", first);
        Assert.Equal(["missedSession"], (await service.PatientDeliveries(clinic, patient)).Select(d => d.Kind));

        var reoffered = offer with { EventId = Guid.CreateVersion7(), OfferedAt = withdrawnAt.AddMinutes(1) };
        await PublishTwice(reoffered);
        await service.Dispatcher.RunOnce(DateTimeOffset.UtcNow.AddMinutes(1), default);

        var followUp = await Body(email, "Ways to catch up");
        Assert.Contains("a one-on-one session", followUp);
        Assert.Equal(2, (await smtp.MessagesToAsync(email)).Count);
    }

    [Fact]
    public async Task A_makeup_offered_again_after_its_session_was_cancelled_brings_one_supportive_message_with_the_options_and_the_link()
    {
        OwnService(); // the hosted dispatcher sends here, which the shared one leaves to the tests
        var (clinic, patient, email) = await service.InitializeWithNewPatient();
        var missedSessionId = Guid.NewGuid();
        var offer = Offer(clinic, patient, missedSessionId, "oneOnOne", "extraGroupSlot");
        await PublishOnce(offer);
        var makeupSessionId = await BookIntoSession(offer);
        await Body(email, "Your makeup is booked");

        var reoffered = offer with { EventId = Guid.CreateVersion7() };
        await PublishTwice(reoffered);
        var cancelled = new SessionCancelled(Guid.CreateVersion7(), clinic, makeupSessionId, MakeupStartsAt, MakeupTimeZone, "clinicianUnavailable");
        await PublishOnce(cancelled);

        var text = await Body(email, "Your makeup can no longer go ahead");
        Assert.Contains("Tuesday, 5 March 2030 at 18:00 (America/New_York)", text);
        Assert.Contains("not because of anything you did", text);
        Assert.Contains("a one-on-one session", text);
        Assert.Contains("a place in an extra session", text);
        NotificationService.PersonalLinkToken(text, "/patient/makeups");
        foreach (var word in Punitive) Assert.DoesNotContain(word, text, StringComparison.OrdinalIgnoreCase);
        await service.WaitForDeliveries(clinic, makeupSessionId, d => d.Any(x => x is { Kind: "makeupReopened", Status: "sent" }), "the message sent");
        await service.Dispatcher.RunOnce(DateTimeOffset.UtcNow.AddMinutes(1), default);
        Assert.Equal(["Your makeup can no longer go ahead - your options are open again", "Your makeup is booked"],
            (await smtp.MessagesToAsync(email)).Select(m => m.Subject).Order());
        Assert.DoesNotContain(await service.Deliveries(clinic, makeupSessionId), d => d.Kind is "sessionCancelled" or "makeupOptions");
    }

    [Fact]
    public async Task A_spanish_speaker_who_prefers_texts_gets_the_reopened_makeup_by_SMS_in_place_of_the_cancellation_notice_and_without_care_details()
    {
        await using var provider = new RecordingHttpServer();
        OwnService();
        service.SmsProviderUrl = provider.BaseUrl;
        service.DispatchInterval = TimeSpan.FromHours(1); // the cancellation notice is still pending when the makeup is offered again
        await service.InitializeAsync();
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        await service.RegisterPreferences(clinic, patient, new { phone = "+15557654321", channels = new[] { "sms" }, language = "es" });
        var missedSessionId = Guid.NewGuid();
        var offer = Offer(clinic, patient, missedSessionId, "oneOnOne");
        await PublishOnce(offer);
        var makeupSessionId = await BookIntoSession(offer);
        var cancelled = new SessionCancelled(Guid.CreateVersion7(), clinic, makeupSessionId, MakeupStartsAt, MakeupTimeZone, "clinicianUnavailable");
        await service.Broker.Publish(cancelled);
        await service.WaitForDeliveries(clinic, makeupSessionId, d => d.Any(x => x is { Kind: "sessionCancelled", Status: "pending" }), "the notice queued");

        var reoffered = offer with { EventId = Guid.CreateVersion7() };
        await PublishTwice(reoffered);
        await service.Dispatcher.RunOnce(DateTimeOffset.UtcNow.AddMinutes(1), default);

        var deliveries = await service.Deliveries(clinic, makeupSessionId);
        var notice = deliveries.Single(d => d.Kind == "sessionCancelled");
        Assert.Equal(("cancelled", "Replaced by the message that the makeup can no longer go ahead."), (notice.Status, notice.Detail));
        Assert.Equal(("sms", "sent"), deliveries.Where(d => d.Kind == "makeupReopened").Select(d => (d.Channel, d.Status)).Single());
        var texts = provider.Requests.Select(r => r.Form()["Body"]).ToList();
        Assert.Equal(2, texts.Count); // the booking's confirmation and the reopened makeup, nothing else
        var text = Assert.Single(texts, t => t.Contains("ya no podrá celebrarse", StringComparison.Ordinal));
        Assert.Contains("martes, 5 de marzo de 2030 a las 18:00 (America/New_York)", text);
        NotificationService.PersonalLinkToken(text, "/patient/makeups");
        foreach (var care in new[] { "individual", "plaza", "one-on-one", "grupo", "terapia", patient.ToString() })
            Assert.DoesNotContain(care, text, StringComparison.OrdinalIgnoreCase);
    }
}
