using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Notification.Workers;
using VirtualIop.TestSupport;

namespace VirtualIop.Notification.IntegrationTests;

/// <summary>The shared service for webhook tests: webhooks on, short retry delays, an endpoint disabled only after many failures.</summary>
public sealed class WebhookService(PostgresServer postgres, RabbitMqBroker rabbitMq, SmtpSink smtp) : IAsyncLifetime
{
    public NotificationService Service { get; } = Configure(new(postgres, rabbitMq, smtp), disableAfterFailures: 1000);

    /// <summary>Webhooks on, dispatched every 100 ms, retried after 200 ms doubling up to 1 s, ordered versions held for 1 s.</summary>
    public static NotificationService Configure(NotificationService service, int disableAfterFailures)
    {
        service.Settings["Webhooks:Enabled"] = "true";
        service.Settings["Webhooks:DispatchInterval"] = "00:00:00.100";
        service.Settings["Webhooks:FirstRetryDelay"] = "00:00:00.200";
        service.Settings["Webhooks:MaxRetryDelay"] = "00:00:01";
        service.Settings["Webhooks:SendTimeout"] = "00:00:05";
        service.Settings["Webhooks:OrderingHold"] = "00:00:01";
        service.Settings["Webhooks:DisableAfterFailures"] = disableAfterFailures.ToString(CultureInfo.InvariantCulture);
        service.Settings["Webhooks:DisableAfterFailingFor"] = "00:00:00";
        return service;
    }

    public Task InitializeAsync() => Service.InitializeAsync();

    public Task DisposeAsync() => Service.DisposeAsync();
}

/// <summary>
/// Clinics subscribe to events and receive them signed at a real local endpoint: retried after a failure, stopped by a
/// 2xx, disabled when they keep failing, re-sent by hand, signed with both secrets during a rotation, and delivered in
/// version order per session. The signature is checked here with code of the test's own.
/// </summary>
[Collection(NotificationCollection.Name)]
public sealed class WebhookTests(PostgresServer postgres, RabbitMqBroker rabbitMq, SmtpSink smtp, WebhookService shared)
    : IClassFixture<WebhookService>, IAsyncLifetime
{
    readonly NotificationService service = shared.Service;
    readonly WebhookReceiver receiver = new();
    NotificationService? own;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await receiver.DisposeAsync();
        if (own is not null) await own.DisposeAsync();
    }

    sealed record Subscription(Guid Id, string Url, string[] EventTypes, string Status, string? Secret, string? DisabledReason = null);

    sealed record Delivery(Guid Id, Guid EventId, string EventType, long? Version, string Status, int Attempts, int? LastStatusCode);

    sealed record Attempt(int StatusCode);

    sealed record DeliveryDetail(Delivery Delivery, string Payload, Attempt[] Attempts);

    static async Task<Subscription> Subscribe(NotificationService on, Guid clinic, string url, params string[] eventTypes)
    {
        var response = await on.ClientFor(clinic).PostAsJsonAsync("/api/webhooks/subscriptions", new { url, eventTypes });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<Subscription>())!;
    }

    static Task<List<Delivery>> Log(NotificationService on, Guid clinic, Guid subscription) =>
        on.ClientFor(clinic).GetFromJsonAsync<List<Delivery>>($"/api/webhooks/subscriptions/{subscription}/deliveries")!;

    static SessionScheduled Scheduled(Guid clinic, Guid session, long version)
    {
        var startsAt = DateTimeOffset.UtcNow.AddDays(1);
        return new SessionScheduled(Guid.CreateVersion7(), clinic, session, "groupTherapy", startsAt, startsAt.AddHours(1), "Europe/Madrid",
            [Guid.NewGuid()], Version: version);
    }

    /// <summary>
    /// Checks a signature header the way a clinic's endpoint would, written from the documented recipe alone:
    /// HMAC-SHA256 with the secret over "{t}.{webhook id}.{body}", lower-case hex, one v1= per secret in force.
    /// </summary>
    static bool Verifies(ReceivedWebhook request, string secret)
    {
        var parts = request.Headers["VirtualIop-Webhook-Signature"].Split(',').Select(p => p.Split('=', 2)).ToList();
        var timestamp = parts.Single(p => p[0] == "t")[1];
        Assert.Equal(request.Headers["VirtualIop-Webhook-Timestamp"], timestamp);
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        var expected = hmac.ComputeHash(Encoding.UTF8.GetBytes(timestamp + "." + request.Id + "." + request.Body));
        return parts.Where(p => p[0] == "v1").Any(p => CryptographicOperations.FixedTimeEquals(Convert.FromHexString(p[1]), expected));
    }

    [Fact]
    public async Task A_subscribed_event_arrives_signed_with_ids_and_codes_and_is_logged_as_delivered()
    {
        var clinic = Guid.NewGuid();
        var subscription = await Subscribe(service, clinic, receiver.Url("signed"), "session.cancelled", "attendance.noShow");
        var sessionId = Guid.NewGuid();
        var cancelled = new SessionCancelled(Guid.CreateVersion7(), clinic, sessionId, DateTimeOffset.UtcNow.AddDays(1), "Europe/Madrid", "clinicClosed", 2);
        var missed = new SessionMissed(Guid.CreateVersion7(), clinic, Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow, "Europe/Madrid", DateTimeOffset.UtcNow);

        await service.Broker.Publish(Scheduled(clinic, sessionId, 1)); // not subscribed to: never sent
        await service.Broker.Publish(cancelled);
        await service.Broker.Publish(missed);

        var requests = await Eventually.Until(() => Task.FromResult(receiver.Requests("signed")), r => r.Count == 2, "two webhooks");
        Assert.All(requests, r => Assert.True(Verifies(r, subscription.Secret!), $"signature of {r.Id} verifies"));
        Assert.All(requests, r => Assert.False(Verifies(r, "whsec_" + new string('0', 64))));
        var cancellation = requests.Single(r => r.Type == "session.cancelled");
        Assert.Equal(cancellation.Id, cancellation.Json.GetProperty("id").GetString());
        Assert.Equal(2, cancellation.Version);
        Assert.Equal(cancelled.EventId, cancellation.Json.GetProperty("eventId").GetGuid());
        Assert.Equal(sessionId, cancellation.Json.GetProperty("data").GetProperty("sessionId").GetGuid());
        Assert.Equal("clinicClosed", cancellation.Json.GetProperty("data").GetProperty("reason").GetString());
        Assert.Equal(missed.PatientId, requests.Single(r => r.Type == "attendance.noShow").Json.GetProperty("data").GetProperty("patientId").GetGuid());

        var log = await Eventually.Until(() => Log(service, clinic, subscription.Id), l => l.Count == 2 && l.All(d => d.Status == "delivered"),
            "both deliveries logged as delivered");
        Assert.Equal(new[] { cancelled.EventId, missed.EventId }.Order(), log.Select(d => d.EventId).Order());
        Assert.All(log, d => Assert.Equal((1, 200), (d.Attempts, d.LastStatusCode)));
        Assert.Equal(log.Select(d => d.Id.ToString()).Order(), requests.Select(r => r.Id).Order());
    }

    [Fact]
    public async Task An_event_no_endpoint_of_the_clinic_asked_for_leaves_no_row()
    {
        var clinic = Guid.NewGuid();
        await Subscribe(service, clinic, receiver.Url("other-types"), "session.cancelled");
        var missed = new SessionMissed(Guid.CreateVersion7(), clinic, Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow, "Europe/Madrid", DateTimeOffset.UtcNow);

        await service.Broker.Publish(missed);
        await service.Consumed.WaitFor(missed.EventId, times: 2); // the "we missed you" outreach, and the webhooks

        var inbox = await service.Query<string>("select consumer from inbox_message where message_id = @Id", new { Id = missed.EventId });
        Assert.Equal(["QueueMissedSessionOutreach"], inbox);
        Assert.Equal(0, await service.CountWhere("webhook_delivery", "event_id = @Id", new { Id = missed.EventId }));
    }

    [Fact]
    public async Task A_500_is_retried_and_the_first_2xx_stops_the_retries()
    {
        var clinic = Guid.NewGuid();
        var subscription = await Subscribe(service, clinic, receiver.Url("retry"), "attendance.absenceNotified");
        var failures = 2;
        receiver.Answer = (_, _, _) => Interlocked.Decrement(ref failures) >= 0 ? 500 : 204;
        var notified = new AbsenceNotified(Guid.CreateVersion7(), clinic, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "illness", true,
            DateTimeOffset.UtcNow.AddDays(1), "Europe/Madrid", DateTimeOffset.UtcNow);

        await service.Broker.Publish(notified);
        var log = await Eventually.Until(() => Log(service, clinic, subscription.Id), l => l.SingleOrDefault()?.Status == "delivered", "delivered after retries");
        // A later event delivered too shows the dispatcher has moved on: nothing more went to the first one.
        var later = notified with { EventId = Guid.CreateVersion7(), NoticeId = Guid.NewGuid() };
        await service.Broker.Publish(later);
        await Eventually.Until(() => Log(service, clinic, subscription.Id), l => l.Count == 2 && l.All(d => d.Status == "delivered"), "the later event delivered");

        var first = receiver.Requests("retry").Where(r => r.Json.GetProperty("eventId").GetGuid() == notified.EventId).ToList();
        Assert.Equal([500, 500, 204], first.Select(r => r.Answer));
        Assert.Single(first.Select(r => r.Id).Distinct());
        var detail = await service.ClientFor(clinic).GetFromJsonAsync<DeliveryDetail>($"/api/webhooks/deliveries/{log[0].Id}");
        Assert.Equal([500, 500, 204], detail!.Attempts.Select(a => a.StatusCode));
        Assert.Equal(first[0].Body, detail.Payload);
    }

    [Fact]
    public async Task An_endpoint_that_keeps_failing_is_disabled_and_the_clinic_is_told()
    {
        own = WebhookService.Configure(new NotificationService(postgres, rabbitMq, smtp), disableAfterFailures: 3);
        await own.InitializeAsync();
        var clinic = Guid.NewGuid();
        var subscription = await Subscribe(own, clinic, receiver.Url("down"), "policy.breached");
        receiver.Answer = (_, _, _) => 500;

        await own.Broker.Publish(new PolicyBreached(Guid.CreateVersion7(), clinic, Guid.NewGuid(), null, "unexcusedAbsences", 4, 3, DateTimeOffset.UtcNow));

        var disabled = await Eventually.Until(() => own.ClientFor(clinic).GetFromJsonAsync<Subscription>($"/api/webhooks/subscriptions/{subscription.Id}"),
            s => s!.Status == "disabled", "the endpoint disabled");
        Assert.Contains("HTTP 500", disabled!.DisabledReason);
        var notices = await own.ClientFor(clinic).GetFromJsonAsync<JsonElement>("/api/webhooks/notices");
        Assert.Equal(subscription.Id, notices.EnumerateArray().Single().GetProperty("subscriptionId").GetGuid());
        var log = await Log(own, clinic, subscription.Id);
        Assert.Equal(3, log.Single().Attempts);
        Assert.Equal("pending", log.Single().Status);

        // Back on, the endpoint gets the delivery that was waiting.
        receiver.Answer = (_, _, _) => 200;
        (await own.ClientFor(clinic).PostAsync($"/api/webhooks/subscriptions/{subscription.Id}/enable", null)).EnsureSuccessStatusCode();
        await Eventually.Until(() => Log(own, clinic, subscription.Id), l => l.Single().Status == "delivered", "delivered once enabled again");
        Assert.Equal(4, receiver.Requests("down").Count);
    }

    [Fact]
    public async Task Failed_and_delivered_attempts_and_a_disabled_endpoint_are_counted_on_the_notification_meter()
    {
        own = WebhookService.Configure(new NotificationService(postgres, rabbitMq, smtp), disableAfterFailures: 2);
        await own.InitializeAsync();
        using var readings = new MeterReadings(own.Meters, NotificationMetrics.MeterName);
        var clinic = Guid.NewGuid();
        var subscription = await Subscribe(own, clinic, receiver.Url("metered"), "policy.breached");
        receiver.Answer = (_, _, _) => 500;

        await own.Broker.Publish(new PolicyBreached(Guid.CreateVersion7(), clinic, Guid.NewGuid(), null, "unexcusedAbsences", 4, 3, DateTimeOffset.UtcNow));

        await Eventually.Until(() => Task.FromResult(readings.Sum("virtualiop.notification.webhook.endpoints_disabled")), n => n == 1, "the endpoint counted as disabled");
        Assert.Equal(2, readings.Sum("virtualiop.notification.webhook.attempts", ("outcome", "failed")));
        receiver.Answer = (_, _, _) => 200;
        (await own.ClientFor(clinic).PostAsync($"/api/webhooks/subscriptions/{subscription.Id}/enable", null)).EnsureSuccessStatusCode();
        await Eventually.Until(() => Task.FromResult(readings.Sum("virtualiop.notification.webhook.attempts", ("outcome", "delivered"))), n => n == 1,
            "the delivered attempt counted");
    }

    [Fact]
    public async Task A_delivery_is_re_sent_by_hand_with_the_same_id_and_body()
    {
        var clinic = Guid.NewGuid();
        var subscription = await Subscribe(service, clinic, receiver.Url("again"), "session.scheduled");
        await service.Broker.Publish(Scheduled(clinic, Guid.NewGuid(), 1));
        var log = await Eventually.Until(() => Log(service, clinic, subscription.Id), l => l.SingleOrDefault()?.Status == "delivered", "delivered");

        var response = await service.ClientFor(clinic).PostAsync($"/api/webhooks/deliveries/{log[0].Id}/redeliver", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var requests = await Eventually.Until(() => Task.FromResult(receiver.Requests("again")), r => r.Count == 2, "the delivery sent again");
        Assert.Equal(requests[0].Id, requests[1].Id);
        Assert.Equal(requests[0].Body, requests[1].Body);
        Assert.True(Verifies(requests[1], subscription.Secret!));
        await Eventually.Until(() => Log(service, clinic, subscription.Id), l => l.Single() is { Status: "delivered", Attempts: 2 }, "the second attempt logged");
    }

    [Fact]
    public async Task During_a_rotation_both_secrets_sign_each_delivery()
    {
        var clinic = Guid.NewGuid();
        var subscription = await Subscribe(service, clinic, receiver.Url("rotate"), "makeup.offered");
        var rotated = await (await service.ClientFor(clinic).PostAsync($"/api/webhooks/subscriptions/{subscription.Id}/rotate-secret", null))
            .Content.ReadFromJsonAsync<Subscription>();
        Assert.NotEqual(subscription.Secret, rotated!.Secret);

        await service.Broker.Publish(new MakeupOffered(Guid.CreateVersion7(), clinic, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), ["recording"],
            DateTimeOffset.UtcNow.AddDays(7), DateTimeOffset.UtcNow, 1));

        var request = (await Eventually.Until(() => Task.FromResult(receiver.Requests("rotate")), r => r.Count == 1, "the offer"))[0];
        Assert.True(Verifies(request, subscription.Secret!), "the old secret still verifies during the overlap");
        Assert.True(Verifies(request, rotated.Secret!), "the new secret verifies");
        Assert.Equal(2, request.Headers["VirtualIop-Webhook-Signature"].Split(',').Count(p => p.StartsWith("v1=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_sessions_events_go_out_in_version_order_whatever_order_they_arrive_in()
    {
        var clinic = Guid.NewGuid();
        var subscription = await Subscribe(service, clinic, receiver.Url("order"), "session.scheduled", "session.rescheduled", "session.cancelled");
        var sessionId = Guid.NewGuid();
        var scheduled = Scheduled(clinic, sessionId, 1);
        var moved = new SessionRescheduled(Guid.CreateVersion7(), clinic, sessionId, scheduled.StartsAt, scheduled.StartsAt.AddHours(2),
            scheduled.EndsAt.AddHours(2), "Europe/Madrid", "clinicianUnavailable", 2);
        var cancelled = new SessionCancelled(Guid.CreateVersion7(), clinic, sessionId, moved.StartsAt, "Europe/Madrid", "clinicClosed", 3);
        // Version 2's first attempt fails: version 3 must still wait for it.
        var failVersionTwo = 1;
        receiver.Answer = (_, _, body) => body.Contains("\"version\": 2", StringComparison.Ordinal) && Interlocked.Decrement(ref failVersionTwo) >= 0 ? 503 : 200;

        await service.Broker.Publish(cancelled);
        await service.Broker.Publish(moved);
        await service.Broker.Publish(scheduled);

        var log = await Eventually.Until(() => Log(service, clinic, subscription.Id), l => l.Count == 3 && l.All(d => d.Status == "delivered"), "all three delivered");
        var requests = receiver.Requests("order");
        Assert.Equal([1L, 2, 2, 3], requests.Select(r => r.Version ?? 0));
        Assert.Equal([200, 503, 200, 200], requests.Select(r => r.Answer));
        Assert.Equal(2, log.Single(d => d.Version == 2).Attempts);
    }

    [Fact]
    public async Task Finished_deliveries_leave_the_log_after_its_retention_and_pending_ones_stay()
    {
        var clinic = Guid.NewGuid();
        var subscription = await Subscribe(service, clinic, receiver.Url("kept"), "makeup.completed", "makeup.booked");
        receiver.Answer = (_, _, body) => body.Contains("makeup.booked", StringComparison.Ordinal) ? 500 : 200;
        var makeup = Guid.NewGuid();
        await service.Broker.Publish(new MakeupCompleted(Guid.CreateVersion7(), clinic, makeup, Guid.NewGuid(), Guid.NewGuid(), "recording", DateTimeOffset.UtcNow));
        await service.Broker.Publish(new MakeupBooked(Guid.CreateVersion7(), clinic, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "recording", null, null,
            "Europe/Madrid"));
        await Eventually.Until(() => Log(service, clinic, subscription.Id),
            l => l.Count == 2 && l.Any(d => d.Status == "delivered") && l.Any(d => d is { Status: "pending", Attempts: > 0 }), "one delivered, one failing");

        await service.WebhookLogRetention.RunOnce(DateTimeOffset.UtcNow.AddDays(31), default);

        Assert.Equal("makeup.booked", (await Log(service, clinic, subscription.Id)).Single().EventType);
    }

    [Fact]
    public async Task Another_clinics_subscription_and_deliveries_answer_404()
    {
        var clinic = Guid.NewGuid();
        var subscription = await Subscribe(service, clinic, receiver.Url("mine"), "session.scheduled");
        await service.Broker.Publish(Scheduled(clinic, Guid.NewGuid(), 1));
        var delivery = (await Eventually.Until(() => Log(service, clinic, subscription.Id), l => l.Count == 1, "one delivery"))[0];
        var other = service.ClientFor(Guid.NewGuid());

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/webhooks/subscriptions/{subscription.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/webhooks/subscriptions/{subscription.Id}/deliveries")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/webhooks/deliveries/{delivery.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/webhooks/deliveries/{delivery.Id}/redeliver", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/webhooks/subscriptions/{subscription.Id}/rotate-secret", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/api/webhooks/subscriptions/{subscription.Id}")).StatusCode);
        Assert.Empty((await other.GetFromJsonAsync<List<Subscription>>("/api/webhooks/subscriptions"))!);
        Assert.Equal(subscription.Id, (await service.ClientFor(clinic).GetFromJsonAsync<List<Subscription>>("/api/webhooks/subscriptions"))!.Single().Id);
    }

    [Fact]
    public async Task A_subscription_with_a_bad_url_or_an_unknown_event_type_is_refused_naming_the_field()
    {
        var clinic = Guid.NewGuid();
        var client = service.ClientFor(clinic);

        var badUrl = await client.PostAsJsonAsync("/api/webhooks/subscriptions", new { url = "ftp://example.test/hook", eventTypes = new[] { "session.scheduled" } });
        var badType = await client.PostAsJsonAsync("/api/webhooks/subscriptions", new { url = receiver.Url("x"), eventTypes = new[] { "session.exploded" } });

        Assert.Equal(HttpStatusCode.BadRequest, badUrl.StatusCode);
        Assert.Contains("\"url\"", await badUrl.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, badType.StatusCode);
        Assert.Contains("\"eventTypes\"", await badType.Content.ReadAsStringAsync());
        Assert.Equal(0, await service.Count("webhook_subscription", clinic));
    }
}
