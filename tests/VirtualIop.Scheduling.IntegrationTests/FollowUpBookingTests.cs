using VirtualIop.Contracts.Engagement;
using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.Scheduling.IntegrationTests;

[Collection(SchedulingCollection.Name)]
public sealed class FollowUpBookingTests(SchedulingService scheduling) : IClassFixture<SchedulingService>
{
    [Fact]
    public async Task A_motivational_interviewing_follow_up_is_booked_once_with_the_facilitator_in_their_next_free_slot()
    {
        var scenario = await MakeupScenario.Start(scheduling);
        await scenario.SetAvailability(scenario.Facilitator, "09:00", "22:00");
        await scenario.SetPreferredHours(scenario.Patients[0], "16:00", "20:00");
        var patient = scenario.Patients[0];
        var task = new FollowUpTaskCreated(Guid.NewGuid(), scenario.ClinicId, Guid.NewGuid(), patient, scenario.Sessions[0].Id(), "engagementRisk",
            DateTimeOffset.UtcNow, "motivationalInterviewing");
        var outreach = task with { EventId = Guid.NewGuid(), TaskId = Guid.NewGuid(), Kind = "missedSessionOutreach" };
        var expected = (await (await scenario.Clinic.GetAsync($"/api/scheduling/makeups/{(await scenario.Miss(scenario.Sessions[0], patient)).Id()}/slots")).Json())[0];

        await scheduling.Broker.Publish(outreach);
        await scheduling.Broker.Publish(task);
        await scheduling.Broker.Publish(task);
        await scheduling.Consumed.WaitFor(task.EventId, 2);
        await scheduling.Consumed.WaitFor(outreach.EventId, 1);

        var booked = Assert.Single(await scheduling.Broker.WaitFor<SessionScheduled>(e => e.ClinicId == scenario.ClinicId && e.Kind == "individualTherapy", 1));
        Assert.Equal(((Guid?)scenario.Facilitator, patient), (booked.ClinicianId, Assert.Single(booked.PatientIds)));
        Assert.Equal(expected.GetProperty("startsAt").GetDateTimeOffset(), booked.StartsAt);
        Assert.Equal(1, (await scheduling.MakeupRowsFor(scenario.ClinicId)).Bookings);
    }
}
