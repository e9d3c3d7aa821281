using System.Net;
using System.Net.Http.Json;
using VirtualIop.Contracts;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Notification.Workers;
using VirtualIop.TestSupport;

namespace VirtualIop.Notification.IntegrationTests;

/// <summary>
/// Crisis escalation, Notification's part: the clinician is alerted at once by SMS and email, the patient's automated
/// messages about the session are held, and an unacknowledged check is escalated once to the program's on-call contact.
/// The dispatcher and the escalation worker run only when a test runs a pass, at the time it chooses.
/// </summary>
[Collection(NotificationCollection.Name)]
public sealed class SafetyAlertTests(PostgresServer postgres, RabbitMqBroker rabbitMq, SmtpSink smtp) : IAsyncLifetime
{
    readonly RecordingHttpServer sms = new();
    readonly NotificationService service = new(postgres, rabbitMq, smtp) { DispatchInterval = TimeSpan.FromHours(1) };

    public Task InitializeAsync()
    {
        service.SmsProviderUrl = sms.BaseUrl;
        return service.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await service.DisposeAsync();
        await sms.DisposeAsync();
    }

    SafetyCheckEscalations Escalations => service.SafetyEscalations;

    async Task PublishOnce<T>(T message) where T : class, IIntegrationEvent
    {
        await service.Broker.Publish(message);
        await service.Consumed.WaitFor(message.EventId, times: 1);
    }

    async Task<(string Email, string Phone)> RegisterClinician(Guid clinic, Guid clinician)
    {
        var email = $"clinician-{clinician:N}@example.test";
        var phone = "+1555" + Random.Shared.Next(1000000, 9999999);
        (await service.ClientFor(clinic).PutAsJsonAsync($"/api/notification/clinicians/{clinician}/contact", new { email, phone })).EnsureSuccessStatusCode();
        return (email, phone);
    }

    async Task<(string Email, string Phone)> SetOnCall(Guid clinic, Guid program)
    {
        await PublishOnce(new ProgramCreated(Guid.CreateVersion7(), clinic, program, DateTimeOffset.UtcNow));
        var email = $"on-call-{program:N}@example.test";
        var phone = "+1555" + Random.Shared.Next(1000000, 9999999);
        (await service.ClientFor(clinic).PutAsJsonAsync($"/api/notification/programs/{program}/on-call", new { email, phone })).EnsureSuccessStatusCode();
        return (email, phone);
    }

    static SafetyCheckOpened Opened(Guid clinic, Guid patient, Guid session, Guid? clinician, Guid? program, DateTimeOffset now) =>
        new(Guid.CreateVersion7(), clinic, Guid.NewGuid(), patient, session, clinician, program, "emergencyAbsence", now.AddHours(4), now);

    IReadOnlyList<RecordedRequest> TextsTo(string phone) => sms.Requests.Where(r => r.Form()["To"] == phone).ToList();

    [Fact]
    public async Task The_clinician_gets_an_sms_and_an_email_at_once_in_the_patients_quiet_hours_and_the_patients_messages_about_the_session_are_held()
    {
        var now = DateTimeOffset.UtcNow;
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        var clinician = Guid.NewGuid();
        var session = Guid.NewGuid();
        var clinicianContact = await RegisterClinician(clinic, clinician);
        await service.RegisterPreferences(clinic, patient, new
        {
            email = $"patient-{patient:N}@example.test", timeZone = "UTC",
            quietHours = new { start = now.AddHours(-1).ToString("HH:mm"), end = now.AddHours(1).ToString("HH:mm") }
        });
        await PublishOnce(new AbsenceNotified(Guid.CreateVersion7(), clinic, Guid.NewGuid(), session, patient, "emergency", true, now.AddHours(2), "UTC", now));

        await PublishOnce(Opened(clinic, patient, session, clinician, null, now));
        await PublishOnce(new SessionMissed(Guid.CreateVersion7(), clinic, session, patient, now.AddHours(-1), "UTC", now));
        await service.Dispatcher.RunOnce(DateTimeOffset.UtcNow, default);

        var text = Assert.Single(TextsTo(clinicianContact.Phone)).Form()["Body"];
        Assert.Contains($"{NotificationService.ClinicianPortalUrl}/patients/{patient}", text);
        Assert.Contains("safety check", text);
        var mail = await smtp.WaitForMessageAsync(clinicianContact.Email, m => m.Subject == "Urgent: a patient needs a safety check");
        Assert.Contains($"{NotificationService.ClinicianPortalUrl}/patients/{patient}", await smtp.GetPlainTextAsync(mail));
        var deliveries = await service.PatientDeliveries(clinic, patient);
        Assert.Equal(["email:sent", "sms:sent"],
            deliveries.Where(d => d.Kind == "safetyAlert").Select(d => $"{d.Channel}:{d.Status}").Order());
        Assert.All(deliveries.Where(d => d.Kind == "safetyAlert"), d => Assert.Equal(("clinician", clinician), (d.Recipient, d.RecipientId)));
        Assert.Equal(["absenceAcknowledged:held", "missedSession:held"],
            deliveries.Where(d => d.Recipient == "patient").Select(d => $"{d.Kind}:{d.Status}").Order());
    }

    [Fact]
    public async Task A_safety_check_not_acknowledged_by_its_due_time_alerts_the_programs_on_call_contact_once()
    {
        var now = DateTimeOffset.UtcNow;
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        var program = Guid.NewGuid();
        var onCall = await SetOnCall(clinic, program);
        var opened = Opened(clinic, patient, Guid.NewGuid(), null, program, now);
        await PublishOnce(opened);

        Assert.Equal(0, await Escalations.RunOnce(opened.DueBy.AddMinutes(-1), default));
        var replica = service.NewSafetyEscalations();
        var escalated = 0;
        foreach (var pass in new[] { Escalations, replica, Escalations })
        {
            escalated += await pass.RunOnce(opened.DueBy, default);
            await service.Dispatcher.RunOnce(opened.DueBy, default);
        }

        Assert.Equal(1, escalated);
        var text = Assert.Single(TextsTo(onCall.Phone)).Form()["Body"];
        Assert.Contains($"{NotificationService.ClinicianPortalUrl}/patients/{patient}", text);
        var mail = Assert.Single(await smtp.MessagesToAsync(onCall.Email));
        Assert.Equal("Urgent: a patient needs a safety check", mail.Subject);
        Assert.Contains("on-call", await smtp.GetPlainTextAsync(mail));
    }

    [Fact]
    public async Task A_safety_check_acknowledged_in_time_is_not_escalated_and_the_held_messages_are_cancelled()
    {
        var now = DateTimeOffset.UtcNow;
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        var program = Guid.NewGuid();
        var session = Guid.NewGuid();
        var onCall = await SetOnCall(clinic, program);
        await service.RegisterContact(clinic, patient);
        var opened = Opened(clinic, patient, session, null, program, now);
        await PublishOnce(opened);
        await PublishOnce(new AbsenceNotified(Guid.CreateVersion7(), clinic, Guid.NewGuid(), session, patient, "emergency", true, now.AddHours(2), "UTC", now));

        await PublishOnce(new SafetyCheckAcknowledged(Guid.CreateVersion7(), clinic, opened.TaskId, patient, "inProgress", now.AddHours(1)));
        var escalated = await Escalations.RunOnce(opened.DueBy.AddHours(1), default);
        await service.Dispatcher.RunOnce(opened.DueBy.AddHours(1), default);

        Assert.Equal(0, escalated);
        Assert.Empty(TextsTo(onCall.Phone));
        Assert.Empty(await smtp.MessagesToAsync(onCall.Email));
        var deliveries = await service.PatientDeliveries(clinic, patient);
        Assert.DoesNotContain(deliveries, d => d.Recipient == "onCall");
        Assert.Equal("cancelled", Assert.Single(deliveries, d => d.Kind == "absenceAcknowledged").Status);
    }

    [Fact]
    public async Task An_acknowledgement_heard_of_before_the_opening_leaves_nothing_to_alert_or_escalate()
    {
        var now = DateTimeOffset.UtcNow;
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        var clinician = Guid.NewGuid();
        await RegisterClinician(clinic, clinician);
        var opened = Opened(clinic, patient, Guid.NewGuid(), clinician, null, now);

        await PublishOnce(new SafetyCheckAcknowledged(Guid.CreateVersion7(), clinic, opened.TaskId, patient, "inProgress", now));
        await PublishOnce(opened);

        Assert.Equal(0, await Escalations.RunOnce(opened.DueBy.AddHours(1), default));
        Assert.DoesNotContain(await service.PatientDeliveries(clinic, patient), d => d.Kind == "safetyAlert");
    }

    [Theory]
    [InlineData("""{ }""", "email")]
    [InlineData("""{ "email": "not-an-address" }""", "email")]
    [InlineData("""{ "phone": "555-1234" }""", "phone")]
    public async Task An_on_call_contact_that_makes_no_sense_is_rejected_naming_the_field(string body, string field)
    {
        var clinic = Guid.NewGuid();
        var program = Guid.NewGuid();
        await PublishOnce(new ProgramCreated(Guid.CreateVersion7(), clinic, program, DateTimeOffset.UtcNow));

        var response = await service.ClientFor(clinic).PutAsync($"/api/notification/programs/{program}/on-call",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"\"{field}\"", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await service.Count("program_on_call", clinic));
    }
}
