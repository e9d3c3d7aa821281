using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Notification.Workers;
using VirtualIop.TestSupport;

namespace VirtualIop.Notification.IntegrationTests;

/// <summary>What the dispatcher reports on the meter "VirtualIop.Notification", after real sends to the SMTP sink and a refusing relay.</summary>
[Collection(NotificationCollection.Name)]
public sealed class DeliveryMetricsTests(PostgresServer postgres, RabbitMqBroker rabbitMq, SmtpSink smtp) : IAsyncLifetime
{
    readonly NotificationService service = new(postgres, rabbitMq, smtp);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => service.DisposeAsync();

    MeterReadings Readings() => new(service.Meters, NotificationMetrics.MeterName);

    [Fact]
    public async Task A_pass_gauges_the_deliveries_due_and_counts_each_one_sent_on_its_channel()
    {
        service.DispatchInterval = TimeSpan.FromHours(1);
        service.DispatchBatchSize = 1;
        await service.InitializeAsync();
        using var readings = Readings();
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        await service.RegisterContact(clinic, patient);
        // Whole seconds, so the due times survive PostgreSQL's microseconds exactly.
        var startsAt = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds());
        var session = new SessionScheduled(Guid.CreateVersion7(), clinic, Guid.NewGuid(), "groupTherapy", startsAt, startsAt.AddHours(1),
            "Europe/London", [patient]);
        await service.Broker.Publish(session);
        await service.WaitForDeliveries(clinic, session.SessionId, d => d.Count == 2, "two planned reminders");

        // Both reminders are due by then; a batch of one sends the earlier.
        Assert.Equal(1, await service.Dispatcher.RunOnce(startsAt - NotificationService.SecondOffset, default));

        Assert.Equal(2, readings.Observe("virtualiop.notification.deliveries.due"));
        Assert.Equal((NotificationService.FirstOffset - NotificationService.SecondOffset).TotalSeconds,
            readings.Observe("virtualiop.notification.deliveries.oldest_due_age"));
        Assert.Equal(1, readings.Sum("virtualiop.notification.deliveries", ("outcome", "sent"), ("channel", "email")));
        Assert.Equal(1, readings.Sum("virtualiop.notification.deliveries"));
    }

    [Fact]
    public async Task A_delivery_the_mail_server_refuses_is_counted_failed_on_email()
    {
        await using var relay = new ScriptedSmtpServer("550 5.1.1 no such user here");
        service.SmtpServer = ("127.0.0.1", relay.Port);
        await service.InitializeAsync();
        using var readings = Readings();
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        await service.RegisterContact(clinic, patient);
        var now = DateTimeOffset.UtcNow;

        await service.Broker.Publish(new SessionMissed(Guid.CreateVersion7(), clinic, Guid.NewGuid(), patient, now.AddHours(-1), "Europe/London", now));

        await Eventually.Until(() => Task.FromResult(readings.Sum("virtualiop.notification.deliveries", ("outcome", "failed"), ("channel", "email"))),
            n => n == 1, "the refused delivery counted");
        Assert.Equal(0, readings.Sum("virtualiop.notification.deliveries", ("outcome", "sent")));
    }
}
