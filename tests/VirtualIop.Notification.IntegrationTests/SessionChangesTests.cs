using VirtualIop.Contracts.Scheduling;
using VirtualIop.TestSupport;

namespace VirtualIop.Notification.IntegrationTests;

/// <summary>Reminders follow the session: moved, cancelled, and as patients join and leave; redeliveries change nothing.</summary>
[Collection(NotificationCollection.Name)]
public sealed class SessionChangesTests(PostgresServer postgres, RabbitMqBroker rabbitMq, SmtpSink smtp, NotificationService shared)
    : IClassFixture<NotificationService>, IAsyncLifetime
{
    NotificationService service = shared;
    NotificationService? own;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => own?.DisposeAsync() ?? Task.CompletedTask;

    /// <summary>Gives this test a service of its own in place of the shared one, for settings of its own: set them, then start it.</summary>
    NotificationService OwnService() => service = own = new(postgres, rabbitMq, smtp);

    static DateTimeOffset WholeSeconds(DateTimeOffset t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);

    async Task<SessionScheduled> Scheduled(Guid clinic, params Guid[] patients)
    {
        var startsAt = WholeSeconds(DateTimeOffset.UtcNow.AddMinutes(10));
        var session = new SessionScheduled(Guid.CreateVersion7(), clinic, Guid.NewGuid(), "groupTherapy", startsAt, startsAt.AddHours(1),
            "Europe/Madrid", patients);
        await service.Broker.Publish(session);
        await service.WaitForDeliveries(clinic, session.SessionId, d => d.Count == 2 * patients.Length, "the planned reminders");
        return session;
    }

    [Fact]
    public async Task A_rescheduled_session_moves_its_pending_reminders_once_however_often_the_event_arrives()
    {
        await OwnService().InitializeAsync(); // it counts what a dispatcher pass claims across the whole database
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        var session = await Scheduled(clinic, patient);
        var newStart = session.StartsAt.AddMinutes(30);
        var moved = new SessionRescheduled(Guid.CreateVersion7(), clinic, session.SessionId, session.StartsAt, newStart, newStart.AddHours(1),
            "Europe/Madrid", "clinicianUnavailable");

        await service.Broker.Publish(moved);
        await service.Broker.Publish(moved);
        await service.Consumed.WaitFor(moved.EventId, times: 2);

        var deliveries = await service.Deliveries(clinic, session.SessionId);
        Assert.Equal(2, deliveries.Count(d => d.Status == "cancelled"));
        Assert.Equal([newStart - NotificationService.FirstOffset, newStart - NotificationService.SecondOffset],
            deliveries.Where(d => d.Status == "pending").Select(d => d.DueAt));
        Assert.All(deliveries.Where(d => d.Status == "cancelled"), d => Assert.Contains("rescheduled", d.Detail));
        Assert.Equal(0, await service.Dispatcher.RunOnce(session.StartsAt - NotificationService.SecondOffset, default));
    }

    [Fact]
    public async Task A_cancelled_session_withdraws_its_reminders_and_sends_one_cancellation_notice()
    {
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        var email = await service.RegisterContact(clinic, patient);
        var session = await Scheduled(clinic, patient);
        var cancelled = new SessionCancelled(Guid.CreateVersion7(), clinic, session.SessionId, session.StartsAt, "Europe/Madrid", "clinicClosed");

        await service.Broker.Publish(cancelled);
        await service.Broker.Publish(cancelled);

        var mail = await smtp.WaitForMessageAsync(email);
        Assert.Contains("cancelled", mail.Subject);
        var deliveries = await service.WaitForDeliveries(clinic, session.SessionId,
            d => d.Any(x => x is { Kind: "sessionCancelled", Status: "sent" }), "the cancellation notice sent");
        await service.Consumed.WaitFor(cancelled.EventId, times: 2);
        await service.Dispatcher.RunOnce(session.StartsAt, default);
        Assert.Equal(["cancelled", "cancelled"], deliveries.Where(d => d.Kind == "reminder").Select(d => d.Status));
        Assert.Single(await service.Deliveries(clinic, session.SessionId), d => d.Kind == "sessionCancelled");
        Assert.Single(await smtp.MessagesToAsync(email));
    }

    [Fact]
    public async Task A_patient_who_joins_gets_reminders_and_one_who_leaves_has_theirs_withdrawn()
    {
        var clinic = Guid.NewGuid();
        var (staying, leaving, joining) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var session = await Scheduled(clinic, staying, leaving);

        var added = new SessionParticipantAdded(Guid.CreateVersion7(), clinic, session.SessionId, joining, session.StartsAt, session.EndsAt, "Europe/Madrid");
        var removed = new SessionParticipantRemoved(Guid.CreateVersion7(), clinic, session.SessionId, leaving);
        await service.Broker.Publish(added);
        await service.Broker.Publish(removed);
        await service.Broker.Publish(added);
        await service.Consumed.WaitFor(added.EventId, times: 2);
        await service.Consumed.WaitFor(removed.EventId, times: 1);

        var deliveries = await service.Deliveries(clinic, session.SessionId);
        Assert.Equal(["pending", "pending"], deliveries.Where(d => d.PatientId == joining).Select(d => d.Status));
        Assert.Equal(["cancelled", "cancelled"], deliveries.Where(d => d.PatientId == leaving).Select(d => d.Status));
        Assert.Equal(["pending", "pending"], deliveries.Where(d => d.PatientId == staying).Select(d => d.Status));
    }

    [Fact]
    public async Task A_session_moved_while_dispatchers_run_side_by_side_still_sends_each_reminder_once()
    {
        await OwnService().InitializeAsync(); // it counts what a dispatcher pass claims across the whole database
        var clinic = Guid.NewGuid();
        var patients = Enumerable.Range(0, 4).Select(_ => Guid.NewGuid()).ToArray();
        var emails = await Task.WhenAll(patients.Select(p => service.RegisterContact(clinic, p)));
        var session = await Scheduled(clinic, patients);
        var newStart = session.StartsAt.AddMinutes(1);
        var moved = new SessionRescheduled(Guid.CreateVersion7(), clinic, session.SessionId, session.StartsAt, newStart, newStart.AddHours(1),
            "Europe/Madrid", "roomChange");
        await service.Broker.Publish(moved);
        await service.Consumed.WaitFor(moved.EventId, times: 1);

        var replicas = Enumerable.Range(0, 3).Select(_ => service.NewDispatcher()).ToList();
        var due = newStart - TimeSpan.FromSeconds(30);
        var claimed = await Task.WhenAll(replicas.Select(dispatcher => Task.Run(async () =>
        {
            var total = 0;
            for (int n; (n = await dispatcher.RunOnce(due, default)) > 0;) total += n;
            return total;
        })));

        Assert.Equal(2 * patients.Length, claimed.Sum());
        foreach (var email in emails)
        {
            var received = await Eventually.Until(() => smtp.MessagesToAsync(email), m => m.Count >= 2, $"two reminders to {email}");
            Assert.Equal(2, received.Count);
        }
    }
}
