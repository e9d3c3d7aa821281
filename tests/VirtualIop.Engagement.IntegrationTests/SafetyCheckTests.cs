using System.Net.Http.Json;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Engagement;
using VirtualIop.TestSupport;

namespace VirtualIop.Engagement.IntegrationTests;

/// <summary>Crisis escalation, Engagement's part: an emergency absence opens an urgent safety check for the patient's clinician.</summary>
[Collection(EngagementCollection.Name)]
public sealed class SafetyCheckTests(EngagementService engagement, RabbitMqBroker rabbitMq) : EngagementTests(engagement, rabbitMq)
{
    static AbsenceNotified Notice(Guid clinic, Guid patient, Guid session, string reason) =>
        new(Guid.CreateVersion7(), clinic, Guid.NewGuid(), session, patient, reason, true, DateTimeOffset.UtcNow.AddHours(2), "UTC", DateTimeOffset.UtcNow);

    [Fact]
    public async Task An_emergency_absence_opens_an_urgent_safety_check_for_the_patients_clinician_due_in_four_hours()
    {
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        var program = Guid.NewGuid();
        var clinician = Guid.NewGuid();
        var scheduled = Scheduled(clinic, program, Guid.NewGuid(), clinician, -0.1, patient);
        await service.Broker.Publish(scheduled);
        await service.Consumed.WaitFor(scheduled.EventId, times: 1);
        var notice = Notice(clinic, patient, scheduled.SessionId, "emergency");

        await service.Broker.Publish(notice);
        await service.Broker.Publish(notice);

        var opened = Assert.Single(await service.Broker.WaitFor<SafetyCheckOpened>(e => e.PatientId == patient, 1));
        Assert.Equal((scheduled.SessionId, clinician, program, "emergencyAbsence"), (opened.SessionId, opened.ClinicianId, opened.ProgramId, opened.Trigger));
        Assert.Equal(TimeSpan.FromHours(4), opened.DueBy - opened.OpenedAt);
        var tasks = await service.ClientFor(clinic).GetFromJsonAsync<List<TaskView>>($"/api/engagement/follow-ups?patientId={patient}&kind=safetyCheck");
        var task = Assert.Single(tasks!);
        Assert.Equal((opened.TaskId, "crisis", "urgent", "open", scheduled.SessionId), (task.Id, task.Reason, task.Priority, task.Status, task.SessionId));
        Assert.Equal(TimeSpan.FromHours(4), task.DueBy - task.CreatedAt);
        var created = Assert.Single(await service.Broker.WaitFor<FollowUpTaskCreated>(e => e.TaskId == task.Id, 1));
        Assert.Equal(("safetyCheck", "crisis"), (created.Kind, created.Reason));
        await service.Consumed.WaitFor(notice.EventId, times: 6); // three consumers, each twice
        Assert.Single(service.Broker.Received<SafetyCheckOpened>(e => e.PatientId == patient));
    }

    [Fact]
    public async Task An_absence_for_another_reason_opens_no_safety_check()
    {
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        var illness = Notice(clinic, patient, Guid.NewGuid(), "illness");
        var emergency = Notice(clinic, patient, Guid.NewGuid(), "emergency");

        await service.Broker.Publish(illness);
        await service.Consumed.WaitFor(illness.EventId, times: 1);
        await service.Broker.Publish(emergency);

        var opened = Assert.Single(await service.Broker.WaitFor<SafetyCheckOpened>(e => e.PatientId == patient, 1));
        Assert.Equal(emergency.SessionId, opened.SessionId);
    }

    [Fact]
    public async Task Starting_the_safety_check_acknowledges_it()
    {
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        await service.Broker.Publish(Notice(clinic, patient, Guid.NewGuid(), "emergency"));
        var opened = Assert.Single(await service.Broker.WaitFor<SafetyCheckOpened>(e => e.PatientId == patient, 1));

        var started = await service.ClientFor(clinic).PostAsJsonAsync($"/api/engagement/follow-ups/{opened.TaskId}/status", new { status = "inProgress" });

        started.EnsureSuccessStatusCode();
        var acknowledged = Assert.Single(await service.Broker.WaitFor<SafetyCheckAcknowledged>(e => e.TaskId == opened.TaskId, 1));
        Assert.Equal((patient, "inProgress"), (acknowledged.PatientId, acknowledged.Status));
    }

    [Fact]
    public async Task A_note_a_clinician_flags_as_a_crisis_opens_an_urgent_safety_check_and_a_plain_note_does_not()
    {
        var clinic = Guid.NewGuid();
        var patient = await KnownPatient(clinic);
        var outreach = Assert.Single(await service.FollowUpsOf(clinic, patient));
        var client = service.ClientFor(clinic);

        (await client.PostAsJsonAsync($"/api/engagement/follow-ups/{outreach.Id}/notes", new { text = "Left a voicemail." })).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync($"/api/engagement/follow-ups/{outreach.Id}/notes", new { text = "Called back in distress.", crisis = true }))
            .EnsureSuccessStatusCode();

        var opened = Assert.Single(await service.Broker.WaitFor<SafetyCheckOpened>(e => e.PatientId == patient, 1));
        Assert.Equal(("crisisNote", (Guid?)outreach.SessionId), (opened.Trigger, opened.SessionId));
        var tasks = await client.GetFromJsonAsync<List<TaskView>>($"/api/engagement/follow-ups?patientId={patient}&kind=safetyCheck");
        Assert.Equal((opened.TaskId, "urgent"), (Assert.Single(tasks!).Id, tasks![0].Priority));
        var notes = await client.GetFromJsonAsync<List<NoteView>>($"/api/engagement/follow-ups/{outreach.Id}/notes");
        Assert.Equal([false, true], notes!.Select(n => n.Crisis));
    }

    [Fact]
    public async Task Two_silent_no_shows_in_a_row_for_a_patient_already_at_high_risk_open_a_safety_check_about_the_latest()
    {
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        var misses = new[] { 10.0, 8, 6, 4 }.Select(daysAgo => Missed(clinic, patient, daysAgo)).ToList();
        foreach (var missed in misses.Take(3))
        {
            await service.Broker.Publish(missed);
            await service.Consumed.WaitFor(missed.EventId, times: 3);
        }
        Assert.Equal("high", (await service.RiskOf(clinic, patient))!.Level);

        await service.Broker.Publish(misses[3]);

        var opened = Assert.Single(await service.Broker.WaitFor<SafetyCheckOpened>(e => e.PatientId == patient, 1));
        Assert.Equal(("silentNoShowsAtHighRisk", (Guid?)misses[3].SessionId), (opened.Trigger, opened.SessionId));
    }

    sealed record NoteView(string Text, bool Crisis);

    sealed record TaskView(Guid Id, Guid? SessionId, string Reason, string Priority, string Status, DateTimeOffset CreatedAt, DateTimeOffset DueBy);
}
