using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VirtualIop.Contracts.Engagement;
using VirtualIop.TestSupport;

namespace VirtualIop.Engagement.IntegrationTests;

[Collection(EngagementCollection.Name)]
public sealed class FollowUpLifecycleTests(EngagementService engagement, RabbitMqBroker rabbitMq) : EngagementTests(engagement, rabbitMq)
{
    [Fact]
    public async Task A_clinician_opens_assigns_works_and_closes_a_task_with_an_outcome_note()
    {
        var clinic = Guid.NewGuid();
        var patient = await KnownPatient(clinic);
        var client = service.ClientFor(clinic);

        var created = await client.PostAsJsonAsync("/api/engagement/follow-ups",
            new { patientId = patient, kind = "treatmentPlanReview", note = "Evenings clash with a new job." });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var task = (await created.Content.ReadFromJsonAsync<TaskView>())!;
        Assert.Equal(("treatmentPlanReview", "clinician", "open", (string?)null), (task.Kind, task.Reason, task.Status, task.Assignee));
        var announced = Assert.Single(await service.Broker.WaitFor<FollowUpTaskCreated>(e => e.TaskId == task.Id, 1));
        Assert.Equal("treatmentPlanReview", announced.Kind);
        Assert.Equal((null, Guid.Empty), (announced.AboutSessionId, announced.SessionId)); // about no session: null, and Empty for older consumers

        var assigned = await (await client.PutAsJsonAsync($"/api/engagement/follow-ups/{task.Id}/assignee", new { assignee = "dr-okafor" })).Content.ReadFromJsonAsync<TaskView>();
        Assert.Equal("dr-okafor", assigned!.Assignee);
        var started = await (await client.PostAsJsonAsync($"/api/engagement/follow-ups/{task.Id}/status", new { status = "inProgress" })).Content.ReadFromJsonAsync<TaskView>();
        Assert.Equal("inProgress", started!.Status);

        var noNote = await client.PostAsJsonAsync($"/api/engagement/follow-ups/{task.Id}/status", new { status = "done" });
        Assert.Equal(HttpStatusCode.BadRequest, noNote.StatusCode);
        Assert.True((await noNote.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("outcomeNote", out _));

        var done = await (await client.PostAsJsonAsync($"/api/engagement/follow-ups/{task.Id}/status",
            new { status = "done", outcomeNote = "Moved to the Saturday morning group." })).Content.ReadFromJsonAsync<TaskView>();
        Assert.Equal(("done", "Moved to the Saturday morning group."), (done!.Status, done.OutcomeNote));

        var reopened = await client.PostAsJsonAsync($"/api/engagement/follow-ups/{task.Id}/status", new { status = "open" });
        Assert.Equal(HttpStatusCode.Conflict, reopened.StatusCode);
        var notes = await client.GetFromJsonAsync<List<NoteView>>($"/api/engagement/follow-ups/{task.Id}/notes");
        Assert.Equal(["Evenings clash with a new job.", "Moved to the Saturday morning group."], notes!.Select(n => n.Text));
    }

    [Fact]
    public async Task A_second_active_task_of_the_same_kind_is_refused_pointing_at_the_first()
    {
        var clinic = Guid.NewGuid();
        var patient = await KnownPatient(clinic);
        var client = service.ClientFor(clinic);
        var first = await (await client.PostAsJsonAsync("/api/engagement/follow-ups", new { patientId = patient, kind = "individualCounselling" }))
            .Content.ReadFromJsonAsync<TaskView>();

        var second = await client.PostAsJsonAsync("/api/engagement/follow-ups", new { patientId = patient, kind = "individualCounselling" });

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal(first!.Id, (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("taskId").GetGuid());
    }

    [Fact]
    public async Task A_task_for_a_patient_this_clinic_does_not_know_is_not_found_and_nothing_is_written()
    {
        var clinic = Guid.NewGuid();
        var otherClinic = Guid.NewGuid();
        var othersPatient = await KnownPatient(otherClinic);

        var response = await service.ClientFor(clinic).PostAsJsonAsync("/api/engagement/follow-ups", new { patientId = othersPatient, kind = "individualCounselling" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, await service.Count("follow_up_task", clinic));
    }

    [Theory]
    [InlineData("""{ "kind": "individualCounselling" }""", "patientId")]
    [InlineData("""{ "patientId": "6f1c2f0e-2d4b-4c1e-9a55-6a3f7e1d2c3b", "kind": "hugs" }""", "kind")]
    [InlineData("""{ "patientId": "6f1c2f0e-2d4b-4c1e-9a55-6a3f7e1d2c3b", "kind": "individualCounselling", "dueBy": "2020-01-01T00:00:00Z" }""", "dueBy")]
    public async Task A_task_that_makes_no_sense_is_rejected_naming_the_field(string body, string field)
    {
        var clinic = Guid.NewGuid();
        var response = await service.ClientFor(clinic).PostAsync("/api/engagement/follow-ups", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(0, await service.Count("follow_up_task", clinic));
    }

    [Fact]
    public async Task Another_clinic_cannot_touch_a_task()
    {
        var clinic = Guid.NewGuid();
        var patient = await KnownPatient(clinic);
        var task = (await service.FollowUpsOf(clinic, patient))[0];
        var other = service.ClientFor(Guid.NewGuid());

        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync($"/api/engagement/follow-ups/{task.Id}/status", new { status = "cancelled", outcomeNote = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PutAsJsonAsync($"/api/engagement/follow-ups/{task.Id}/assignee", new { assignee = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync($"/api/engagement/follow-ups/{task.Id}/notes", new { text = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/engagement/follow-ups/{task.Id}/notes")).StatusCode);
        Assert.Equal("open", (await service.FollowUpsOf(clinic, patient))[0].Status);
    }

    [Fact]
    public async Task Patterns_open_the_follow_ups_they_call_for_once_however_often_they_fire()
    {
        var clinic = Guid.NewGuid();
        var patient = Guid.NewGuid();
        var third = Missed(clinic, patient, 1);
        await service.Broker.Publish(Missed(clinic, patient, 5));
        await service.Broker.Publish(Missed(clinic, patient, 3));
        await service.WaitForRisk(clinic, patient, r => r.Level == "moderate", "moderate risk");
        await service.Broker.Publish(third);
        await service.Broker.Publish(third);
        await service.WaitForRisk(clinic, patient, r => r.Level == "high", "high risk");
        await service.Consumed.WaitFor(third.EventId, times: 6);

        var tasks = (await service.ClientFor(clinic).GetFromJsonAsync<List<TaskView>>($"/api/engagement/follow-ups?patientId={patient}&status=open"))!;

        Assert.Equal(3, tasks.Count(t => t.Kind == "missedSessionOutreach"));
        Assert.Equal(["individualCounselling", "motivationalInterviewing"],
            tasks.Where(t => t.Reason == "engagementRisk").Select(t => t.Kind).Order());
        Assert.Equal(third.SessionId, tasks.Single(t => t.Kind == "motivationalInterviewing").SessionId);
    }

    [Fact]
    public async Task A_tasks_notes_are_listed_a_page_at_a_time_oldest_first_following_the_next_link()
    {
        var clinic = Guid.NewGuid();
        var patient = await KnownPatient(clinic);
        var client = service.ClientFor(clinic);
        var task = (await (await client.PostAsJsonAsync("/api/engagement/follow-ups",
            new { patientId = patient, kind = "treatmentPlanReview", note = "First note." })).Content.ReadFromJsonAsync<TaskView>())!;
        foreach (var text in new[] { "Second note.", "Third note." })
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/engagement/follow-ups/{task.Id}/notes", new { text })).StatusCode);

        var first = await client.GetAsync($"/api/engagement/follow-ups/{task.Id}/notes?limit=2");
        var next = first.Headers.GetValues("Link").Single().Split('>')[0].TrimStart('<');
        var second = await client.GetAsync(next);

        Assert.Equal(["First note.", "Second note."], (await first.Content.ReadFromJsonAsync<List<NoteView>>())!.Select(n => n.Text));
        Assert.Equal(["Third note."], (await second.Content.ReadFromJsonAsync<List<NoteView>>())!.Select(n => n.Text));
        Assert.False(second.Headers.Contains("Link"));
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/engagement/follow-ups/{task.Id}/notes?limit=0")).StatusCode);
    }

    sealed record TaskView(Guid Id, Guid PatientId, Guid? SessionId, string Kind, string Reason, string Status, string? Assignee, string? OutcomeNote);

    sealed record NoteView(string Author, string Text, DateTimeOffset WrittenAt);
}
