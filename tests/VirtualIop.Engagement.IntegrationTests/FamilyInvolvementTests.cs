using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VirtualIop.TestSupport;

namespace VirtualIop.Engagement.IntegrationTests;

[Collection(EngagementCollection.Name)]
public sealed class FamilyInvolvementTests(EngagementService engagement, RabbitMqBroker rabbitMq) : EngagementTests(engagement, rabbitMq)
{
    Task<List<DecisionView>> DecisionsOf(Guid clinic, Guid patient) =>
        service.ClientFor(clinic).GetFromJsonAsync<List<DecisionView>>($"/api/engagement/patients/{patient}/family-involvement")!;

    Task<List<DecisionView>> WaitForDecisions(Guid clinic, Guid patient, int count) =>
        Eventually.Until(() => DecisionsOf(clinic, patient), d => d.Count >= count, $"{count} family-involvement decision(s)");

    async Task<List<TaskView>> TasksOf(Guid clinic, Guid patient) =>
        (await service.ClientFor(clinic).GetFromJsonAsync<List<TaskView>>($"/api/engagement/follow-ups?patientId={patient}"))!;

    /// <summary>Three unexcused absences in a row put down to low motivation: high risk, with repeated low motivation.</summary>
    async Task LowMotivationRun(Guid clinic, Guid patient, params double[] daysAgo)
    {
        foreach (var days in daysAgo) await service.Broker.Publish(Notice(clinic, patient, days, "lowMotivation", excused: false));
    }

    [Fact]
    public async Task High_risk_with_repeated_low_motivation_and_no_consent_opens_no_family_task_and_records_why()
    {
        var (clinic, patient) = (Guid.NewGuid(), Guid.NewGuid());

        await LowMotivationRun(clinic, patient, 5, 3, 1);

        await service.WaitForRisk(clinic, patient, r => r.Level == "high", "high risk");
        var decision = Assert.Single(await WaitForDecisions(clinic, patient, 1));
        Assert.Equal(("pattern", "withheld", null, null), (decision.Trigger, decision.Outcome, decision.ConsentId, decision.TaskId));
        Assert.Contains("No consent", decision.Reason);
        Assert.Contains("low motivation", decision.Reason);
        var tasks = await TasksOf(clinic, patient);
        Assert.DoesNotContain(tasks, t => t.Kind == "familyInvolvement");
        Assert.Contains(tasks, t => t.Kind == "motivationalInterviewing");
        Assert.Contains(("test-client", "engagement.familyInvolvement"), await service.ReadsOf(clinic, patient));
    }

    [Fact]
    public async Task With_a_valid_consent_the_pattern_opens_a_family_task_and_revoking_the_consent_cancels_it()
    {
        var (clinic, patient) = (Guid.NewGuid(), Guid.NewGuid());
        await LowMotivationRun(clinic, patient, 5);
        await service.WaitForRisk(clinic, patient, _ => true, "the first absence evaluated");
        var consent = await GrantConsent(clinic, patient, "attendanceAndEngagement");

        await LowMotivationRun(clinic, patient, 3, 1);

        var opened = Assert.Single(await WaitForDecisions(clinic, patient, 1));
        Assert.Equal(("pattern", "taskOpened", (Guid?)consent), (opened.Trigger, opened.Outcome, opened.ConsentId));
        var task = Assert.Single(await TasksOf(clinic, patient), t => t.Kind == "familyInvolvement");
        Assert.Equal((opened.TaskId, "open", (Guid?)consent, "engagementRisk"), ((Guid?)task.Id, task.Status, task.ConsentId, task.Reason));

        (await service.ClientFor(clinic).PostAsJsonAsync($"/api/engagement/patients/{patient}/consents/{consent}/revocation",
            new { reason = "Patient asked in session." })).EnsureSuccessStatusCode();

        var cancelled = Assert.Single(await TasksOf(clinic, patient), t => t.Kind == "familyInvolvement");
        Assert.Equal("cancelled", cancelled.Status);
        Assert.Contains("revoked", cancelled.OutcomeNote);
        var last = (await DecisionsOf(clinic, patient)).Last();
        Assert.Equal(("consentRevoked", "taskCancelled", (Guid?)task.Id), (last.Trigger, last.Outcome, last.TaskId));
    }

    [Fact]
    public async Task A_clinician_asking_for_family_involvement_under_an_attendance_only_consent_is_refused_and_the_refusal_is_recorded()
    {
        var clinic = Guid.NewGuid();
        var patient = await KnownPatient(clinic);
        await GrantConsent(clinic, patient, "attendanceOnly");
        var client = service.ClientFor(clinic);

        var refused = await client.PostAsJsonAsync("/api/engagement/follow-ups", new { patientId = patient, kind = "familyInvolvement" });

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("No valid consent", problem.GetProperty("title").GetString());
        Assert.Contains("attendance only", problem.GetProperty("detail").GetString());
        Assert.DoesNotContain(await TasksOf(clinic, patient), t => t.Kind == "familyInvolvement");
        var decision = Assert.Single(await DecisionsOf(clinic, patient));
        Assert.Equal(("clinician", "withheld", "test-client"), (decision.Trigger, decision.Outcome, decision.DecidedBy));

        var consent = await GrantConsent(clinic, patient, "treatmentParticipation");
        var created = await client.PostAsJsonAsync("/api/engagement/follow-ups", new { patientId = patient, kind = "familyInvolvement", assignee = "dr-okafor" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var task = (await created.Content.ReadFromJsonAsync<TaskView>())!;
        Assert.Equal(("familyInvolvement", (Guid?)consent, "clinician"), (task.Kind, task.ConsentId, task.Reason));
        Assert.Equal("taskOpened", (await DecisionsOf(clinic, patient)).Last().Outcome);
    }

    [Fact]
    public async Task A_family_task_ends_when_its_consent_expires_and_the_log_says_why()
    {
        var clinic = Guid.NewGuid();
        var patient = await KnownPatient(clinic);
        var consent = await GrantConsent(clinic, patient, "treatmentParticipation");
        var client = service.ClientFor(clinic);
        var created = await client.PostAsJsonAsync("/api/engagement/follow-ups", new { patientId = patient, kind = "familyInvolvement" });
        var task = (await created.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<TaskView>())!;

        await service.CancelFamilyTasksOfExpiredConsents(DateTimeOffset.UtcNow);
        Assert.Equal("open", Assert.Single(await TasksOf(clinic, patient), t => t.Id == task.Id).Status);

        // ConsentBody's consent runs 90 days: a pass after that ends the task, and a second pass changes nothing.
        await service.CancelFamilyTasksOfExpiredConsents(DateTimeOffset.UtcNow.AddDays(91));
        await service.CancelFamilyTasksOfExpiredConsents(DateTimeOffset.UtcNow.AddDays(92));

        var ended = Assert.Single(await TasksOf(clinic, patient), t => t.Id == task.Id);
        Assert.Equal("cancelled", ended.Status);
        Assert.Contains("expired", ended.OutcomeNote);
        var expiries = (await DecisionsOf(clinic, patient)).Where(d => d.Trigger == "consentExpired").ToList();
        var expiry = Assert.Single(expiries);
        Assert.Equal(("taskCancelled", (Guid?)consent, (Guid?)task.Id), (expiry.Outcome, expiry.ConsentId, expiry.TaskId));
    }

    [Fact]
    public async Task Another_clinic_can_neither_open_a_family_task_for_the_patient_nor_read_the_decisions()
    {
        var clinic = Guid.NewGuid();
        var patient = await KnownPatient(clinic);
        await GrantConsent(clinic, patient, "treatmentParticipation");
        var otherClinic = Guid.NewGuid();

        var response = await service.ClientFor(otherClinic).PostAsJsonAsync("/api/engagement/follow-ups", new { patientId = patient, kind = "familyInvolvement" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, await service.Count("follow_up_task", otherClinic));
        Assert.Equal(0, await service.Count("family_involvement_decision", otherClinic));
        Assert.Empty(await DecisionsOf(otherClinic, patient));
    }

    sealed record DecisionView(Guid Id, string Trigger, string Outcome, string Reason, Guid? ConsentId, Guid? TaskId, string DecidedBy);

    sealed record TaskView(Guid Id, string Kind, string Reason, string Status, Guid? ConsentId, string? OutcomeNote);
}
