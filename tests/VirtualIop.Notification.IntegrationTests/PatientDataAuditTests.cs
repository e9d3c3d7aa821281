using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.TestSupport;

namespace VirtualIop.Notification.IntegrationTests;

[Collection(NotificationCollection.Name)]
public sealed class PatientDataAuditTests(PostgresServer postgres, RabbitMqBroker rabbitMq, SmtpSink smtp) : IAsyncLifetime
{
    readonly NotificationService service = new(postgres, rabbitMq, smtp);

    public Task InitializeAsync()
    {
        // Nothing goes out, so outreach stays pending for the clinician's view.
        service.SmtpServer = ("127.0.0.1", UnusedPort());
        return service.InitializeAsync();
    }

    public Task DisposeAsync() => service.DisposeAsync();

    [Fact]
    public void Every_route_that_names_a_patient_is_marked_as_auditing_patient_data() =>
        Assert.Empty(PatientDataAudit.UnauditedPatientRoutes(service.Routes));

    [Fact]
    public Task Every_patient_data_endpoint_leaves_an_audit_row_with_the_patient_the_client_and_the_trace() =>
        service.WalkAuditedEndpoints(new Dictionary<string, Func<HttpClient, Guid, Task<AuditedCall>>>
        {
            ["SaveContact"] = (_, _) =>
            {
                var patient = Guid.NewGuid();
                return Task.FromResult(new AuditedCall(Put($"/api/notification/patients/{patient}/contact", new { email = $"{patient:N}@example.test" }), patient));
            },
            ["GetContact"] = async (_, clinicId) =>
            {
                var patient = await Contact(clinicId);
                return new(Get($"/api/notification/patients/{patient}/contact"), patient);
            },
            ["OptOut"] = async (_, clinicId) =>
            {
                var patient = await Contact(clinicId);
                return new(Put($"/api/notification/patients/{patient}/contact/opt-outs/email", null), patient);
            },
            ["OptIn"] = async (_, clinicId) =>
            {
                var patient = await Contact(clinicId);
                return new(new HttpRequestMessage(HttpMethod.Delete, $"/api/notification/patients/{patient}/contact/opt-outs/email"), patient);
            },
            ["SaveSupportContact"] = async (_, clinicId) =>
            {
                var patient = Guid.NewGuid();
                var consent = await Grant(clinicId, patient);
                return new(Put($"/api/notification/patients/{patient}/support-contacts/{Guid.NewGuid()}",
                    new { consentId = consent.ConsentId, recipientKind = "family", email = $"supporter-{patient:N}@example.test" }), patient);
            },
            ["ListSupportContacts"] = async (client, clinicId) =>
            {
                var patient = Guid.NewGuid();
                var consent = await Grant(clinicId, patient);
                (await client.PutAsJsonAsync($"/api/notification/patients/{patient}/support-contacts/{Guid.NewGuid()}",
                    new { consentId = consent.ConsentId, recipientKind = "family", email = $"supporter-{patient:N}@example.test" })).EnsureSuccessStatusCode();
                return new(Get($"/api/notification/patients/{patient}/support-contacts"), patient);
            },
            ["ListSupportContactDisclosures"] = (_, _) =>
            {
                var patient = Guid.NewGuid();
                return Task.FromResult(new AuditedCall(Get($"/api/notification/patients/{patient}/disclosures"), patient));
            },
            ["ConfirmSession"] = async (_, clinicId) =>
            {
                var patient = await Contact(clinicId);
                var session = await Scheduled(clinicId, patient, clinician: null);
                return new(Post($"/api/notification/patients/{patient}/sessions/{session}/confirmation", null), patient);
            },
            ["RequestTechnicalHelp"] = async (_, clinicId) =>
            {
                var patient = await Contact(clinicId);
                return new(Post($"/api/notification/patients/{patient}/technical-help", new { camera = "failed", microphone = "ok", connection = "ok" }), patient);
            },
            ["ListDeliveries"] = async (_, clinicId) =>
            {
                var patient = await Contact(clinicId);
                await Scheduled(clinicId, patient, clinician: null);
                await service.WaitForPatientDeliveries(clinicId, patient, d => d.Count > 0, "reminders planned");
                return new(Get($"/api/notification/deliveries?patientId={patient}"), patient);
            },
            ["ListPendingOutreach"] = async (client, clinicId) =>
            {
                var patient = await Contact(clinicId);
                var clinician = Guid.NewGuid();
                await service.RegisterClinician(clinicId, clinician);
                await Scheduled(clinicId, patient, clinician);
                await service.Broker.Publish(new AttendanceWarning(Guid.CreateVersion7(), clinicId, patient, null, "minimumAttendance", 0.8m, 0.75m,
                    DateTimeOffset.UtcNow));
                await Eventually.Until(
                    async () => (await client.GetFromJsonAsync<List<DeliveryView>>($"/api/notification/clinicians/{clinician}/pending-outreach"))!,
                    p => p.Any(d => d.PatientId == patient), "outreach about the patient pending");
                return new(Get($"/api/notification/clinicians/{clinician}/pending-outreach"), patient);
            },
            ["IssuePatientLink"] = (_, _) =>
            {
                var patient = Guid.NewGuid();
                return Task.FromResult(new AuditedCall(new HttpRequestMessage(HttpMethod.Post, $"/api/notification/patients/{patient}/links"), patient));
            },
            ["RevokePatientLinks"] = async (_, clinicId) =>
            {
                var patient = Guid.NewGuid();
                await service.PersonalLinks.Mint(clinicId, patient, default);
                return new(new HttpRequestMessage(HttpMethod.Post, $"/api/notification/patients/{patient}/links/revocation"), patient);
            },
            ["RedeemPatientLink"] = async (_, clinicId) =>
            {
                // The gateway redeems with a token of its own; the row names the link's clinic and patient, and the gateway.
                var patient = Guid.NewGuid();
                var token = await service.PersonalLinks.Mint(clinicId, patient, default);
                return new(new HttpRequestMessage(HttpMethod.Post, Apis.PatientLinksApi.RedemptionPath) { Content = JsonContent.Create(new { token }) },
                    patient, service.GatewayClient(), NotificationService.GatewayClientId);
            }
        });

    async Task<Guid> Contact(Guid clinicId)
    {
        var patient = Guid.NewGuid();
        await service.RegisterContact(clinicId, patient);
        return patient;
    }

    async Task<Guid> Scheduled(Guid clinicId, Guid patient, Guid? clinician)
    {
        var startsAt = DateTimeOffset.UtcNow.AddDays(1);
        var session = new SessionScheduled(Guid.CreateVersion7(), clinicId, Guid.NewGuid(), "groupTherapy", startsAt, startsAt.AddHours(1), "UTC", [patient],
            ClinicianId: clinician);
        await service.Broker.Publish(session);
        await service.Consumed.WaitFor(session.EventId, times: 1);
        return session.SessionId;
    }

    async Task<ConsentGranted> Grant(Guid clinicId, Guid patient)
    {
        var granted = new ConsentGranted(Guid.CreateVersion7(), clinicId, Guid.NewGuid(), patient, "attendanceOnly", "family",
            DateTimeOffset.UtcNow.AddDays(90), DateTimeOffset.UtcNow.AddDays(-1));
        await service.Broker.Publish(granted);
        await service.Consumed.WaitFor(granted.EventId, times: 1);
        return granted;
    }

    static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);

    static HttpRequestMessage Post(string path, object? body) => new(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };

    static HttpRequestMessage Put(string path, object? body) => new(HttpMethod.Put, path) { Content = body is null ? null : JsonContent.Create(body) };

    static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
