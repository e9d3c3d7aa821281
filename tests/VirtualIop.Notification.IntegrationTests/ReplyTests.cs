using System.Net;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Notification;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.TestSupport;

namespace VirtualIop.Notification.IntegrationTests;

/// <summary>Patients answer a texted reminder with C (confirm) or N (cannot attend), through the signed provider webhook.</summary>
[Collection(NotificationCollection.Name)]
public sealed class ReplyTests(ReplyTests.TextingService texting) : IClassFixture<ReplyTests.TextingService>
{
    const string DeclinedType = "VirtualIop.Contracts.Notification.SessionDeclinedByReply";

    readonly NotificationService service = texting.Service;

    /// <summary>One service for the class, sending texts to a provider listener that accepts every one.</summary>
    public sealed class TextingService(PostgresServer postgres, RabbitMqBroker rabbitMq, SmtpSink smtp) : IAsyncLifetime
    {
        readonly RecordingHttpServer provider = new();

        public NotificationService Service { get; } = new(postgres, rabbitMq, smtp);

        public async Task InitializeAsync()
        {
            Service.SmsProviderUrl = provider.BaseUrl;
            await Service.InitializeAsync();
        }

        public async Task DisposeAsync()
        {
            await Service.DisposeAsync();
            await provider.DisposeAsync();
        }
    }

    /// <summary>A patient reachable by text whose first reminder of an upcoming session went out by SMS.</summary>
    async Task<(Guid Clinic, Guid Patient, string Phone, SessionScheduled Session)> RemindedByText()
    {
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        var phone = "+1555" + Random.Shared.Next(1_000_000, 9_999_999);
        await service.RegisterPreferences(clinic, patient, new { phone, channels = new[] { "sms" }, timeZone = "America/New_York" });
        var startsAt = DateTimeOffset.UtcNow.AddMinutes(10);
        var session = new SessionScheduled(Guid.CreateVersion7(), clinic, Guid.NewGuid(), "groupTherapy", startsAt, startsAt.AddHours(1), "America/New_York",
            [patient]);
        await service.Broker.Publish(session);
        await service.WaitForDeliveries(clinic, session.SessionId, d => d.Count == 2, "two planned reminders");
        await service.Dispatcher.RunOnce(startsAt - NotificationService.FirstOffset, default);
        await service.WaitForDeliveries(clinic, session.SessionId, d => d.Any(x => x.Status == "sent"), "the first reminder texted");
        return (clinic, patient, phone, session);
    }

    Task<int> DeclinesInOutbox(Guid sessionId) =>
        service.CountWhere("outbox_message", "message_type = @Type and body->>'sessionId' = @Session", new { Type = DeclinedType, Session = sessionId.ToString() });

    [Fact]
    public async Task N_becomes_SessionDeclinedByReply_on_the_bus_withdraws_the_remaining_reminders_and_answers_with_the_makeup_link()
    {
        var (clinic, patient, phone, session) = await RemindedByText();

        var response = await service.ReceiveSms(clinic, phone, "N");

        var twiml = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("thanks for letting us know", twiml);
        NotificationService.PersonalLinkToken(twiml, "/patient/makeups");
        Assert.Contains("(America/New_York)", twiml);
        var declined = Assert.Single(await service.Broker.WaitFor<SessionDeclinedByReply>(e => e.SessionId == session.SessionId, count: 1));
        Assert.Equal((clinic, patient, "sms"), (declined.ClinicId, declined.PatientId, declined.Channel));
        Assert.Equal(["sent", "cancelled"], (await service.Deliveries(clinic, session.SessionId)).Select(d => d.Status));
    }

    [Fact]
    public async Task A_repeated_N_declines_once_and_the_absence_notice_it_becomes_is_not_acknowledged_a_second_time()
    {
        var (clinic, patient, phone, session) = await RemindedByText();

        await service.ReceiveSms(clinic, phone, "N");
        var again = await service.ReceiveSms(clinic, phone, "n.");
        NotificationService.PersonalLinkToken(await again.Content.ReadAsStringAsync(), "/patient/makeups");
        Assert.Equal(1, await DeclinesInOutbox(session.SessionId));

        var notice = new AbsenceNotified(Guid.CreateVersion7(), clinic, Guid.NewGuid(), session.SessionId, patient, "other", true, session.StartsAt,
            session.TimeZone, DateTimeOffset.UtcNow);
        await service.Broker.Publish(notice);
        await service.Consumed.WaitFor(notice.EventId, times: 1);
        Assert.DoesNotContain(await service.Deliveries(clinic, session.SessionId), d => d.Kind == "absenceAcknowledged");
    }

    [Fact]
    public async Task C_confirms_the_next_reminded_session_and_a_later_N_still_declines_it()
    {
        var (clinic, _, phone, session) = await RemindedByText();

        var confirm = await service.ReceiveSms(clinic, phone, "C");

        var twiml = await confirm.Content.ReadAsStringAsync();
        Assert.Contains("confirmed for", twiml);
        NotificationService.PersonalLinkToken(twiml, "/patient/sessions");
        Assert.Equal(1, await service.CountWhere("session_reply", "clinic_id = @Clinic and session_id = @Session and reply = 'confirmed'",
            new { Clinic = clinic, Session = session.SessionId }));
        Assert.Equal(0, await DeclinesInOutbox(session.SessionId));

        await service.ReceiveSms(clinic, phone, "N");
        var afterDecline = await service.ReceiveSms(clinic, phone, "C");

        Assert.Equal(1, await DeclinesInOutbox(session.SessionId));
        NotificationService.PersonalLinkToken(await afterDecline.Content.ReadAsStringAsync(), "/patient/makeups");
    }

    [Fact]
    public async Task C_with_no_upcoming_reminded_session_is_answered_with_where_to_get_help()
    {
        var clinic = Guid.NewGuid();
        var phone = "+1555" + Random.Shared.Next(1_000_000, 9_999_999);
        await service.RegisterPreferences(clinic, Guid.NewGuid(), new { phone });

        var response = await service.ReceiveSms(clinic, phone, "C");

        var twiml = await response.Content.ReadAsStringAsync();
        Assert.Contains("could not find an upcoming session", twiml);
        NotificationService.PersonalLinkToken(twiml, "/patient/sessions");
        Assert.Equal(0, await service.Count("session_reply", clinic));
    }

    [Fact]
    public async Task N_from_an_unknown_number_is_ignored()
    {
        var (clinic, _, _, session) = await RemindedByText();

        var response = await service.ReceiveSms(clinic, "+15559999999", "N");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("<Message>", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await service.Count("session_reply", clinic));
        Assert.Equal(0, await DeclinesInOutbox(session.SessionId));
    }
}
