using System.Net;
using System.Net.Sockets;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.TestSupport;

namespace VirtualIop.Notification.IntegrationTests;

[Collection(NotificationCollection.Name)]
public sealed class DispatcherTests(PostgresServer postgres, RabbitMqBroker rabbitMq, SmtpSink smtp) : IAsyncLifetime
{
    readonly NotificationService service = new(postgres, rabbitMq, smtp);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => service.DisposeAsync();

    async Task<(Guid Clinic, SessionScheduled Session, IReadOnlyList<string> Emails)> ScheduleWithContacts(int patients)
    {
        var clinic = Guid.NewGuid();
        var patientIds = Enumerable.Range(0, patients).Select(_ => Guid.NewGuid()).ToArray();
        var emails = await Task.WhenAll(patientIds.Select(p => service.RegisterContact(clinic, p)));
        var startsAt = DateTimeOffset.UtcNow.AddMinutes(10);
        var session = new SessionScheduled(Guid.CreateVersion7(), clinic, Guid.NewGuid(), "groupTherapy", startsAt, startsAt.AddHours(1),
            "Europe/London", patientIds);
        await service.Broker.Publish(session);
        await service.WaitForDeliveries(clinic, session.SessionId, d => d.Count == 2 * patients, $"{2 * patients} planned reminders");
        return (clinic, session, emails);
    }

    [Fact]
    public async Task Dispatchers_running_side_by_side_never_send_a_reminder_twice()
    {
        service.DispatchBatchSize = 3;
        await service.InitializeAsync();
        var (clinic, session, emails) = await ScheduleWithContacts(patients: 10);
        var bothDue = session.StartsAt - TimeSpan.FromMinutes(1);

        var replicas = Enumerable.Range(0, 3).Select(_ => service.NewDispatcher()).ToList();
        var claimed = await Task.WhenAll(replicas.Select(dispatcher => Task.Run(async () =>
        {
            var total = 0;
            for (int n; (n = await dispatcher.RunOnce(bothDue, default)) > 0;) total += n;
            return total;
        })));

        Assert.Equal(20, claimed.Sum());
        foreach (var email in emails)
        {
            var received = await Eventually.Until(() => smtp.MessagesToAsync(email), m => m.Count >= 2, $"two reminders to {email}");
            Assert.Equal(2, received.Count);
        }
        Assert.All(await service.Deliveries(clinic, session.SessionId), d => Assert.Equal("sent", d.Status));
    }

    [Fact]
    public async Task A_crashed_senders_delivery_is_sent_once_its_lease_runs_out()
    {
        await service.InitializeAsync();
        var (clinic, session, emails) = await ScheduleWithContacts(patients: 1);
        var firstDue = session.StartsAt - NotificationService.FirstOffset;

        // A sender claims the first reminder and dies before sending it.
        var abandoned = await service.Queue.Claim(Guid.NewGuid(), firstDue, NotificationService.Lease, 10, default);
        Assert.Single(abandoned);

        Assert.Equal(0, await service.Dispatcher.RunOnce(firstDue + NotificationService.Lease / 2, default));
        Assert.Equal(1, await service.Dispatcher.RunOnce(firstDue + NotificationService.Lease + TimeSpan.FromSeconds(1), default));

        await smtp.WaitForMessageAsync(emails[0]);
        Assert.Single(await smtp.MessagesToAsync(emails[0]));
        Assert.Equal(["sent", "pending"], (await service.Deliveries(clinic, session.SessionId)).Select(d => d.Status));
    }

    [Fact]
    public async Task When_the_mail_server_is_unreachable_the_delivery_waits_for_a_later_pass()
    {
        service.SmtpServer = ("127.0.0.1", UnusedPort());
        await service.InitializeAsync();
        var (clinic, session, _) = await ScheduleWithContacts(patients: 1);
        var firstDue = session.StartsAt - NotificationService.FirstOffset;

        Assert.Equal(1, await service.Dispatcher.RunOnce(firstDue, default));

        var first = (await service.Deliveries(clinic, session.SessionId))[0];
        Assert.Equal("pending", first.Status);
        Assert.Contains("Mail server unavailable", first.Detail);
        Assert.True(first.DueAt > firstDue, "the retry is scheduled later");
    }

    [Fact]
    public async Task A_recipient_the_mail_server_refuses_is_recorded_as_failed_and_not_retried()
    {
        await using var relay = new ScriptedSmtpServer("550 5.1.1 no such user here");
        var (clinic, missed) = await MissedSessionOutreachThrough(relay);

        var delivery = Assert.Single(await service.WaitForDeliveries(clinic, missed.SessionId, d => d is [{ Status: "failed" }], "the outreach failed"));
        Assert.Contains("550", delivery.Detail);
        await service.Dispatcher.RunOnce(DateTimeOffset.UtcNow.AddHours(1), default);
        Assert.Equal(1, relay.Connections);
        Assert.Equal(0, relay.MessagesAccepted);
    }

    [Fact]
    public async Task A_temporary_refusal_is_retried_with_backoff_and_the_message_goes_out()
    {
        await using var relay = new ScriptedSmtpServer("451 4.3.0 try again later");
        var (clinic, missed) = await MissedSessionOutreachThrough(relay);

        await service.WaitForDeliveries(clinic, missed.SessionId, d => d is [{ Status: "sent" }], "the outreach sent");
        Assert.Equal(2, relay.Connections);
        Assert.Equal(1, relay.MessagesAccepted);
    }

    /// <summary>Starts the service against a scripted mail relay and queues one "we missed you" message to a registered patient.</summary>
    async Task<(Guid Clinic, SessionMissed Missed)> MissedSessionOutreachThrough(ScriptedSmtpServer relay)
    {
        service.SmtpServer = ("127.0.0.1", relay.Port);
        await service.InitializeAsync();
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        await service.RegisterContact(clinic, patient);
        var now = DateTimeOffset.UtcNow;
        var missed = new SessionMissed(Guid.CreateVersion7(), clinic, Guid.NewGuid(), patient, now.AddHours(-1), "Europe/London", now);
        await service.Broker.Publish(missed);
        return (clinic, missed);
    }

    static int UnusedPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
