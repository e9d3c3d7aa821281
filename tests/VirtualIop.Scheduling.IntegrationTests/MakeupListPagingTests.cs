using System.Net;

namespace VirtualIop.Scheduling.IntegrationTests;

/// <summary>The makeup listings page like every other listing: ?limit= and a cursor in the rel="next" link.</summary>
[Collection(SchedulingCollection.Name)]
public sealed class MakeupListPagingTests(SchedulingService scheduling) : IClassFixture<SchedulingService>
{
    [Fact]
    public async Task A_patients_makeups_page_newest_first_and_the_pages_hold_every_makeup_once()
    {
        var scenario = await MakeupScenario.Start(scheduling);
        var patient = scenario.Patients[0];
        var offered = new List<Guid>();
        foreach (var session in scenario.Sessions) offered.Add((await scenario.Miss(session, patient)).Id());

        var (items, pages) = await scenario.Clinic.AllPages($"/api/scheduling/makeups?patientId={patient}&limit=2");

        Assert.Equal(2, pages);
        Assert.Equal(Enumerable.Reverse(offered), items.Select(m => m.Id()));
        await (await scenario.Clinic.GetAsync($"/api/scheduling/makeups?patientId={patient}&limit=0")).AssertValidationProblem("limit");
    }

    [Fact]
    public async Task Another_cohorts_sessions_for_a_makeup_page_by_start()
    {
        var scenario = await MakeupScenario.Start(scheduling);
        var cohortB = await scenario.Clinic.CreateCohort(scenario.Program.Id());
        var sessionsB = await MakeupScenario.AddDailySeries(scenario.Clinic, cohortB.Id(), 3);
        var makeup = await scenario.Miss(scenario.Sessions[0], scenario.Patients[0]);

        var (items, pages) = await scenario.Clinic.AllPages($"/api/scheduling/makeups/{makeup.Id()}/group-sessions?limit=1");

        Assert.Equal(3, pages);
        Assert.Equal(sessionsB.Select(s => s.Id()), items.Select(o => o.GetProperty("sessionId").GetGuid()));
        Assert.Equal(HttpStatusCode.BadRequest, (await scenario.Clinic.GetAsync($"/api/scheduling/makeups/{makeup.Id()}/group-sessions?cursor=x")).StatusCode);
    }
}
