using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.TestSupport;

namespace VirtualIop.Notification.IntegrationTests;

/// <summary>
/// What a patient's own token reaches in Notification: their contact preferences and opt-outs, confirming their own
/// sessions and asking for technical help (a ticket at a real help-desk listener); never another patient's, nor any
/// staff endpoint. Templates, reminder plans and webhook subscriptions take an admin or coordinator among staff.
/// </summary>
[Collection(NotificationCollection.Name)]
public sealed class PatientAccessTests(PatientAccessTests.HelpDeskService helpDesk) : IClassFixture<PatientAccessTests.HelpDeskService>
{
    static readonly string[] OpenToPatients = ["ConfirmSession", "GetContact", "OptIn", "OptOut", "RequestTechnicalHelp", "SaveContact"];

    readonly NotificationService service = helpDesk.Service;

    /// <summary>One service for the class, opening tickets at a help-desk listener that accepts every one.</summary>
    public sealed class HelpDeskService(PostgresServer postgres, RabbitMqBroker rabbitMq, SmtpSink smtp) : IAsyncLifetime
    {
        public RecordingHttpServer Tickets { get; } = new();

        public NotificationService Service { get; } = new(postgres, rabbitMq, smtp);

        public async Task InitializeAsync()
        {
            Service.HelpDeskWebhookUrl = Tickets.BaseUrl + "/tickets";
            await Service.InitializeAsync();
        }

        public async Task DisposeAsync()
        {
            await Service.DisposeAsync();
            await Tickets.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_patient_token_reaches_only_the_endpoints_opened_to_patients_and_is_refused_everywhere_else()
    {
        Assert.Equal(OpenToPatients, PatientSelfAccessWalk.Marked(service.Routes));
        await PatientSelfAccessWalk.RefusedUnlessMarked(service.Routes, service.PatientClientFor(Guid.NewGuid(), Guid.NewGuid()));
    }

    [Fact]
    public Task Each_endpoint_open_to_patients_serves_the_patients_own_data_and_answers_404_for_another_patient_of_the_clinic() =>
        PatientSelfAccessWalk.OwnDataOnly(service.Routes, service.PatientClientFor, new Dictionary<string, Func<Guid, Guid, Guid, Task<PatientCalls>>>
        {
            ["SaveContact"] = (_, own, other) => Task.FromResult(new PatientCalls(
                Put($"/api/notification/patients/{own}/contact", new { email = $"{own:N}@example.test" }),
                Put($"/api/notification/patients/{other}/contact", new { email = $"{other:N}@example.test" }))),
            ["GetContact"] = async (clinicId, own, other) =>
            {
                await Registered(clinicId, own, other);
                return new(Get($"/api/notification/patients/{own}/contact"), Get($"/api/notification/patients/{other}/contact"));
            },
            ["OptOut"] = async (clinicId, own, other) =>
            {
                await Registered(clinicId, own, other);
                return new(Put($"/api/notification/patients/{own}/contact/opt-outs/email", null), Put($"/api/notification/patients/{other}/contact/opt-outs/email", null));
            },
            ["OptIn"] = async (clinicId, own, other) =>
            {
                await Registered(clinicId, own, other);
                return new(new(HttpMethod.Delete, $"/api/notification/patients/{own}/contact/opt-outs/email"),
                    new(HttpMethod.Delete, $"/api/notification/patients/{other}/contact/opt-outs/email"));
            },
            ["ConfirmSession"] = async (clinicId, own, other) =>
            {
                var session = await Scheduled(clinicId, own, other);
                return new(Post($"/api/notification/patients/{own}/sessions/{session}/confirmation", null),
                    Post($"/api/notification/patients/{other}/sessions/{session}/confirmation", null));
            },
            ["RequestTechnicalHelp"] = (_, own, other) => Task.FromResult(new PatientCalls(
                Post($"/api/notification/patients/{own}/technical-help", new { camera = "ok", microphone = "ok", connection = "failed" }),
                Post($"/api/notification/patients/{other}/technical-help", new { camera = "ok", microphone = "ok", connection = "failed" })))
        });

    [Fact]
    public async Task A_patient_confirms_their_own_upcoming_session_as_a_C_by_text_would_and_a_decline_they_gave_stands()
    {
        var (clinicId, own, other) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var session = await Scheduled(clinicId, own, other);
        var elsewhere = await Scheduled(clinicId, other);
        var patient = service.PatientClientFor(clinicId, own);

        Assert.Equal(HttpStatusCode.NoContent, (await patient.PostAsync($"/api/notification/patients/{own}/sessions/{session}/confirmation", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await patient.PostAsync($"/api/notification/patients/{own}/sessions/{session}/confirmation", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await patient.PostAsync($"/api/notification/patients/{own}/sessions/{elsewhere}/confirmation", null)).StatusCode);
        Assert.Equal([("confirmed", "web")], await service.Query<(string, string)>(
            "select reply, channel from session_reply where clinic_id = @Clinic and patient_id = @Patient", new { Clinic = clinicId, Patient = own }));

        var declined = await Scheduled(clinicId, own);
        await service.Execute("""
            insert into session_reply (clinic_id, session_id, patient_id, reply, channel, received_at) values (@Clinic, @Session, @Patient, 'declined', 'sms', now())
            """, new { Clinic = clinicId, Session = declined, Patient = own });
        Assert.Equal(HttpStatusCode.Conflict, (await patient.PostAsync($"/api/notification/patients/{own}/sessions/{declined}/confirmation", null)).StatusCode);
    }

    [Fact]
    public async Task Asking_for_technical_help_opens_a_signed_ticket_with_ids_and_the_checks_results_but_never_the_patients_note()
    {
        var (clinicId, own) = (Guid.NewGuid(), Guid.NewGuid());
        var session = await Scheduled(clinicId, own);
        var patient = service.PatientClientFor(clinicId, own);

        var asked = await patient.PostAsJsonAsync($"/api/notification/patients/{own}/technical-help",
            new { sessionId = session, camera = "failed", microphone = "ok", connection = "skipped", note = "My partner's laptop camera shows black" });

        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        var taken = await asked.Content.ReadFromJsonAsync<JsonElement>();
        var ticketId = taken.GetProperty("ticketId").GetGuid();
        var ticket = await Eventually.Until(() => Task.FromResult(helpDesk.Tickets.Requests.Where(r => r.Body.Contains(ticketId.ToString())).ToList()),
            r => r.Count == 1, "the help-desk ticket");
        using var json = JsonDocument.Parse(ticket[0].Body);
        var body = json.RootElement;
        Assert.Equal((clinicId, own, session, "technicalCheck"),
            (body.GetProperty("clinicId").GetGuid(), body.GetProperty("patientId").GetGuid(), body.GetProperty("sessionId").GetGuid(), body.GetProperty("source").GetString()));
        var checks = body.GetProperty("checks");
        Assert.Equal(("failed", "ok", "skipped"),
            (checks.GetProperty("camera").GetString(), checks.GetProperty("microphone").GetString(), checks.GetProperty("connection").GetString()));
        Assert.DoesNotContain("laptop", ticket[0].Body);
        Assert.Equal([("My partner's laptop camera shows black", ticketId)], await service.Query<(string, Guid)>(
            "select note, ticket_id from technical_help_request where clinic_id = @Clinic and id = @Id",
            new { Clinic = clinicId, Id = taken.GetProperty("requestId").GetGuid() }));

        var bad = await patient.PostAsJsonAsync($"/api/notification/patients/{own}/technical-help",
            new { camera = "broken", connection = "ok", note = new string('x', 501) });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.All(new[] { "camera", "microphone", "note" }, field => Assert.True(errors.TryGetProperty(field, out _), field));
        Assert.Equal(HttpStatusCode.NotFound, (await patient.PostAsJsonAsync($"/api/notification/patients/{own}/technical-help",
            new { sessionId = Guid.NewGuid(), camera = "ok", microphone = "ok", connection = "ok" })).StatusCode);
    }

    [Fact]
    public async Task A_patient_changes_their_own_addresses_language_time_zone_quiet_hours_and_opt_outs_and_each_change_is_audited_as_theirs()
    {
        var (clinicId, own) = (Guid.NewGuid(), Guid.NewGuid());
        await service.RegisterContact(clinicId, own);
        var patient = service.PatientClientFor(clinicId, own);

        var saved = await patient.PutAsJsonAsync($"/api/notification/patients/{own}/contact", new
        {
            email = $"new-{own:N}@example.test", phone = "+15551234567", channels = new[] { "sms", "email" }, language = "es",
            timeZone = "America/Bogota", quietHours = new { start = "21:00", end = "07:30" }
        });
        var optedOut = await patient.PutAsync($"/api/notification/patients/{own}/contact/opt-outs/sms", null);

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(HttpStatusCode.OK, optedOut.StatusCode);
        var contact = await (await patient.GetAsync($"/api/notification/patients/{own}/contact")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("+15551234567", "America/Bogota"), (contact.GetProperty("phone").GetString(), contact.GetProperty("timeZone").GetString()));
        Assert.Contains(contact.GetProperty("optedOut").EnumerateArray(), o => o.GetString() == "sms");
        var audit = await service.AuditRows(clinicId);
        Assert.Equal(2, audit.Count(r => r is { ClientId: ServiceUnderTest.PatientClientId, Action: "change" } && r.PatientId == own));
    }

    [Fact]
    public async Task Only_an_admin_among_staff_reads_the_audit_log_and_only_an_admin_or_coordinator_changes_templates_and_webhooks_while_partner_systems_pass()
    {
        var clinicId = Guid.NewGuid();
        const string template = "/api/notification/templates/reminder/es/sms";
        var wording = new { body = "Le esperamos el {{sessionTime}}: {{link}}" };
        var clinician = service.StaffClientFor(clinicId, StaffRoles.Clinician);
        var coordinator = service.StaffClientFor(clinicId, StaffRoles.Coordinator);

        Assert.Equal(HttpStatusCode.Forbidden, (await clinician.GetAsync("/api/notification/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await service.StaffClientFor(clinicId, StaffRoles.Admin).GetAsync("/api/notification/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await service.ClientFor(clinicId).GetAsync("/api/notification/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await clinician.PutAsJsonAsync(template, wording)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await clinician.DeleteAsync(template)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await clinician.GetAsync(template)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await coordinator.PutAsJsonAsync(template, wording)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await service.ClientFor(clinicId).PutAsJsonAsync(template, wording)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await clinician.GetAsync("/api/webhooks/subscriptions")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await coordinator.GetAsync("/api/webhooks/subscriptions")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await service.ClientFor(clinicId).GetAsync("/api/webhooks/subscriptions")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await clinician.PutAsJsonAsync($"/api/notification/programs/{Guid.NewGuid()}/reminder-plan", new { offsets = new[] { "1.00:00:00" } })).StatusCode);
    }

    async Task Registered(Guid clinicId, params Guid[] patients)
    {
        foreach (var patient in patients) await service.RegisterContact(clinicId, patient);
    }

    /// <summary>A group session tomorrow with these patients, once Notification has taken it in; returns its id.</summary>
    async Task<Guid> Scheduled(Guid clinicId, params Guid[] patients)
    {
        var startsAt = DateTimeOffset.UtcNow.AddDays(1);
        var session = new SessionScheduled(Guid.CreateVersion7(), clinicId, Guid.NewGuid(), "groupTherapy", startsAt, startsAt.AddHours(1), "UTC", patients);
        await service.Broker.Publish(session);
        await service.Consumed.WaitFor(session.EventId, times: 1);
        return session.SessionId;
    }

    static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);

    static HttpRequestMessage Post(string path, object? body) => new(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };

    static HttpRequestMessage Put(string path, object? body) => new(HttpMethod.Put, path) { Content = body is null ? null : JsonContent.Create(body) };
}
