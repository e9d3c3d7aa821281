using System.Net;
using System.Net.Http.Json;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.TestSupport;

namespace VirtualIop.Engagement.IntegrationTests;

[Collection(EngagementCollection.Name)]
public sealed class ScoreTests(EngagementService engagement, RabbitMqBroker rabbitMq) : EngagementTests(engagement, rabbitMq)
{
    async Task<ScoreView> WaitForScore(Guid clinic, Guid patient, Func<ScoreView, bool> done, string what) =>
        (await Eventually.Until(async () =>
        {
            var response = await service.ClientFor(clinic).GetAsync($"/api/engagement/patients/{patient}/score");
            return response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<ScoreView>())! : null;
        }, s => s is not null && done(s), what))!;

    [Fact]
    public async Task The_score_combines_attendance_makeups_and_homework_and_shows_its_parts()
    {
        var (clinic, patient, missedSession, makeup) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var client = service.ClientFor(clinic);
        await service.KnowSession(clinic, missedSession);
        (await client.PutAsJsonAsync($"/api/engagement/sessions/{missedSession}/content", new
        {
            keyPoints = new[] { "Refusal skills" },
            homework = new { title = "Practise saying no", instructions = "Role-play twice with a friend.", dueOn = "2026-12-20" }
        })).EnsureSuccessStatusCode();
        await service.Broker.Publish(Missed(clinic, patient, 5, missedSession));
        await service.Broker.Publish(new SessionAttended(Guid.CreateVersion7(), clinic, Guid.NewGuid(), patient, DateTimeOffset.UtcNow.AddDays(-3)));
        await service.Broker.Publish(new SessionAttended(Guid.CreateVersion7(), clinic, Guid.NewGuid(), patient, DateTimeOffset.UtcNow.AddDays(-1)));
        await service.Broker.Publish(new MakeupBooked(Guid.CreateVersion7(), clinic, makeup, missedSession, patient, "recording", null, null, "UTC"));

        // attendance 2/3, makeups 0.5 (booked), homework 0/1: 0.6 * 2/3 + 0.2 * 0.5 + 0.2 * 0 = 0.5
        var booked = await WaitForScore(clinic, patient, s => s.Facts.Attended == 2 && s.Facts.MakeupsBooked == 1 && s.Facts.HomeworkSet == 1, "score with a booked makeup");
        Assert.Equal(50, booked.Score);
        Assert.Equal([("attendance", 0.6m), ("makeups", 0.2m), ("homework", 0.2m)], booked.Parts.Select(p => (p.Name, p.Weight)));
        Assert.Equal((0.5m, 0m), (booked.Parts[1].Value, booked.Parts[2].Value));
        Assert.Contains("Attended 2 of 3", booked.Parts[0].Explanation);

        var package = (await service.ContinuityOf(clinic, patient)).Packages.Single();
        (await client.PostAsJsonAsync($"/api/engagement/patients/{patient}/continuity/{package.Id}/items/homework", new { state = "done" })).EnsureSuccessStatusCode();
        await service.Broker.Publish(new MakeupCompleted(Guid.CreateVersion7(), clinic, makeup, missedSession, patient, "recording", DateTimeOffset.UtcNow));

        var completed = await WaitForScore(clinic, patient, s => s.Facts.MakeupsCompleted == 1, "score with the makeup completed");
        Assert.Equal(80, completed.Score); // 0.6 * 2/3 + 0.2 * 1 + 0.2 * 1
        Assert.Contains(("test-client", "engagement.score"), await service.ReadsOf(clinic, patient));
    }

    [Fact]
    public async Task A_patient_of_another_clinic_or_one_never_heard_of_has_no_score()
    {
        var clinic = Guid.NewGuid();
        var patient = await KnownPatient(clinic);

        Assert.Equal(HttpStatusCode.NotFound, (await service.ClientFor(Guid.NewGuid()).GetAsync($"/api/engagement/patients/{patient}/score")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await service.ClientFor(clinic).GetAsync($"/api/engagement/patients/{Guid.NewGuid()}/score")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await service.AnonymousClient().GetAsync($"/api/engagement/patients/{patient}/score")).StatusCode);
    }

    sealed record ScoreView(Guid PatientId, int? Score, List<PartView> Parts, FactsView Facts);

    sealed record PartView(string Name, decimal? Value, decimal Weight, string Explanation);

    sealed record FactsView(int Attended, int Missed, int Excused, int MakeupsBooked, int MakeupsCompleted, int HomeworkSet, int HomeworkDone);
}
