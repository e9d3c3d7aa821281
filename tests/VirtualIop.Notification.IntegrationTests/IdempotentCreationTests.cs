using VirtualIop.TestSupport;

namespace VirtualIop.Notification.IntegrationTests;

[Collection(NotificationCollection.Name)]
public sealed class IdempotentCreationTests(WebhookService webhooks) : IClassFixture<WebhookService>
{
    [Fact]
    public Task Every_creating_endpoint_creates_once_per_idempotency_key_and_replays_its_first_answer() =>
        webhooks.Service.WalkCreatingEndpoints(new Dictionary<string, Func<HttpClient, Guid, Task<CreatingCall>>>
        {
            ["CreateWebhookSubscription"] = (_, _) => Task.FromResult(new CreatingCall("/api/webhooks/subscriptions",
                new { url = "http://localhost:9/hooks", eventTypes = new[] { "session.cancelled" } },
                "select count(*) from webhook_subscription where clinic_id = @Clinic")),
            ["RequestTechnicalHelp"] = (_, _) => Task.FromResult(new CreatingCall($"/api/notification/patients/{Guid.NewGuid()}/technical-help",
                new { camera = "failed", microphone = "ok", connection = "skipped", note = "The camera light stays off." },
                "select count(*) from technical_help_request where clinic_id = @Clinic")),
        });
}
