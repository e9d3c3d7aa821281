using VirtualIop.TestSupport;

namespace VirtualIop.Engagement.IntegrationTests;

[Collection(EngagementCollection.Name)]
public sealed class IdempotentCreationTests(EngagementService engagement, RabbitMqBroker rabbitMq) : EngagementTests(engagement, rabbitMq)
{
    [Fact]
    public Task Every_creating_endpoint_creates_once_per_idempotency_key_and_replays_its_first_answer() =>
        service.WalkCreatingEndpoints(new Dictionary<string, Func<HttpClient, Guid, Task<CreatingCall>>>
        {
            ["CreateFollowUp"] = async (_, clinicId) => new("/api/engagement/follow-ups",
                new { patientId = await KnownPatient(clinicId), kind = "treatmentPlanReview" },
                "select count(*) from follow_up_task where clinic_id = @Clinic"),
            ["AdjustTreatmentPlan"] = async (_, clinicId) => new($"/api/engagement/patients/{await KnownPatient(clinicId)}/treatment-plan/adjustments",
                new { change = "frequency", sessionsPerWeek = 3, rationale = "Evenings clash with shift work." },
                "select count(*) from treatment_plan_entry where clinic_id = @Clinic"),
            ["GrantConsent"] = async (_, clinicId) => new($"/api/engagement/patients/{await KnownPatient(clinicId)}/consents", ConsentBody(),
                "select count(*) from consent where clinic_id = @Clinic"),
            ["RecordDisclosure"] = async (_, clinicId) =>
            {
                var patient = await KnownPatient(clinicId);
                var consent = await GrantConsent(clinicId, patient, "attendanceOnly");
                return new($"/api/engagement/patients/{patient}/disclosures", new { consentId = consent, description = "Attendance update" },
                    "select count(*) from disclosure where clinic_id = @Clinic");
            },
        });
}
