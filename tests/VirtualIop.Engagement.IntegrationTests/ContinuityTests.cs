using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.TestSupport;

namespace VirtualIop.Engagement.IntegrationTests;

[Collection(EngagementCollection.Name)]
public sealed class ContinuityTests(EngagementService engagement, RabbitMqBroker rabbitMq) : EngagementTests(engagement, rabbitMq)
{
    static object FullContent => new
    {
        topicId = Guid.NewGuid(),
        keyPoints = new[] { "Urges peak and pass within about 20 minutes", "Name the urge, then delay" },
        homework = new { title = "Urge log", instructions = "Write down each urge, its trigger and what you did.", dueOn = "2026-12-10" },
        recordingUrl = "https://media.example.org/modules/urge-surfing",
        peerSupportUrl = "https://forum.example.org/groups/tuesday-evening"
    };

    async Task<HttpResponseMessage> RecordContent(Guid clinic, Guid session, object content)
    {
        await service.KnowSession(clinic, session);
        return await service.ClientFor(clinic).PutAsJsonAsync($"/api/engagement/sessions/{session}/content", content);
    }

    [Fact]
    public async Task A_patient_who_misses_a_recorded_session_is_assigned_its_summary_homework_and_resources()
    {
        var (clinic, patient, session) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        (await RecordContent(clinic, session, FullContent)).EnsureSuccessStatusCode();

        await service.Broker.Publish(Missed(clinic, patient, 0.1, session, "America/New_York"));

        var view = await service.WaitForContinuity(clinic, patient, v => v.Packages.Count == 1, "a continuity package");
        Assert.True(view.CatchUpRequired);
        var package = Assert.Single(view.Packages);
        Assert.Equal((session, "sessionMissed", "assigned"), (package.SessionId, package.Cause, package.Status));
        Assert.Equal(["Urges peak and pass within about 20 minutes", "Name the urge, then delay"], package.Content!.KeyPoints);
        Assert.Equal(new HomeworkView("Urge log", "Write down each urge, its trigger and what you did.", new DateOnly(2026, 12, 10)), package.Content.Homework);
        Assert.Equal("https://forum.example.org/groups/tuesday-evening", package.Content.PeerSupportUrl);
        Assert.Equal(["homework", "peerSupport", "recording", "summary"], package.Items.Select(i => i.Kind).Order());

        var assigned = Assert.Single(await service.Broker.WaitFor<ContinuityAssigned>(e => e.ClinicId == clinic, 1));
        Assert.Equal((package.Id, patient, session), (assigned.PackageId, assigned.PatientId, assigned.SessionId));
    }

    [Fact]
    public async Task Content_recorded_after_the_miss_reaches_the_patient_as_soon_as_it_is_recorded()
    {
        var (clinic, patient, session) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await service.Broker.Publish(Missed(clinic, patient, 0.1, session, "America/New_York"));
        var waiting = await service.WaitForContinuity(clinic, patient, v => v.Packages.Count == 1, "a package awaiting content");
        Assert.Equal(("awaitingContent", null), (waiting.Packages[0].Status, waiting.Packages[0].Content));
        Assert.True(waiting.CatchUpRequired);
        Assert.Empty(service.Broker.Received<ContinuityAssigned>(e => e.ClinicId == clinic));

        (await RecordContent(clinic, session, new { keyPoints = new[] { "Sleep hygiene basics" } })).EnsureSuccessStatusCode();

        var package = Assert.Single((await service.ContinuityOf(clinic, patient)).Packages);
        Assert.Equal("assigned", package.Status);
        Assert.Equal(["Sleep hygiene basics"], package.Content!.KeyPoints);
        Assert.Equal("summary", Assert.Single(package.Items).Kind);
        Assert.Equal(package.Id, Assert.Single(await service.Broker.WaitFor<ContinuityAssigned>(e => e.ClinicId == clinic, 1)).PackageId);
    }

    [Fact]
    public async Task Finishing_every_item_addresses_the_missed_content_and_clears_catch_up()
    {
        var (clinic, patient, session) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        (await RecordContent(clinic, session, new
        {
            keyPoints = new[] { "Values clarification" },
            homework = new { title = "Values card sort", instructions = "Sort the cards into three piles.", dueOn = "2026-12-12" }
        })).EnsureSuccessStatusCode();
        await service.Broker.Publish(Missed(clinic, patient, 0.1, session, "America/New_York"));
        var package = (await service.WaitForContinuity(clinic, patient, v => v.Packages.Count == 1, "a package")).Packages[0];
        var client = service.ClientFor(clinic);
        var items = $"/api/engagement/patients/{patient}/continuity/{package.Id}/items";

        var opened = await (await client.PostAsJsonAsync($"{items}/summary", new { state = "opened" })).Content.ReadFromJsonAsync<PackageView>();
        Assert.NotNull(opened!.Items.Single(i => i.Kind == "summary").OpenedAt);
        (await client.PostAsJsonAsync($"{items}/summary", new { state = "done" })).EnsureSuccessStatusCode();
        Assert.True((await service.ContinuityOf(clinic, patient)).CatchUpRequired);

        var last = await (await client.PostAsJsonAsync($"{items}/homework", new { state = "done" })).Content.ReadFromJsonAsync<PackageView>();

        Assert.Equal(("addressed", "completed"), (last!.Status, last.AddressedHow));
        Assert.All(last.Items, i => Assert.NotNull(i.DoneAt));
        var view = await service.ContinuityOf(clinic, patient);
        Assert.False(view.CatchUpRequired);
        Assert.Empty((await service.ContinuityOf(clinic, patient, outstanding: true)).Packages);
    }

    [Fact]
    public async Task A_completed_makeup_clears_the_catch_up_flag()
    {
        var (clinic, patient, session) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await service.Broker.Publish(Missed(clinic, patient, 0.1, session, "America/New_York"));
        await service.WaitForContinuity(clinic, patient, v => v.CatchUpRequired, "catch-up required");

        await service.Broker.Publish(new MakeupCompleted(Guid.CreateVersion7(), clinic, Guid.NewGuid(), session, patient, "oneOnOne", DateTimeOffset.UtcNow));

        var view = await service.WaitForContinuity(clinic, patient, v => !v.CatchUpRequired, "catch-up cleared by the makeup");
        Assert.Equal(("addressed", "madeUp"), (view.Packages[0].Status, view.Packages[0].AddressedHow));
    }

    [Fact]
    public async Task A_clinician_waives_catch_up_only_with_a_reason()
    {
        var (clinic, patient, session) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await service.Broker.Publish(Missed(clinic, patient, 0.1, session, "America/New_York"));
        var package = (await service.WaitForContinuity(clinic, patient, v => v.Packages.Count == 1, "a package")).Packages[0];
        var client = service.ClientFor(clinic);
        var waiver = $"/api/engagement/patients/{patient}/continuity/{package.Id}/waiver";

        var refused = await client.PostAsJsonAsync(waiver, new { reason = "  " });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("reason", out _));
        Assert.True((await service.ContinuityOf(clinic, patient)).CatchUpRequired);

        var waived = await (await client.PostAsJsonAsync(waiver, new { reason = "Covered the same material in an individual session" }))
            .Content.ReadFromJsonAsync<PackageView>();
        Assert.Equal(("addressed", "waived", "Covered the same material in an individual session"), (waived!.Status, waived.AddressedHow, waived.WaiverReason));
        Assert.False((await service.ContinuityOf(clinic, patient)).CatchUpRequired);

        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync(waiver, new { reason = "again" })).StatusCode);
    }

    [Fact]
    public async Task A_notified_absence_and_the_miss_that_follows_give_one_package_however_often_they_arrive()
    {
        var (clinic, patient, session) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var now = DateTimeOffset.UtcNow;
        var notice = new AbsenceNotified(Guid.CreateVersion7(), clinic, Guid.NewGuid(), session, patient, "illness", true, now.AddHours(-2), "UTC", now.AddHours(-3));
        var missed = Missed(clinic, patient, 0.1, session, "America/New_York");

        await service.Broker.Publish(notice);
        await service.Broker.Publish(notice);
        await service.Consumed.WaitFor(notice.EventId, times: 4); // two consumers of AbsenceNotified, each twice
        await service.Broker.Publish(missed);
        await service.Broker.Publish(missed);
        await service.Consumed.WaitFor(missed.EventId, times: 6); // three consumers of SessionMissed, each twice
        (await RecordContent(clinic, session, new { keyPoints = new[] { "Communication skills" } })).EnsureSuccessStatusCode();

        var package = Assert.Single((await service.ContinuityOf(clinic, patient)).Packages);
        Assert.Equal(("absenceNotified", "assigned"), (package.Cause, package.Status));
        Assert.Equal(1, await service.Count("continuity_package", clinic));
        Assert.Single(await service.Broker.WaitFor<ContinuityAssigned>(e => e.ClinicId == clinic, 1));
    }

    [Theory]
    [InlineData("""{ "keyPoints": [] }""", "keyPoints")]
    [InlineData("""{ "keyPoints": ["ok", " "] }""", "keyPoints")]
    [InlineData("""{ "keyPoints": ["ok"], "homework": { "title": "Log", "instructions": "Do it" } }""", "homework.dueOn")]
    [InlineData("""{ "keyPoints": ["ok"], "homework": { "instructions": "Do it", "dueOn": "2026-12-01" } }""", "homework.title")]
    [InlineData("""{ "keyPoints": ["ok"], "recordingUrl": "not a link" }""", "recordingUrl")]
    [InlineData("""{ "keyPoints": ["ok"], "peerSupportUrl": "ftp://example.org/x" }""", "peerSupportUrl")]
    public async Task Content_that_makes_no_sense_is_rejected_naming_the_field_and_nothing_is_written(string body, string field)
    {
        var (clinic, session) = (Guid.NewGuid(), Guid.NewGuid());
        var client = service.ClientFor(clinic);
        await service.KnowSession(clinic, session);

        var response = await client.PutAsync($"/api/engagement/sessions/{session}/content",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(0, await service.Count("session_content", clinic));
    }

    [Fact]
    public async Task Another_clinic_sees_none_of_the_patients_content_and_cannot_report_on_it()
    {
        var (clinic, patient, session) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        (await RecordContent(clinic, session, new { keyPoints = new[] { "Grounding" } })).EnsureSuccessStatusCode();
        await service.Broker.Publish(Missed(clinic, patient, 0.1, session, "America/New_York"));
        var package = (await service.WaitForContinuity(clinic, patient, v => v.Packages.Count == 1, "a package")).Packages[0];
        var otherClinic = Guid.NewGuid();
        var other = service.ClientFor(otherClinic);

        Assert.Empty((await service.ContinuityOf(otherClinic, patient)).Packages);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/engagement/sessions/{session}/content")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await other.PostAsJsonAsync($"/api/engagement/patients/{patient}/continuity/{package.Id}/items/summary", new { state = "done" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await other.PostAsJsonAsync($"/api/engagement/patients/{patient}/continuity/{package.Id}/waiver", new { reason = "no" })).StatusCode);
        Assert.Null((await service.ContinuityOf(clinic, patient)).Packages[0].Items[0].OpenedAt);
        Assert.Equal(HttpStatusCode.Unauthorized, (await service.AnonymousClient().GetAsync($"/api/engagement/patients/{patient}/continuity")).StatusCode);
    }

    [Fact]
    public async Task Every_read_of_a_patients_data_is_audited_with_who_read_it()
    {
        var (clinic, patient) = (Guid.NewGuid(), Guid.NewGuid());
        await service.Broker.Publish(Missed(clinic, patient, 0.1, Guid.NewGuid(), "America/New_York"));
        var tasks = await service.WaitForFollowUps(clinic, patient, 1);
        await service.ClientFor(clinic).GetAsync($"/api/engagement/follow-ups/{tasks[0].Id}");
        await service.ContinuityOf(clinic, patient);

        var reads = await service.ReadsOf(clinic, patient);

        Assert.Contains(("test-client", "engagement.followUps"), reads);
        Assert.Equal([("test-client", "engagement.followUp"), ("test-client", "engagement.continuity")], reads.TakeLast(2));
    }
}
