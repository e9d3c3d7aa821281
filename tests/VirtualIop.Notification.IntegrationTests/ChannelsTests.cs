using System.Net;
using System.Text;
using System.Text.Json;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Notification;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.TestSupport;

namespace VirtualIop.Notification.IntegrationTests;

/// <summary>SMS and push go to real HTTP listeners on 127.0.0.1, and the tests read back what arrived.</summary>
[Collection(NotificationCollection.Name)]
public sealed class ChannelsTests(PostgresServer postgres, RabbitMqBroker rabbitMq, SmtpSink smtp) : IAsyncLifetime
{
    readonly NotificationService service = new(postgres, rabbitMq, smtp);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => service.DisposeAsync();

    static SessionMissed Missed(Guid clinic, Guid patient)
    {
        var now = DateTimeOffset.UtcNow;
        return new SessionMissed(Guid.CreateVersion7(), clinic, Guid.NewGuid(), patient, now.AddHours(-1), "America/New_York", now);
    }

    [Fact]
    public async Task A_patient_who_prefers_texts_gets_the_reminder_by_SMS_with_a_time_and_a_link_and_no_PHI()
    {
        await using var provider = new RecordingHttpServer();
        service.SmsProviderUrl = provider.BaseUrl;
        await service.InitializeAsync();
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        var email = $"p-{patient:N}@example.test";
        await service.RegisterPreferences(clinic, patient, new { email, phone = "+15557654321", channels = new[] { "sms", "email" } });
        var startsAt = DateTimeOffset.UtcNow.AddMinutes(10);
        var session = new SessionScheduled(Guid.CreateVersion7(), clinic, Guid.NewGuid(), "individualTherapy", startsAt, startsAt.AddHours(1),
            "America/New_York", [patient]);
        await service.Broker.Publish(session);
        await service.WaitForDeliveries(clinic, session.SessionId, d => d.Count == 2, "two planned reminders");

        await service.Dispatcher.RunOnce(startsAt - NotificationService.FirstOffset, default);

        var text = Assert.Single(provider.Requests);
        Assert.Equal(("POST", $"/2010-04-01/Accounts/{NotificationService.SmsAccountSid}/Messages.json"), (text.Method, text.Path));
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{NotificationService.SmsAccountSid}:{NotificationService.SmsAuthToken}")),
            text.Headers["Authorization"]);
        var form = text.Form();
        Assert.Equal(("+15557654321", NotificationService.SmsFromNumber), (form["To"], form["From"]));
        var local = TimeZoneInfo.ConvertTime(startsAt, TimeZoneInfo.FindSystemTimeZoneById("America/New_York"));
        Assert.Contains($"{local:HH:mm} (America/New_York)", form["Body"]);
        NotificationService.PersonalLinkToken(form["Body"], "/patient/sessions");
        foreach (var phi in new[] { patient.ToString(), clinic.ToString(), email, "therapy", "individual", "group", "diagnos", "program" })
            Assert.DoesNotContain(phi, form["Body"], StringComparison.OrdinalIgnoreCase);

        var sent = (await service.Deliveries(clinic, session.SessionId))[0];
        Assert.Equal(("sms", "sent"), (sent.Channel, sent.Status));
        var announced = await service.Broker.WaitFor<ReminderSent>(e => e.DeliveryId == sent.Id, 1);
        Assert.Equal("sms", announced[0].Channel);
        Assert.Empty(await smtp.MessagesToAsync(email));
    }

    [Fact]
    public async Task A_number_the_provider_refuses_is_not_retried_falls_back_to_email_and_publishes_DeliveryFailed()
    {
        await using var provider = new RecordingHttpServer(HttpStatusCode.BadRequest);
        service.SmsProviderUrl = provider.BaseUrl;
        await service.InitializeAsync();
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        var email = $"p-{patient:N}@example.test";
        await service.RegisterPreferences(clinic, patient, new { email, phone = "+15550000000", channels = new[] { "sms", "email" } });
        var missed = Missed(clinic, patient);

        await service.Broker.Publish(missed);

        var mail = await smtp.WaitForMessageAsync(email);
        Assert.StartsWith("We missed you", mail.Subject);
        var delivery = Assert.Single(await service.WaitForDeliveries(clinic, missed.SessionId, d => d is [{ Status: "sent" }], "the outreach sent"));
        Assert.Equal("email", delivery.Channel);
        var failed = Assert.Single(await service.Broker.WaitFor<DeliveryFailed>(e => e.DeliveryId == delivery.Id, 1));
        Assert.Equal(("sms", "refused", patient, (Guid?)missed.SessionId), (failed.Channel, failed.Reason, failed.PatientId, failed.SessionId));
        await service.Dispatcher.RunOnce(DateTimeOffset.UtcNow.AddHours(1), default);
        Assert.Single(provider.Requests);
    }

    [Fact]
    public async Task A_provider_that_is_briefly_down_is_retried_with_backoff_and_the_text_goes_out()
    {
        await using var provider = new RecordingHttpServer(HttpStatusCode.ServiceUnavailable);
        service.SmsProviderUrl = provider.BaseUrl;
        await service.InitializeAsync();
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        await service.RegisterPreferences(clinic, patient, new { phone = "+15557654322" });
        var missed = Missed(clinic, patient);

        await service.Broker.Publish(missed);

        var delivery = Assert.Single(await service.WaitForDeliveries(clinic, missed.SessionId, d => d is [{ Status: "sent" }], "the text sent"));
        Assert.Equal("sms", delivery.Channel);
        Assert.Equal(2, provider.Requests.Count);
        Assert.Empty(service.Broker.Received<DeliveryFailed>(e => e.DeliveryId == delivery.Id));
    }

    [Fact]
    public async Task Push_goes_to_the_clinic_app_backend_as_a_signed_webhook()
    {
        await using var backend = new RecordingHttpServer(HttpStatusCode.Accepted);
        service.PushWebhookUrl = backend.BaseUrl + "/push";
        await service.InitializeAsync();
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        await service.RegisterPreferences(clinic, patient, new { pushAddress = "app-user-7", email = $"p-{patient:N}@example.test" , channels = new[] { "push", "email" } });
        var missed = Missed(clinic, patient);

        await service.Broker.Publish(missed);

        var delivery = Assert.Single(await service.WaitForDeliveries(clinic, missed.SessionId, d => d is [{ Status: "sent" }], "the push sent"));
        Assert.Equal("push", delivery.Channel);
        var push = Assert.Single(backend.Requests);
        Assert.Equal("/push", push.Path);
        var timestamp = long.Parse(push.Headers[WebhookSignature.TimestampHeader]);
        Assert.Equal(WebhookSignature.Compute(NotificationService.PushSecret, timestamp, "POST", "/push", push.Body), push.Headers[WebhookSignature.SignatureHeader]);
        var json = JsonDocument.Parse(push.Body).RootElement;
        Assert.Equal(("app-user-7", delivery.Id), (json.GetProperty("recipient").GetString(), json.GetProperty("deliveryId").GetGuid()));
        NotificationService.PersonalLinkToken(json.GetProperty("text").GetString()!, $"/patient/catch-up/{missed.SessionId}");
    }

    [Fact]
    public async Task When_every_channel_refuses_the_delivery_fails_with_one_DeliveryFailed_per_channel()
    {
        await using var provider = new RecordingHttpServer(HttpStatusCode.BadRequest);
        await using var backend = new RecordingHttpServer(HttpStatusCode.Gone);
        service.SmsProviderUrl = provider.BaseUrl;
        service.PushWebhookUrl = backend.BaseUrl + "/push";
        await service.InitializeAsync();
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        await service.RegisterPreferences(clinic, patient, new { phone = "+15557654323", pushAddress = "gone-user" });
        var missed = Missed(clinic, patient);

        await service.Broker.Publish(missed);

        var delivery = Assert.Single(await service.WaitForDeliveries(clinic, missed.SessionId, d => d is [{ Status: "failed" }], "the outreach failed"));
        Assert.Contains("410", delivery.Detail);
        var failures = await service.Broker.WaitFor<DeliveryFailed>(e => e.DeliveryId == delivery.Id, 2);
        Assert.Equal(["push", "sms"], failures.Select(f => f.Channel).Order());
        await service.Dispatcher.RunOnce(DateTimeOffset.UtcNow.AddHours(1), default);
        Assert.Equal((1, 1), (provider.Requests.Count, backend.Requests.Count));
    }
}
