using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VirtualIop.Contracts.Attendance;
using VirtualIop.TestSupport;

namespace VirtualIop.Notification.IntegrationTests;

/// <summary>A push title shows on a lock screen: the clinic's email subject, which may name the makeups on offer, never becomes one.</summary>
[Collection(NotificationCollection.Name)]
public sealed class PushTitleTests(PostgresServer postgres, RabbitMqBroker rabbitMq, SmtpSink smtp) : IAsyncLifetime
{
    readonly NotificationService service = new(postgres, rabbitMq, smtp);
    readonly RecordingHttpServer backend = new(HttpStatusCode.Accepted);

    public async Task InitializeAsync()
    {
        service.PushWebhookUrl = backend.BaseUrl + "/push";
        await service.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await service.DisposeAsync();
        await backend.DisposeAsync();
    }

    [Fact]
    public async Task A_push_title_follows_the_short_message_rules_and_not_the_clinics_email_subject()
    {
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        (await service.ClientFor(clinic).PutAsJsonAsync("/api/notification/templates/missedSession/en/email",
            new { subject = "Catch up: {{makeupOptions}}", body = "Our clinic missed you on {{sessionTime}}.\n{{makeupOptions}}\nCatch up here: {{link}}" }))
            .EnsureSuccessStatusCode();
        await service.RegisterPreferences(clinic, patient, new { pushAddress = "app-user-9", channels = new[] { "push" } });
        var now = DateTimeOffset.UtcNow;
        var missed = new SessionMissed(Guid.CreateVersion7(), clinic, Guid.NewGuid(), patient, now.AddHours(-1), "America/New_York", now);

        await service.Broker.Publish(missed);

        await service.WaitForDeliveries(clinic, missed.SessionId, d => d is [{ Status: "sent" }], "the push sent");
        var push = JsonDocument.Parse(Assert.Single(backend.Requests).Body).RootElement;
        Assert.Equal("We missed you - here is how to catch up", push.GetProperty("title").GetString());
    }
}
