using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Contracts;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.TestSupport;

namespace VirtualIop.Notification.IntegrationTests;

/// <summary>Outreach on Attendance's, Engagement's and Scheduling's events, read back from the SMTP sink and a real help-desk listener.</summary>
[Collection(NotificationCollection.Name)]
public sealed class OutreachTests(PostgresServer postgres, RabbitMqBroker rabbitMq, SmtpSink smtp, NotificationService shared)
    : IClassFixture<NotificationService>, IAsyncLifetime
{
    static readonly string[] Punitive = ["violat", "policy", "política", "penalt", "warning", "unexcused", "no-show", "consequence", "must "];

    NotificationService service = shared;
    NotificationService? own;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => own?.DisposeAsync() ?? Task.CompletedTask;

    /// <summary>Gives this test a service of its own in place of the shared one, for settings of its own: set them, then start it.</summary>
    NotificationService OwnService() => service = own = new(postgres, rabbitMq, smtp);

    static AbsenceNotified Notice(Guid clinic, Guid patient, string reason = "schedulingConflict", Guid? sessionId = null) =>
        new(Guid.CreateVersion7(), clinic, Guid.NewGuid(), sessionId ?? Guid.NewGuid(), patient, reason, true, DateTimeOffset.UtcNow.AddDays(1),
            "America/Chicago", DateTimeOffset.UtcNow);

    async Task<string> Body(string email, string subjectStart)
    {
        var mail = await smtp.WaitForMessageAsync(email, m => m.Subject?.StartsWith(subjectStart, StringComparison.Ordinal) == true);
        return mail.Subject + "\n" + await smtp.GetPlainTextAsync(mail);
    }

    static void AssertSupportive(string text)
    {
        foreach (var word in Punitive) Assert.DoesNotContain(word, text, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Points the service at a help desk listening for tickets; set before the service starts.</summary>
    RecordingHttpServer WithHelpDesk()
    {
        var helpDesk = new RecordingHttpServer();
        OwnService().HelpDeskWebhookUrl = helpDesk.BaseUrl + "/tickets";
        return helpDesk;
    }

    static async Task<RecordedRequest> SingleTicket(RecordingHttpServer helpDesk)
    {
        var tickets = await Eventually.Until(() => Task.FromResult(helpDesk.Requests), r => r.Count >= 1, "a help-desk ticket");
        return Assert.Single(tickets);
    }

    static void AssertSignedTicket(RecordedRequest request)
    {
        Assert.Equal(("POST", "/tickets"), (request.Method, request.Path));
        var timestamp = long.Parse(request.Headers[WebhookSignature.TimestampHeader]);
        Assert.Equal(WebhookSignature.Compute(NotificationService.HelpDeskSecret, timestamp, "POST", "/tickets", request.Body), request.Headers[WebhookSignature.SignatureHeader]);
    }

    async Task PublishOnce<T>(T message) where T : class, IIntegrationEvent
    {
        await service.Broker.Publish(message);
        await service.Consumed.WaitFor(message.EventId, times: 1);
    }

    [Fact]
    public async Task An_absence_notice_is_acknowledged_with_the_makeups_on_offer_and_the_catch_up_link()
    {
        var (clinic, patient, email) = await service.NewPatient();
        var notice = Notice(clinic, patient);
        var offer = new MakeupOffered(Guid.CreateVersion7(), clinic, Guid.NewGuid(), notice.SessionId, patient, ["oneOnOne", "recording"],
            DateTimeOffset.UtcNow.AddDays(7));
        await PublishOnce(offer);

        await service.Broker.Publish(notice);

        var text = await Body(email, "Thank you for letting us know");
        Assert.Contains("a one-on-one session", text);
        Assert.Contains("the recording", text);
        NotificationService.PersonalLinkToken(text, $"/patient/catch-up/{notice.SessionId}");
        AssertSupportive(text);
    }

    [Fact]
    public async Task A_redelivered_absence_notice_is_acknowledged_once()
    {
        var (clinic, patient, email) = await service.NewPatient();
        var notice = Notice(clinic, patient);

        await service.Broker.Publish(notice);
        await service.Broker.Publish(notice);
        await service.Consumed.WaitFor(notice.EventId, times: 2);
        await smtp.WaitForMessageAsync(email);
        await service.Dispatcher.RunOnce(DateTimeOffset.UtcNow.AddMinutes(1), default);

        Assert.Single(await smtp.MessagesToAsync(email));
    }

    [Fact]
    public async Task A_technical_difficulty_brings_help_steps_and_the_help_desk_and_opens_a_signed_ticket_carrying_ids_only()
    {
        await using var helpDesk = WithHelpDesk();
        var (clinic, patient, email) = await service.InitializeWithNewPatient();
        var notice = Notice(clinic, patient, reason: "technicalDifficulty");

        await service.Broker.Publish(notice);

        var text = await Body(email, "Help with joining your sessions");
        Assert.Contains("camera and microphone", text);
        Assert.Contains(NotificationService.HelpDeskContact, text);
        AssertSupportive(text);
        var request = await SingleTicket(helpDesk);
        AssertSignedTicket(request);
        using var json = JsonDocument.Parse(request.Body);
        Assert.Equal(clinic, json.RootElement.GetProperty("clinicId").GetGuid());
        Assert.Equal(patient, json.RootElement.GetProperty("patientId").GetGuid());
        Assert.Equal(notice.SessionId, json.RootElement.GetProperty("sessionId").GetGuid());
        Assert.Equal("technicalDifficulty", json.RootElement.GetProperty("reason").GetString());
        Assert.Equal("absenceNotice", json.RootElement.GetProperty("source").GetString());
        Assert.DoesNotContain("@", request.Body);
        var deliveries = await service.WaitForPatientDeliveries(clinic, patient, d => d.Count == 2 && d.All(x => x.Status == "sent"), "help and ticket sent");
        Assert.Equal(["helpDeskTicket", "technicalSupport"], deliveries.Select(d => d.Kind).Order());
    }

    [Fact]
    public async Task A_correction_put_down_to_technical_difficulty_also_brings_technical_help_and_a_ticket()
    {
        await using var helpDesk = WithHelpDesk();
        var (clinic, patient, email) = await service.InitializeWithNewPatient();
        var corrected = new AttendanceCorrected(Guid.CreateVersion7(), clinic, Guid.NewGuid(), patient, "noShow", "excusedAbsence", "technicalDifficulty",
            DateTimeOffset.UtcNow);
        var other = corrected with { EventId = Guid.CreateVersion7(), SessionId = Guid.NewGuid(), ReasonCategory = "illness" };

        await service.Broker.Publish(other);
        await service.Broker.Publish(corrected);

        await Body(email, "Help with joining your sessions");
        Assert.Contains("\"source\":\"attendanceCorrection\"", (await SingleTicket(helpDesk)).Body);
        await service.Consumed.WaitFor(other.EventId, times: 2); // the technical-support offer and the missed-session outreach's cancellation
        Assert.Empty(await service.Deliveries(clinic, other.SessionId));
    }

    [Fact]
    public async Task An_attendance_warning_brings_a_supportive_word_to_the_patient_in_their_language_and_an_alert_to_their_clinician()
    {
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        var clinician = Guid.NewGuid();
        var patientEmail = $"p-{patient:N}@example.test";
        await service.RegisterPreferences(clinic, patient, new { email = patientEmail, language = "es" });
        var clinicianEmail = await service.RegisterClinician(clinic, clinician);
        await ScheduleWith(clinic, patient, clinician);
        var warning = new AttendanceWarning(Guid.CreateVersion7(), clinic, patient, Guid.NewGuid(), "minimumAttendance", 0.76m, 0.75m, DateTimeOffset.UtcNow);

        await service.Broker.Publish(warning);

        var toPatient = await Body(patientEmail, "Estamos aquí para ayudarle a seguir");
        AssertSupportive(toPatient);
        NotificationService.PersonalLinkToken(toPatient, "/patient/sessions");
        var toClinician = await Body(clinicianEmail, "A patient may need your follow-up");
        Assert.Contains("one step from a limit", toClinician);
        Assert.Contains(patient.ToString(), toClinician);
        Assert.Contains($"{NotificationService.ClinicianPortalUrl}/patients/{patient}", toClinician);
        var alert = (await service.PatientDeliveries(clinic, patient)).Single(d => d.Kind == "clinicianAlert");
        Assert.Equal(("clinician", clinician), (alert.Recipient, alert.RecipientId));
    }

    [Fact]
    public async Task A_policy_breach_is_met_with_support_for_the_patient_and_an_alert_for_the_clinician_of_their_latest_session()
    {
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        var earlier = Guid.NewGuid();
        var latest = Guid.NewGuid();
        var patientEmail = await service.RegisterContact(clinic, patient);
        var earlierEmail = await service.RegisterClinician(clinic, earlier);
        var latestEmail = await service.RegisterClinician(clinic, latest);
        await ScheduleWith(clinic, patient, earlier, startsIn: TimeSpan.FromDays(1));
        await ScheduleWith(clinic, patient, latest, startsIn: TimeSpan.FromDays(2));
        var breach = new PolicyBreached(Guid.CreateVersion7(), clinic, patient, null, "unexcusedMaximum", 4, 3, DateTimeOffset.UtcNow);

        await service.Broker.Publish(breach);

        AssertSupportive(await Body(patientEmail, "We're here to help you keep going"));
        Assert.Contains("gone past a limit", await Body(latestEmail, "A patient may need your follow-up"));
        await service.WaitForPatientDeliveries(clinic, patient, d => d.Count(x => x.Status == "sent" && x.Kind != "reminder") == 2, "both sent");
        Assert.Empty(await smtp.MessagesToAsync(earlierEmail));
    }

    [Fact]
    public async Task Rising_engagement_risk_alerts_the_patients_clinician()
    {
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        var clinician = Guid.NewGuid();
        var clinicianEmail = await service.RegisterClinician(clinic, clinician);
        await ScheduleWith(clinic, patient, clinician);

        await service.Broker.Publish(new EngagementRiskRaised(Guid.CreateVersion7(), clinic, patient, "high", ["consecutiveMisses"], DateTimeOffset.UtcNow));

        Assert.Contains("risk rose to high (signals: consecutiveMisses)", await Body(clinicianEmail, "A patient may need your follow-up"));
    }

    [Fact]
    public async Task Without_a_known_clinician_the_alert_is_recorded_as_not_sent_and_why()
    {
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();

        await service.Broker.Publish(new EngagementRiskRaised(Guid.CreateVersion7(), clinic, patient, "moderate", [], DateTimeOffset.UtcNow));

        var alert = Assert.Single(await service.WaitForPatientDeliveries(clinic, patient, d => d.Count == 1, "the alert recorded"));
        Assert.Equal(("clinicianAlert", "skipped", "suppressed", "noClinician"), (alert.Kind, alert.Status, alert.State, alert.Reason));
    }

    [Fact]
    public async Task A_waitlist_promotion_and_a_makeup_booking_are_confirmed_and_a_recording_says_it_has_no_time()
    {
        var (clinic, patient, email) = await service.NewPatient();
        var startsAt = new DateTimeOffset(2030, 3, 5, 23, 0, 0, TimeSpan.Zero);
        var promoted = new WaitlistPromoted(Guid.CreateVersion7(), clinic, Guid.NewGuid(), patient, null, startsAt, "America/New_York", DateTimeOffset.UtcNow);
        var recording = new MakeupBooked(Guid.CreateVersion7(), clinic, Guid.NewGuid(), Guid.NewGuid(), patient, "recording", null, null, "America/New_York");

        await service.Broker.Publish(promoted);
        await service.Broker.Publish(recording);

        var seat = await Body(email, "A place opened up for you");
        Assert.Contains("Tuesday, 5 March 2030 at 18:00 (America/New_York)", seat);
        NotificationService.PersonalLinkToken(seat, "/patient/sessions");
        var makeup = await Body(email, "Your makeup is booked");
        Assert.Contains("the recording, to watch when it suits you", makeup);
        NotificationService.PersonalLinkToken(makeup, "/patient/makeups");
    }

    [Fact]
    public async Task Makeups_offered_after_the_we_missed_you_message_went_out_follow_up_once_with_the_options()
    {
        var (clinic, patient, email) = await service.NewPatient();
        var now = DateTimeOffset.UtcNow;
        var missed = new SessionMissed(Guid.CreateVersion7(), clinic, Guid.NewGuid(), patient, now.AddHours(-1), "America/Chicago", now);
        await service.Broker.Publish(missed);
        Assert.Contains("Your care team can also help you find a makeup time", await Body(email, "We missed you"));
        await service.WaitForDeliveries(clinic, missed.SessionId, d => d is [{ Status: "sent" }], "the miss message sent");
        var offer = new MakeupOffered(Guid.CreateVersion7(), clinic, Guid.NewGuid(), missed.SessionId, patient, ["extraGroupSlot"], now.AddDays(7));

        await service.Broker.Publish(offer);
        await service.Broker.Publish(offer);

        var followUp = await Body(email, "Ways to catch up");
        Assert.Contains("a place in an extra session", followUp);
        NotificationService.PersonalLinkToken(followUp, "/patient/makeups");
        await service.Consumed.WaitFor(offer.EventId, times: 2);
        await service.Dispatcher.RunOnce(DateTimeOffset.UtcNow.AddMinutes(1), default);
        Assert.Equal(2, (await smtp.MessagesToAsync(email)).Count);
    }

    [Fact]
    public async Task Makeups_offered_before_the_we_missed_you_message_goes_out_are_listed_in_it()
    {
        var (clinic, patient, email) = await service.NewPatient();
        var now = DateTimeOffset.UtcNow;
        var missed = new SessionMissed(Guid.CreateVersion7(), clinic, Guid.NewGuid(), patient, now.AddHours(-1), "America/Chicago", now);
        var offer = new MakeupOffered(Guid.CreateVersion7(), clinic, Guid.NewGuid(), missed.SessionId, patient, ["oneOnOne"], now.AddDays(7));
        await PublishOnce(offer);

        await service.Broker.Publish(missed);

        Assert.Contains("a one-on-one session", await Body(email, "We missed you"));
        await service.WaitForDeliveries(clinic, missed.SessionId, d => d is [{ Status: "sent" }], "the miss message sent");
        Assert.Single(await smtp.MessagesToAsync(email));
    }

    [Fact]
    public async Task A_clinician_contact_needs_a_valid_email_another_clinic_cannot_read_it_and_a_token_is_required()
    {
        var clinic = Guid.NewGuid();
        var clinician = Guid.NewGuid();

        var bad = await service.ClientFor(clinic).PutAsJsonAsync($"/api/notification/clinicians/{clinician}/contact", new { email = "not-an-address" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("email", out _));
        Assert.Equal(0, await service.Count("clinician_contact", clinic));

        await service.RegisterClinician(clinic, clinician);
        Assert.Equal(HttpStatusCode.OK, (await service.ClientFor(clinic).GetAsync($"/api/notification/clinicians/{clinician}/contact")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await service.ClientFor(Guid.NewGuid()).GetAsync($"/api/notification/clinicians/{clinician}/contact")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await service.AnonymousClient().PutAsJsonAsync($"/api/notification/clinicians/{clinician}/contact", new { email = "a@example.test" })).StatusCode);
    }

    async Task ScheduleWith(Guid clinic, Guid patient, Guid clinician, TimeSpan? startsIn = null)
    {
        var startsAt = DateTimeOffset.UtcNow + (startsIn ?? TimeSpan.FromDays(1));
        var session = new SessionScheduled(Guid.CreateVersion7(), clinic, Guid.NewGuid(), "groupTherapy", startsAt, startsAt.AddHours(1), "America/Chicago",
            [patient], ClinicianId: clinician);
        await PublishOnce(session);
    }
}
