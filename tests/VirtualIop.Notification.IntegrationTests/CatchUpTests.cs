using VirtualIop.Contracts.Engagement;
using VirtualIop.Notification.Domain;
using VirtualIop.TestSupport;

namespace VirtualIop.Notification.IntegrationTests;

/// <summary>A service whose dispatcher stays idle, texting to a recording SMS provider, for the catch-up tests.</summary>
public sealed class CatchUpService(PostgresServer postgres, RabbitMqBroker rabbitMq, SmtpSink smtp) : IAsyncLifetime
{
    public RecordingHttpServer SmsProvider { get; } = new();

    public NotificationService Service { get; } = new(postgres, rabbitMq, smtp) { DispatchInterval = TimeSpan.FromHours(1) };

    public Task InitializeAsync()
    {
        Service.SmsProviderUrl = SmsProvider.BaseUrl;
        return Service.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Service.DisposeAsync();
        await SmsProvider.DisposeAsync();
    }
}

/// <summary>
/// Engagement assigns a catch-up after a miss: the patient gets a supportive message with its link, in their language,
/// on their channel (a text says nothing clinical), and a reminder the day before the homework is due while it is still
/// open. The dispatcher runs only when a test runs a pass, at the time the test chooses.
/// </summary>
[Collection(NotificationCollection.Name)]
public sealed class CatchUpTests(CatchUpService fixture, SmtpSink smtp) : IClassFixture<CatchUpService>
{
    readonly NotificationService service = fixture.Service;
    static readonly TimeZoneInfo Chicago = TimeZoneInfo.FindSystemTimeZoneById("America/Chicago");

    static ContinuityAssigned Assigned(Guid clinic, Guid patient, DateOnly? homeworkDueOn = null) =>
        new(Guid.CreateVersion7(), clinic, Guid.NewGuid(), patient, Guid.NewGuid(), DateTimeOffset.UtcNow, homeworkDueOn);

    static ContinuityItemCompleted HomeworkDone(ContinuityAssigned assigned) =>
        new(Guid.CreateVersion7(), assigned.ClinicId, assigned.PackageId, assigned.PatientId, assigned.SessionId, "homework", DateTimeOffset.UtcNow);

    /// <summary>The page the patient's personal link opens (the token before it differs per message).</summary>
    static string CatchUpLink(ContinuityAssigned assigned) => $"?next=/patient/catch-up/{assigned.SessionId}";

    /// <summary>A due date a few days ahead in Chicago, and when its reminder is meant to go out there: 10:00 the day before.</summary>
    static (DateOnly DueOn, DateTimeOffset RemindAt) DueInDays(int days)
    {
        var dueOn = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Chicago).DateTime).AddDays(days);
        return (dueOn, QuietHoursRule.ToInstant(dueOn.AddDays(-1).ToDateTime(HomeworkReminderRule.LocalTime), Chicago));
    }

    async Task Deliver(params object[] events)
    {
        foreach (var e in events)
        {
            await service.Broker.Publish((dynamic)e);
            await service.Consumed.WaitFor(((dynamic)e).EventId, times: 1);
        }
    }

    async Task<(Guid Clinic, Guid Patient, string Email)> PatientInChicago()
    {
        var (clinic, patient) = (Guid.NewGuid(), Guid.NewGuid());
        var email = $"patient-{patient:N}@example.test";
        await service.RegisterPreferences(clinic, patient, new { email, timeZone = "America/Chicago", channels = new[] { "email" } });
        return (clinic, patient, email);
    }

    [Fact]
    public async Task A_spanish_speaking_patient_gets_the_catch_up_by_email_in_spanish_with_its_link()
    {
        var (clinic, patient) = (Guid.NewGuid(), Guid.NewGuid());
        var email = $"paciente-{patient:N}@example.test";
        await service.RegisterPreferences(clinic, patient, new { email, language = "es", channels = new[] { "email" } });
        var assigned = Assigned(clinic, patient);

        await Deliver(assigned);
        await service.Dispatcher.RunOnce(DateTimeOffset.UtcNow, default);

        var mail = await smtp.WaitForMessageAsync(email);
        Assert.StartsWith("Su material para ponerse al d", mail.Subject);
        var body = await smtp.GetPlainTextAsync(mail);
        Assert.Contains("resumen", body);
        Assert.Contains("tarea", body);
        Assert.Contains(await smtp.LinksInAsync(mail), link => link.ToString().StartsWith($"{NotificationService.PortalUrl}/p/", StringComparison.Ordinal)
                                                              && link.ToString().EndsWith(CatchUpLink(assigned), StringComparison.Ordinal));
        var sent = Assert.Single(await service.PatientDeliveries(clinic, patient));
        Assert.Equal(("catchUpAssigned", "email", "sent"), (sent.Kind, sent.Channel, sent.Status));
    }

    [Fact]
    public async Task A_patient_who_prefers_texts_gets_the_catch_up_link_by_SMS_with_nothing_clinical_in_it()
    {
        var (clinic, patient) = (Guid.NewGuid(), Guid.NewGuid());
        var phone = $"+1555{Random.Shared.Next(1000000, 9999999)}";
        await service.RegisterPreferences(clinic, patient, new { email = $"p-{patient:N}@example.test", phone, channels = new[] { "sms", "email" } });
        var assigned = Assigned(clinic, patient, new DateOnly(2030, 1, 15));

        await Deliver(assigned);
        await service.Dispatcher.RunOnce(DateTimeOffset.UtcNow, default);

        var text = Assert.Single(fixture.SmsProvider.Requests, r => r.Form()["To"] == phone).Form()["Body"];
        Assert.Contains(CatchUpLink(assigned), text);
        foreach (var clinical in new[] { "summary", "homework", "key point", "peer", "therapy", "diagnos", "program", "group", "recovery", "substance",
                     patient.ToString(), clinic.ToString() })
            Assert.DoesNotContain(clinical, text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(await service.PatientDeliveries(clinic, patient), d => d is { Kind: "catchUpAssigned", Channel: "sms", Status: "sent" });
    }

    [Fact]
    public async Task Open_homework_is_reminded_the_day_before_it_is_due_and_goes_out_at_that_time()
    {
        var (clinic, patient, email) = await PatientInChicago();
        var (dueOn, remindAt) = DueInDays(3);

        await Deliver(Assigned(clinic, patient, dueOn));

        var reminder = Assert.Single(await service.PatientDeliveries(clinic, patient), d => d.Kind == "homeworkReminder");
        Assert.Equal(("pending", remindAt), (reminder.Status, reminder.DueAt));
        await service.Dispatcher.RunOnce(DateTimeOffset.UtcNow, default);
        await smtp.WaitForMessageAsync(email, m => m.Subject == "Your catch-up is ready");
        await service.Dispatcher.RunOnce(remindAt.AddMinutes(-1), default);
        Assert.Equal("pending", (await service.PatientDeliveries(clinic, patient)).Single(d => d.Kind == "homeworkReminder").Status);

        await service.Dispatcher.RunOnce(remindAt, default);

        var nudge = await smtp.WaitForMessageAsync(email, m => m.Subject == "A gentle reminder: your catch-up homework");
        Assert.Contains("due tomorrow", await smtp.GetPlainTextAsync(nudge));
        Assert.Equal("sent", (await service.PatientDeliveries(clinic, patient)).Single(d => d.Kind == "homeworkReminder").Status);
        Assert.Equal(2, (await smtp.MessagesToAsync(email)).Count);
    }

    [Fact]
    public async Task Homework_marked_done_after_the_assignment_cancels_its_pending_reminder()
    {
        var (clinic, patient, email) = await PatientInChicago();
        var (dueOn, remindAt) = DueInDays(3);
        var assigned = Assigned(clinic, patient, dueOn);

        await Deliver(assigned, HomeworkDone(assigned));
        await service.Dispatcher.RunOnce(remindAt, default);

        var reminder = Assert.Single(await service.PatientDeliveries(clinic, patient), d => d.Kind == "homeworkReminder");
        Assert.Equal(("cancelled", "homeworkDone", (DateTimeOffset?)null), (reminder.Status, reminder.Reason, reminder.SentAt));
        Assert.Equal("Your catch-up is ready", Assert.Single(await smtp.MessagesToAsync(email)).Subject);
    }

    [Fact]
    public async Task Homework_done_heard_of_before_its_assignment_is_never_reminded()
    {
        var (clinic, patient, email) = await PatientInChicago();
        var (dueOn, remindAt) = DueInDays(3);
        var assigned = Assigned(clinic, patient, dueOn);

        await Deliver(HomeworkDone(assigned), assigned);
        await service.Dispatcher.RunOnce(remindAt, default);

        Assert.Equal("catchUpAssigned", Assert.Single(await service.PatientDeliveries(clinic, patient)).Kind);
        Assert.Equal("Your catch-up is ready", Assert.Single(await smtp.MessagesToAsync(email)).Subject);
    }

    [Fact]
    public async Task A_catch_up_corrected_away_before_its_assignment_is_heard_of_sends_nothing()
    {
        var (clinic, patient, email) = await PatientInChicago();
        var assigned = Assigned(clinic, patient, DueInDays(3).DueOn);

        await Deliver(new ContinuityPackageAddressed(Guid.CreateVersion7(), clinic, assigned.PackageId, patient, assigned.SessionId, "corrected",
            DateTimeOffset.UtcNow), assigned);
        await service.Dispatcher.RunOnce(DateTimeOffset.UtcNow, default);

        Assert.Empty(await service.PatientDeliveries(clinic, patient));
        Assert.Empty(await smtp.MessagesToAsync(email));
    }

    [Fact]
    public async Task A_package_addressed_after_its_assignment_cancels_what_is_still_pending()
    {
        var (clinic, patient, email) = await PatientInChicago();
        var assigned = Assigned(clinic, patient, DueInDays(3).DueOn);

        await Deliver(assigned, new ContinuityPackageAddressed(Guid.CreateVersion7(), clinic, assigned.PackageId, patient, assigned.SessionId, "waived",
            DateTimeOffset.UtcNow));
        await service.Dispatcher.RunOnce(DateTimeOffset.UtcNow, default);

        var deliveries = await service.PatientDeliveries(clinic, patient);
        Assert.Equal(["catchUpAssigned", "homeworkReminder"], deliveries.Select(d => d.Kind).Order());
        Assert.All(deliveries, d => Assert.Equal(("cancelled", "waived"), (d.Status, d.Reason)));
        Assert.Empty(await smtp.MessagesToAsync(email));
    }

    [Fact]
    public async Task A_redelivered_or_republished_assignment_sends_one_message_and_plans_one_reminder()
    {
        var (clinic, patient, email) = await PatientInChicago();
        var (dueOn, remindAt) = DueInDays(3);
        var assigned = Assigned(clinic, patient, dueOn);

        await service.Broker.Publish(assigned);
        await service.Broker.Publish(assigned);
        await service.Consumed.WaitFor(assigned.EventId, times: 2);
        await Deliver(assigned with { EventId = Guid.CreateVersion7() });
        await service.Dispatcher.RunOnce(DateTimeOffset.UtcNow, default);
        await service.Dispatcher.RunOnce(remindAt, default);

        Assert.Equal(["catchUpAssigned", "homeworkReminder"], (await service.PatientDeliveries(clinic, patient)).Select(d => d.Kind).Order());
        Assert.Equal(["A gentle reminder: your catch-up homework", "Your catch-up is ready"],
            (await smtp.MessagesToAsync(email)).Select(m => m.Subject).Order());
    }
}
