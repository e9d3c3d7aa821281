using System.Net.Http.Json;
using VirtualIop.TestSupport;

namespace VirtualIop.Engagement.IntegrationTests;

[Collection(EngagementCollection.Name)]
public sealed class PatientDataAuditTests(EngagementService engagement, RabbitMqBroker rabbitMq) : EngagementTests(engagement, rabbitMq)
{
    [Fact]
    public void Every_route_that_names_a_patient_is_marked_as_auditing_patient_data() =>
        Assert.Empty(PatientDataAudit.UnauditedPatientRoutes(service.Routes));

    [Fact]
    public Task Every_patient_data_endpoint_leaves_an_audit_row_with_the_patient_the_client_and_the_trace() =>
        service.WalkAuditedEndpoints(new Dictionary<string, Func<HttpClient, Guid, Task<AuditedCall>>>
        {
            ["GrantConsent"] = async (_, clinicId) =>
            {
                var patient = await KnownPatient(clinicId);
                return new(Post($"/api/engagement/patients/{patient}/consents", ConsentBody()), patient);
            },
            ["ListConsents"] = async (_, clinicId) => await OnPatient(clinicId, p => Get($"/api/engagement/patients/{p}/consents")),
            ["RevokeConsent"] = async (_, clinicId) =>
            {
                var patient = await KnownPatient(clinicId);
                var consent = await GrantConsent(clinicId, patient, "attendanceOnly");
                return new(Post($"/api/engagement/patients/{patient}/consents/{consent}/revocation", new { reason = "Patient asked in session." }), patient);
            },
            ["RecordDisclosure"] = async (_, clinicId) =>
            {
                var patient = await KnownPatient(clinicId);
                var consent = await GrantConsent(clinicId, patient, "attendanceOnly");
                return new(Post($"/api/engagement/patients/{patient}/disclosures", new { consentId = consent, description = "Attendance update" }), patient);
            },
            ["ListDisclosures"] = async (_, clinicId) => await OnPatient(clinicId, p => Get($"/api/engagement/patients/{p}/disclosures")),
            ["ListFamilyInvolvementDecisions"] = async (_, clinicId) => await OnPatient(clinicId, p => Get($"/api/engagement/patients/{p}/family-involvement")),
            ["GetPatientContinuity"] = async (_, clinicId) => await OnPatient(clinicId, p => Get($"/api/engagement/patients/{p}/continuity")),
            ["ReportContinuityItem"] = async (client, clinicId) =>
            {
                var (patient, package) = await Package(client, clinicId);
                return new(Post($"/api/engagement/patients/{patient}/continuity/{package}/items/summary", new { state = "done" }), patient);
            },
            ["WaiveCatchUp"] = async (client, clinicId) =>
            {
                var (patient, package) = await Package(client, clinicId);
                return new(Post($"/api/engagement/patients/{patient}/continuity/{package}/waiver", new { reason = "Covered in an individual session" }), patient);
            },
            ["ListFollowUps"] = async (_, clinicId) => await OnPatient(clinicId, p => Get($"/api/engagement/follow-ups?patientId={p}")),
            ["GetFollowUp"] = async (_, clinicId) =>
            {
                var patient = await KnownPatient(clinicId);
                var task = (await service.FollowUpsOf(clinicId, patient))[0];
                return new(Get($"/api/engagement/follow-ups/{task.Id}"), patient);
            },
            ["CreateFollowUp"] = async (_, clinicId) => await OnPatient(clinicId, p => Post("/api/engagement/follow-ups", new { patientId = p, kind = "treatmentPlanReview" })),
            ["AssignFollowUp"] = async (_, clinicId) => await OnTask(clinicId, t => Put($"/api/engagement/follow-ups/{t}/assignee", new { assignee = "dr-okafor" })),
            ["MoveFollowUp"] = async (_, clinicId) => await OnTask(clinicId, t => Post($"/api/engagement/follow-ups/{t}/status", new { status = "inProgress" })),
            ["AddFollowUpNote"] = async (_, clinicId) => await OnTask(clinicId, t => Post($"/api/engagement/follow-ups/{t}/notes", new { text = "Called, no answer." })),
            ["ListFollowUpNotes"] = async (_, clinicId) => await OnTask(clinicId, t => Get($"/api/engagement/follow-ups/{t}/notes")),
            ["GetPatientRisk"] = async (_, clinicId) =>
            {
                var patient = await KnownPatient(clinicId);
                await service.WaitForRisk(clinicId, patient, _ => true, "risk evaluated");
                return new(Get($"/api/engagement/patients/{patient}/risk"), patient);
            },
            ["GetEngagementScore"] = async (client, clinicId) =>
            {
                var patient = await KnownPatient(clinicId);
                await Eventually.Until(() => client.GetAsync($"/api/engagement/patients/{patient}/score"), r => r.IsSuccessStatusCode, "a score");
                return new(Get($"/api/engagement/patients/{patient}/score"), patient);
            },
            ["GetTreatmentPlanLog"] = async (_, clinicId) => await OnPatient(clinicId, p => Get($"/api/engagement/patients/{p}/treatment-plan")),
            ["AdjustTreatmentPlan"] = async (_, clinicId) => await OnPatient(clinicId, p => Post($"/api/engagement/patients/{p}/treatment-plan/adjustments",
                new { change = "frequency", sessionsPerWeek = 3, rationale = "Evenings clash with shift work." })),
            ["GetCohortOverview"] = async (_, clinicId) =>
            {
                var (cohort, _, patient) = await Rostered(clinicId);
                return new(Get($"/api/engagement/cohorts/{cohort}/overview"), patient);
            },
            ["GetClinicianWorkQueue"] = async (_, clinicId) =>
            {
                var (_, clinician, patient) = await Rostered(clinicId);
                return new(Get($"/api/engagement/clinicians/{clinician}/work-queue"), patient);
            },
            ["GetWorkQueue"] = async (_, clinicId) => await OnPatient(clinicId, _ => Get("/api/engagement/work-queue"))
        });

    async Task<AuditedCall> OnPatient(Guid clinicId, Func<Guid, HttpRequestMessage> call)
    {
        var patient = await KnownPatient(clinicId);
        return new(call(patient), patient);
    }

    /// <summary>The outreach task a missed session opened for a known patient.</summary>
    async Task<AuditedCall> OnTask(Guid clinicId, Func<Guid, HttpRequestMessage> call)
    {
        var patient = await KnownPatient(clinicId);
        return new(call((await service.FollowUpsOf(clinicId, patient))[0].Id), patient);
    }

    /// <summary>A patient's missed content, assigned because the session's content was recorded before the miss.</summary>
    async Task<(Guid Patient, Guid Package)> Package(HttpClient client, Guid clinicId)
    {
        var (patient, session) = (Guid.NewGuid(), Guid.NewGuid());
        await service.KnowSession(clinicId, session);
        (await client.PutAsJsonAsync($"/api/engagement/sessions/{session}/content", new { keyPoints = new[] { "Grounding" } })).EnsureSuccessStatusCode();
        await service.Broker.Publish(Missed(clinicId, patient, 0.1, session));
        return (patient, (await service.WaitForContinuity(clinicId, patient, v => v.Packages.Count == 1, "a package")).Packages[0].Id);
    }

    /// <summary>A patient on a cohort's and a clinician's roster who missed a session, so their outreach is open.</summary>
    async Task<(Guid Cohort, Guid Clinician, Guid Patient)> Rostered(Guid clinicId)
    {
        var (cohort, clinician, patient) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var scheduled = Scheduled(clinicId, Guid.NewGuid(), cohort, clinician, -1, patient);
        await service.Broker.Publish(scheduled);
        await service.Consumed.WaitFor(scheduled.EventId, times: 1);
        await service.Broker.Publish(Missed(clinicId, patient, 1));
        await service.WaitForFollowUps(clinicId, patient, 1);
        return (cohort, clinician, patient);
    }

    static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);

    static HttpRequestMessage Post(string path, object body) => new(HttpMethod.Post, path) { Content = JsonContent.Create(body) };

    static HttpRequestMessage Put(string path, object body) => new(HttpMethod.Put, path) { Content = JsonContent.Create(body) };
}
