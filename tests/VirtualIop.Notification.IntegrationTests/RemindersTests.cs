using VirtualIop.Contracts.Notification;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.TestSupport;

namespace VirtualIop.Notification.IntegrationTests;

[Collection(NotificationCollection.Name)]
public sealed class RemindersTests(PostgresServer postgres, RabbitMqBroker rabbitMq, SmtpSink smtp, NotificationService shared)
    : IClassFixture<NotificationService>, IAsyncLifetime
{
    NotificationService service = shared;
    NotificationService? own;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => own?.DisposeAsync() ?? Task.CompletedTask;

    /// <summary>Gives this test a service of its own in place of the shared one, for settings of its own: set them, then start it.</summary>
    NotificationService OwnService() => service = own = new(postgres, rabbitMq, smtp);

    static DateTimeOffset WholeSeconds(DateTimeOffset t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);

    [Fact]
    public async Task A_scheduled_session_gets_a_reminder_per_offset_each_emailed_when_it_comes_due()
    {
        await OwnService().InitializeAsync(); // it counts what a dispatcher pass claims across the whole database
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        var email = await service.RegisterContact(clinic, patient);
        var startsAt = WholeSeconds(DateTimeOffset.UtcNow.AddMinutes(10));
        var session = new SessionScheduled(Guid.CreateVersion7(), clinic, Guid.NewGuid(), "groupTherapy", startsAt, startsAt.AddHours(1),
            "Europe/Berlin", [patient]);

        await service.Broker.Publish(session);
        var planned = await service.WaitForDeliveries(clinic, session.SessionId, d => d.Count == 2, "two planned reminders");

        Assert.All(planned, d => Assert.Equal(("reminder", "email", "pending"), (d.Kind, d.Channel, d.Status)));
        Assert.Equal([startsAt - NotificationService.FirstOffset, startsAt - NotificationService.SecondOffset], planned.Select(d => d.DueAt));

        var sentFirst = await service.Dispatcher.RunOnce(startsAt - NotificationService.FirstOffset + TimeSpan.FromSeconds(30), default);

        Assert.Equal(1, sentFirst);
        var mail = await smtp.WaitForMessageAsync(email);
        var body = await smtp.GetPlainTextAsync(mail);
        Assert.True(mail.IsAddressedTo(email));
        Assert.StartsWith("Reminder", mail.Subject);
        var localStart = TimeZoneInfo.ConvertTime(startsAt, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
        Assert.Contains($"{localStart:HH:mm} (Europe/Berlin)", body);
        NotificationService.PersonalLinkToken(body, "/patient/sessions");

        var afterFirst = await service.Deliveries(clinic, session.SessionId);
        Assert.Equal(["sent", "pending"], afterFirst.Select(d => d.Status));
        Assert.NotNull(afterFirst[0].SentAt);
        var announced = await service.Broker.WaitFor<ReminderSent>(e => e.SessionId == session.SessionId, 1);
        Assert.Equal((afterFirst[0].Id, patient, clinic, "email"), (announced[0].DeliveryId, announced[0].PatientId, announced[0].ClinicId, announced[0].Channel));

        Assert.Equal(1, await service.Dispatcher.RunOnce(startsAt - NotificationService.SecondOffset + TimeSpan.FromSeconds(30), default));
        await Eventually.Until(() => smtp.MessagesToAsync(email), m => m.Count == 2, "the second reminder");
        Assert.All(await service.Deliveries(clinic, session.SessionId), d => Assert.Equal("sent", d.Status));
    }

    [Fact]
    public async Task A_reminder_email_says_when_and_where_and_nothing_else_about_the_patient_or_the_session()
    {
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        var email = await service.RegisterContact(clinic, patient);
        var startsAt = WholeSeconds(DateTimeOffset.UtcNow.AddMinutes(10));
        var session = new SessionScheduled(Guid.CreateVersion7(), clinic, Guid.NewGuid(), "individualTherapy", startsAt, startsAt.AddMinutes(50),
            "America/New_York", [patient]);

        await service.Broker.Publish(session);
        await service.WaitForDeliveries(clinic, session.SessionId, d => d.Count == 2, "two planned reminders");
        await service.Dispatcher.RunOnce(startsAt - NotificationService.FirstOffset + TimeSpan.FromSeconds(1), default);

        var mail = await smtp.WaitForMessageAsync(email);
        var body = await smtp.GetPlainTextAsync(mail);
        var text = mail.Subject + "\n" + body;
        foreach (var forbidden in new[] { patient.ToString(), clinic.ToString(), "therapy", "individual", "group", "diagnos", email })
        {
            Assert.DoesNotContain(forbidden, text, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Single(body.Split((char[])[' ', '\n', '\r']), word => word.StartsWith("http", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Another_clinic_does_not_see_the_deliveries()
    {
        var clinic = Guid.NewGuid();
        var startsAt = DateTimeOffset.UtcNow.AddMinutes(10);
        var session = new SessionScheduled(Guid.CreateVersion7(), clinic, Guid.NewGuid(), "groupTherapy", startsAt, startsAt.AddHours(1),
            "Europe/Berlin", [Guid.NewGuid()]);
        await service.Broker.Publish(session);
        await service.WaitForDeliveries(clinic, session.SessionId, d => d.Count == 2, "two planned reminders");

        Assert.Empty(await service.Deliveries(Guid.NewGuid(), session.SessionId));
    }
}
