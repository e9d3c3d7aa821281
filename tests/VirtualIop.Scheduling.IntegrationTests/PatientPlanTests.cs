using System.Net;
using VirtualIop.Contracts.Engagement;

namespace VirtualIop.Scheduling.IntegrationTests;

[Collection(SchedulingCollection.Name)]
public sealed class PatientPlanTests(SchedulingService scheduling) : IClassFixture<SchedulingService>
{
    [Fact]
    public async Task A_plan_adjusted_in_Engagement_shows_beside_the_patients_week_and_the_newest_adjustment_of_each_kind_wins()
    {
        var scenario = await MakeupScenario.Start(scheduling);
        var patient = scenario.Patients[0];
        var now = DateTimeOffset.UtcNow;
        PlanAdjusted Adjust(string change, int? perWeek, string? modality, DateTimeOffset at) =>
            new(Guid.NewGuid(), scenario.ClinicId, Guid.NewGuid(), patient, change, perWeek, modality, at);
        var newest = Adjust("frequency", 4, null, now);
        var modality = Adjust("modality", null, "hybrid", now.AddMinutes(-5));
        var older = Adjust("frequency", 2, null, now.AddMinutes(-10));
        var nonsense = Adjust("frequency", 0, null, now.AddMinutes(1));

        foreach (var adjusted in new[] { newest, modality, older, nonsense, newest }) await scheduling.Broker.Publish(adjusted);
        await scheduling.Consumed.WaitFor(newest.EventId, 2);
        foreach (var adjusted in new[] { modality, older, nonsense }) await scheduling.Consumed.WaitFor(adjusted.EventId, 1);

        var plan = await (await scenario.Clinic.GetAsync($"/api/scheduling/patients/{patient}/plan")).Json();
        Assert.Equal((4, "hybrid", 3), (plan.GetProperty("sessionsPerWeek").GetInt32(), plan.GetProperty("modality").GetString(),
            plan.GetProperty("scheduledNextSevenDays").GetInt32()));
        Assert.Equal(now, plan.GetProperty("frequencyAdjustedAt").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        await (await scheduling.ClientFor(Guid.NewGuid()).GetAsync($"/api/scheduling/patients/{patient}/plan")).AssertProblem(HttpStatusCode.NotFound);
        await (await scenario.Clinic.GetAsync($"/api/scheduling/patients/{Guid.NewGuid()}/plan")).AssertProblem(HttpStatusCode.NotFound);
    }
}
