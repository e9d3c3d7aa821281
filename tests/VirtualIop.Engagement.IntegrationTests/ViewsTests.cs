using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VirtualIop.TestSupport;

namespace VirtualIop.Engagement.IntegrationTests;

[Collection(EngagementCollection.Name)]
public sealed class ViewsTests(EngagementService engagement, RabbitMqBroker rabbitMq) : EngagementTests(engagement, rabbitMq)
{
    /// <summary>
    /// A cohort of three with one clinician: one patient missed three sessions in a row (high risk, outreach, counselling
    /// and motivational interviewing), one missed once (an outreach), one attends.
    /// </summary>
    async Task<(Guid Clinic, Guid Cohort, Guid Clinician, Guid High, Guid Once, Guid Steady)> Cohort()
    {
        var (clinic, cohort, clinician) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var (high, once, steady) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var scheduled = Scheduled(clinic, Guid.NewGuid(), cohort, clinician, -1, high, once, steady);
        await service.Broker.Publish(scheduled);
        await service.Consumed.WaitFor(scheduled.EventId, times: 1);
        foreach (var days in new[] { 5.0, 3, 1 }) await service.Broker.Publish(Missed(clinic, high, days));
        await service.Broker.Publish(Missed(clinic, once, 1));
        await service.WaitForRisk(clinic, high, r => r.Level == "high", "high risk");
        await service.WaitForFollowUps(clinic, high, 5);
        await service.WaitForFollowUps(clinic, once, 1);
        return (clinic, cohort, clinician, high, once, steady);
    }

    [Fact]
    public async Task The_cohort_overview_shows_the_risk_distribution_catch_up_flags_and_open_follow_ups()
    {
        var (clinic, cohort, _, high, once, steady) = await Cohort();

        var overview = (await service.ClientFor(clinic).GetFromJsonAsync<OverviewView>($"/api/engagement/cohorts/{cohort}/overview"))!;

        Assert.Equal(3, overview.PatientCount);
        Assert.Equal((2, 0, 0, 1), (overview.RiskDistribution["none"], overview.RiskDistribution["low"], overview.RiskDistribution["moderate"], overview.RiskDistribution["high"]));
        Assert.Equal(2, overview.CatchUpRequiredCount);
        Assert.Equal(high, overview.Patients[0].PatientId);
        Assert.Equal(("high", true, 5), (overview.Patients[0].RiskLevel, overview.Patients[0].CatchUpRequired, overview.Patients[0].OpenFollowUps));
        Assert.False(overview.Patients.Single(p => p.PatientId == steady).CatchUpRequired);
        Assert.Equal(6, overview.OpenFollowUps.Count);
        Assert.Equal(new[] { high, once }.Order(), overview.OpenFollowUps.Select(t => t.PatientId).Distinct().Order());
        Assert.Contains(("test-client", "engagement.cohortOverview"), await service.ReadsOf(clinic, steady));
    }

    [Fact]
    public async Task The_clinicians_work_queue_puts_the_highest_risk_first_then_the_earliest_due_and_pages()
    {
        var (clinic, _, clinician, high, once, _) = await Cohort();
        var client = service.ClientFor(clinic);
        var elsewhere = await KnownPatient(clinic);
        var assignedToClinician = (await service.FollowUpsOf(clinic, elsewhere)).Single();
        (await client.PutAsJsonAsync($"/api/engagement/follow-ups/{assignedToClinician.Id}/assignee", new { assignee = clinician.ToString() })).EnsureSuccessStatusCode();
        var handedOver = (await service.FollowUpsOf(clinic, once)).Single();
        (await client.PutAsJsonAsync($"/api/engagement/follow-ups/{handedOver.Id}/assignee", new { assignee = "dr-okafor" })).EnsureSuccessStatusCode();

        var queue = (await client.GetFromJsonAsync<List<QueueItem>>($"/api/engagement/clinicians/{clinician}/work-queue"))!;

        Assert.Equal([.. Enumerable.Repeat(high, 5), elsewhere], queue.Select(i => i.Task.PatientId));
        Assert.Equal(["high", "high", "high", "high", "high", "none"], queue.Select(i => i.RiskLevel));
        var dues = queue.Take(5).Select(i => i.Task.DueBy).ToList();
        Assert.Equal(dues.Order(), dues);

        var first = await client.GetAsync($"/api/engagement/clinicians/{clinician}/work-queue?limit=4");
        var cursor = Assert.Single(first.Headers.GetValues("X-Next-Cursor"));
        Assert.Contains($"cursor={cursor}", first.Headers.GetValues("Link").Single());
        var second = await client.GetAsync($"/api/engagement/clinicians/{clinician}/work-queue?limit=4&cursor={cursor}");
        Assert.Equal(queue.Take(4).Select(i => i.Task.Id), (await first.Content.ReadFromJsonAsync<List<QueueItem>>())!.Select(i => i.Task.Id));
        Assert.Equal(queue.Skip(4).Select(i => i.Task.Id), (await second.Content.ReadFromJsonAsync<List<QueueItem>>())!.Select(i => i.Task.Id));
        Assert.False(second.Headers.Contains("X-Next-Cursor"));

        var byAssignee = (await client.GetFromJsonAsync<List<QueueItem>>("/api/engagement/work-queue?assignee=dr-okafor"))!;
        Assert.Equal(handedOver.Id, Assert.Single(byAssignee).Task.Id);
        Assert.Empty((await service.ClientFor(Guid.NewGuid()).GetFromJsonAsync<List<QueueItem>>($"/api/engagement/clinicians/{clinician}/work-queue"))!);
    }

    [Theory]
    [InlineData("clinicians/{0}/work-queue?limit=0", "limit")]
    [InlineData("clinicians/{0}/work-queue?limit=501", "limit")]
    [InlineData("clinicians/{0}/work-queue?limit=2147483647", "limit")]
    [InlineData("clinicians/{0}/work-queue?cursor=not-a-cursor", "cursor")]
    [InlineData("work-queue?assignee={1}", "assignee")]
    public async Task A_page_that_makes_no_sense_is_rejected_naming_the_field(string query, string field)
    {
        var url = "/api/engagement/" + string.Format(System.Globalization.CultureInfo.InvariantCulture, query, Guid.NewGuid(), new string('a', 201));
        var response = await service.ClientFor(Guid.NewGuid()).GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Another_clinic_does_not_find_the_cohort()
    {
        var (clinic, cohort, _, _, _, _) = await Cohort();

        Assert.Equal(HttpStatusCode.NotFound, (await service.ClientFor(Guid.NewGuid()).GetAsync($"/api/engagement/cohorts/{cohort}/overview")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await service.ClientFor(clinic).GetAsync($"/api/engagement/cohorts/{Guid.NewGuid()}/overview")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await service.AnonymousClient().GetAsync($"/api/engagement/cohorts/{cohort}/overview")).StatusCode);
    }

    sealed record OverviewView(Guid CohortId, int PatientCount, Dictionary<string, int> RiskDistribution, int CatchUpRequiredCount,
        List<CohortPatient> Patients, List<TaskView> OpenFollowUps);

    sealed record CohortPatient(Guid PatientId, string RiskLevel, bool CatchUpRequired, int OpenFollowUps);

    sealed record QueueItem(string RiskLevel, TaskView Task);

    sealed record TaskView(Guid Id, Guid PatientId, string Kind, string Status, string? Assignee, DateTimeOffset DueBy);
}
