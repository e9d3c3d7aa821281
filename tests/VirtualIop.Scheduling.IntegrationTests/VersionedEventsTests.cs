using System.Net;
using System.Net.Http.Json;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.Scheduling.IntegrationTests;

/// <summary>
/// Every change to a session or a makeup increments its version, and each event carries the version after its change,
/// so a consumer that receives them in any order can keep the newest.
/// </summary>
[Collection(SchedulingCollection.Name)]
public sealed class VersionedEventsTests(SchedulingService scheduling) : IClassFixture<SchedulingService>
{
    [Fact]
    public async Task A_sessions_events_carry_versions_one_higher_per_change_ending_at_the_rows_version()
    {
        var scenario = await MakeupScenario.Start(scheduling);
        var clinic = scenario.Clinic;
        var session = scenario.Sessions[1];
        var newcomer = Guid.NewGuid();

        await clinic.Enrol(scenario.CohortId, newcomer).Created();
        Assert.Equal(HttpStatusCode.OK, (await clinic.PostAsJsonAsync($"/api/scheduling/sessions/{session.Id()}/reschedule",
            new { startsAt = session.GetProperty("startsAt").GetDateTimeOffset().AddHours(1), reason = "clinicianUnavailable" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await clinic.DeleteAsync($"/api/scheduling/cohorts/{scenario.CohortId}/enrolments/{newcomer}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await clinic.PostAsJsonAsync($"/api/scheduling/sessions/{session.Id()}/cancel", new { reason = "other" })).StatusCode);

        var scheduled = Assert.Single(await scheduling.Broker.WaitFor<SessionScheduled>(e => e.SessionId == session.Id(), 1));
        var added = Assert.Single(await scheduling.Broker.WaitFor<SessionParticipantAdded>(e => e.SessionId == session.Id(), 1));
        var rescheduled = Assert.Single(await scheduling.Broker.WaitFor<SessionRescheduled>(e => e.SessionId == session.Id(), 1));
        var removed = Assert.Single(await scheduling.Broker.WaitFor<SessionParticipantRemoved>(e => e.SessionId == session.Id(), 1));
        var cancelled = Assert.Single(await scheduling.Broker.WaitFor<SessionCancelled>(e => e.SessionId == session.Id(), 1));
        Assert.Equal([1L, 2, 3, 4, 5], new[] { scheduled.Version, added.Version, rescheduled.Version, removed.Version, cancelled.Version });
        Assert.Equal(5, await scheduling.SessionVersion(scenario.ClinicId, session.Id()));

        // The enrolment joined every future session of the cohort in one statement, the discharge left them in one: each
        // session moved on by one each time.
        var joined = await scheduling.Broker.WaitFor<SessionParticipantAdded>(e => e.ClinicId == scenario.ClinicId && e.PatientId == newcomer, 3);
        Assert.All(joined, e => Assert.Equal(2, e.Version));
        Assert.Equal(3, await scheduling.SessionVersion(scenario.ClinicId, scenario.Sessions[2].Id()));
    }

    [Fact]
    public async Task A_makeups_events_carry_versions_one_higher_per_change_ending_at_the_rows_version()
    {
        var scenario = await MakeupScenario.Start(scheduling);
        var clinic = scenario.Clinic;
        var patient = scenario.Patients[0];
        await scenario.SetAvailability(scenario.Facilitator, "09:00", "22:00");
        var cohortB = await clinic.CreateCohort(scenario.Program.Id(), capacity: 2);
        await clinic.Enrol(cohortB.Id(), Guid.NewGuid()).Created();
        var seat = (await MakeupScenario.AddDailySeries(clinic, cohortB.Id(), 3))[1];
        var makeup = await scenario.Miss(scenario.Sessions[0], patient);

        (await clinic.PostAsJsonAsync($"/api/scheduling/makeups/{makeup.Id()}/group-seat", new { sessionId = seat.Id() })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.OK, (await clinic.PostAsJsonAsync($"/api/scheduling/sessions/{seat.Id()}/cancel", new { reason = "other" })).StatusCode);
        var slot = (await (await clinic.GetAsync($"/api/scheduling/makeups/{makeup.Id()}/slots")).Json())[0];
        var booked = await clinic.PostAsJsonAsync($"/api/scheduling/makeups/{makeup.Id()}/book",
            new { clinicianId = slot.GetProperty("clinicianId").GetGuid(), startsAt = slot.GetProperty("startsAt").GetDateTimeOffset() }).Created();
        var oneOnOne = booked.GetProperty("sessionId").GetGuid();
        var attended = new SessionAttended(Guid.NewGuid(), scenario.ClinicId, oneOnOne, patient, DateTimeOffset.UtcNow);
        await scheduling.Broker.Publish(attended);

        var completed = Assert.Single(await scheduling.Broker.WaitFor<MakeupCompleted>(e => e.MakeupId == makeup.Id(), 1));
        var offers = await scheduling.Broker.WaitFor<MakeupOffered>(e => e.MakeupId == makeup.Id(), 2);
        var bookings = await scheduling.Broker.WaitFor<MakeupBooked>(e => e.MakeupId == makeup.Id(), 2);
        var seated = bookings.Single(e => e.Kind == "extraGroupSlot");
        var reopened = offers.Single(e => e.OfferedAt > seated.BookedAt);
        var first = offers.Single(e => e != reopened);
        var again = bookings.Single(e => e.Kind == "oneOnOne");
        Assert.Equal([1L, 2, 3, 4, 5], new[] { first.Version, seated.Version, reopened.Version, again.Version, completed.Version });
        Assert.Equal(5, await scheduling.MakeupVersion(scenario.ClinicId, makeup.Id()));

        // The seat session: scheduled (1), the makeup patient joined (2), cancelled (3); the one-on-one starts at 1.
        var seatAdded = Assert.Single(await scheduling.Broker.WaitFor<SessionParticipantAdded>(e => e.SessionId == seat.Id() && e.PatientId == patient, 1));
        var seatCancelled = Assert.Single(await scheduling.Broker.WaitFor<SessionCancelled>(e => e.SessionId == seat.Id(), 1));
        Assert.Equal((2L, 3L), (seatAdded.Version!.Value, seatCancelled.Version!.Value));
        Assert.Equal(1, Assert.Single(await scheduling.Broker.WaitFor<SessionScheduled>(e => e.SessionId == oneOnOne, 1)).Version);
    }

    [Fact]
    public async Task Patients_promoted_together_from_a_waitlist_each_move_the_session_on_by_one_and_share_it_with_their_participant_event()
    {
        var scenario = await MakeupScenario.Start(scheduling, patients: 2);
        var clinic = scenario.Clinic;
        var cohortB = await clinic.CreateCohort(scenario.Program.Id(), capacity: 1);
        await clinic.Enrol(cohortB.Id(), Guid.NewGuid()).Created();
        var target = (await MakeupScenario.AddDailySeries(clinic, cohortB.Id(), 3))[1];
        var makeups = new[] { await scenario.Miss(scenario.Sessions[0], scenario.Patients[0]), await scenario.Miss(scenario.Sessions[0], scenario.Patients[1]) };
        foreach (var makeup in makeups)
            Assert.Equal(HttpStatusCode.Accepted, (await clinic.PostAsJsonAsync($"/api/scheduling/makeups/{makeup.Id()}/group-seat",
                new { sessionId = target.Id() })).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await clinic.PutAsJsonAsync($"/api/scheduling/cohorts/{cohortB.Id()}/capacity", new { capacity = 3 })).StatusCode);

        var promoted = await scheduling.Broker.WaitFor<WaitlistPromoted>(e => e.SessionId == target.Id(), 2);
        var added = await scheduling.Broker.WaitFor<SessionParticipantAdded>(e => e.SessionId == target.Id(), 2);
        Assert.Equal([(scenario.Patients[0], 2L), (scenario.Patients[1], 3L)],
            promoted.OrderBy(e => e.Version).Select(e => (e.PatientId, e.Version!.Value)));
        Assert.Equal(promoted.Select(e => (e.PatientId, e.Version)).Order(), added.Select(e => (e.PatientId, e.Version)).Order());
        Assert.Equal(3, await scheduling.SessionVersion(scenario.ClinicId, target.Id()));

        // Each makeup: offered (1), waitlisted (2, announced by nothing), booked by the promotion (3).
        foreach (var makeup in makeups)
        {
            var booked = Assert.Single(await scheduling.Broker.WaitFor<MakeupBooked>(e => e.MakeupId == makeup.Id(), 1));
            Assert.Equal(3, booked.Version);
            Assert.Equal(3, await scheduling.MakeupVersion(scenario.ClinicId, makeup.Id()));
        }
    }
}
