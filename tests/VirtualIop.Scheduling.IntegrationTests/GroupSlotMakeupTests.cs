using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.Scheduling.IntegrationTests;

[Collection(SchedulingCollection.Name)]
public sealed class GroupSlotMakeupTests(SchedulingService scheduling) : IClassFixture<SchedulingService>
{
    /// <summary>Cohort A (three patients who all miss its first session) and cohort B of the same program, with one seat, taken.</summary>
    async Task<(MakeupScenario Scenario, Guid CohortB, Guid SeatHolder, JsonElement Target, JsonElement[] Makeups)> FullSessionElsewhere()
    {
        var scenario = await MakeupScenario.Start(scheduling, patients: 3);
        var cohortB = await scenario.Clinic.CreateCohort(scenario.Program.Id(), capacity: 1);
        var seatHolder = Guid.NewGuid();
        await scenario.Clinic.Enrol(cohortB.Id(), seatHolder).Created();
        var sessionsB = await MakeupScenario.AddDailySeries(scenario.Clinic, cohortB.Id(), 3);
        var makeups = new List<JsonElement>();
        foreach (var patient in scenario.Patients) makeups.Add(await scenario.Miss(scenario.Sessions[0], patient));
        return (scenario, cohortB.Id(), seatHolder, sessionsB[1], makeups.ToArray());
    }

    static async Task<Guid[]> Roster(HttpClient clinic, Guid sessionId) =>
        (await (await clinic.GetAsync($"/api/scheduling/sessions/{sessionId}")).Json()).GetProperty("patientIds").EnumerateArray().Select(p => p.GetGuid()).ToArray();

    [Fact]
    public async Task Patients_wait_in_order_for_a_full_session_and_are_promoted_first_come_first_served_as_seats_free()
    {
        var (scenario, cohortB, seatHolder, target, makeups) = await FullSessionElsewhere();
        var clinic = scenario.Clinic;

        var options = (await (await clinic.GetAsync($"/api/scheduling/makeups/{makeups[0].Id()}/group-sessions")).Json()).EnumerateArray().ToList();
        Assert.Equal(3, options.Count);
        Assert.All(options, o => Assert.Equal((cohortB, 1, 1), (o.GetProperty("cohortId").GetGuid(), o.GetProperty("capacity").GetInt32(), o.GetProperty("seatsTaken").GetInt32())));

        var positions = new List<int>();
        foreach (var makeup in makeups)
        {
            var answer = await clinic.PostAsJsonAsync($"/api/scheduling/makeups/{makeup.Id()}/group-seat", new { sessionId = target.Id() });
            Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
            var waiting = await answer.Json();
            Assert.Equal("waitlisted", waiting.GetProperty("status").GetString());
            positions.Add(waiting.GetProperty("waitlistPosition").GetInt32());
        }
        Assert.Equal([1, 2, 3], positions);

        // The seat holder is discharged: the first patient waiting takes the seat in the same transaction.
        Assert.Equal(HttpStatusCode.NoContent, (await clinic.DeleteAsync($"/api/scheduling/cohorts/{cohortB}/enrolments/{seatHolder}")).StatusCode);
        Assert.Equal([scenario.Patients[0]], await Roster(clinic, target.Id()));
        Assert.Equal(("booked", (int?)null), Status(await scenario.Makeup(makeups[0].Id())));
        Assert.Equal(("waitlisted", (int?)1), Status(await scenario.Makeup(makeups[1].Id())));
        var promoted = Assert.Single(await scheduling.Broker.WaitFor<WaitlistPromoted>(e => e.SessionId == target.Id(), 1));
        Assert.Equal((scenario.Patients[0], (Guid?)makeups[0].Id()), (promoted.PatientId, promoted.MakeupId));
        await scheduling.Broker.WaitFor<SessionParticipantAdded>(e => e.SessionId == target.Id() && e.PatientId == scenario.Patients[0], 1);

        // The promoted patient gives the seat back: the next in line gets it.
        Assert.Equal(HttpStatusCode.OK, (await clinic.DeleteAsync($"/api/scheduling/makeups/{makeups[0].Id()}/group-seat")).StatusCode);
        Assert.Equal([scenario.Patients[1]], await Roster(clinic, target.Id()));
        Assert.Equal(("offered", (int?)null), Status(await scenario.Makeup(makeups[0].Id())));

        // One more seat: the last in line.
        Assert.Equal(HttpStatusCode.OK, (await clinic.PutAsJsonAsync($"/api/scheduling/cohorts/{cohortB}/capacity", new { capacity = 2 })).StatusCode);
        Assert.Equal([scenario.Patients[1], scenario.Patients[2]], await Roster(clinic, target.Id()));

        // The relay publishes a batch concurrently, so events of transactions close together may arrive in any order.
        var order = await scheduling.Broker.WaitFor<WaitlistPromoted>(e => e.SessionId == target.Id(), 3);
        Assert.Equal(scenario.Patients, order.OrderBy(e => e.PromotedAt).Select(e => e.PatientId));
        var booked = await scheduling.Broker.WaitFor<MakeupBooked>(e => e.ClinicId == scenario.ClinicId && e.Kind == "extraGroupSlot", 3);
        Assert.Equal(scenario.Patients.Order(), booked.Select(e => e.PatientId).Order());
        Assert.Equal(0, (await scheduling.MakeupRowsFor(scenario.ClinicId)).Waiting);
    }

    [Fact]
    public async Task A_free_seat_is_taken_at_once_and_an_ineligible_session_is_refused_naming_it()
    {
        var (scenario, cohortB, _, target, makeups) = await FullSessionElsewhere();
        var clinic = scenario.Clinic;
        await clinic.PutAsJsonAsync($"/api/scheduling/cohorts/{cohortB}/capacity", new { capacity = 2 });

        var seated = await clinic.PostAsJsonAsync($"/api/scheduling/makeups/{makeups[0].Id()}/group-seat", new { sessionId = target.Id() });

        Assert.Equal(HttpStatusCode.Created, seated.StatusCode);
        var seat = await seated.Json();
        Assert.Equal(("booked", "extraGroupSlot"), (seat.GetProperty("status").GetString(), seat.GetProperty("kind").GetString()));
        Assert.Contains(scenario.Patients[0], await Roster(clinic, target.Id()));
        var booked = Assert.Single(await scheduling.Broker.WaitFor<MakeupBooked>(e => e.MakeupId == makeups[0].Id(), 1));
        Assert.Equal(((Guid?)target.Id(), target.GetProperty("startsAt").GetDateTimeOffset()), (booked.SessionId, booked.StartsAt!.Value));

        // The patient's own cohort's session is no makeup; a session the clinic does not have is not found.
        await (await clinic.PostAsJsonAsync($"/api/scheduling/makeups/{makeups[1].Id()}/group-seat", new { sessionId = scenario.Sessions[1].Id() }))
            .AssertValidationProblem("sessionId");
        await (await clinic.PostAsJsonAsync($"/api/scheduling/makeups/{makeups[1].Id()}/group-seat", new { sessionId = Guid.NewGuid() }))
            .AssertProblem(HttpStatusCode.NotFound);
        await (await clinic.PostAsJsonAsync($"/api/scheduling/makeups/{makeups[1].Id()}/group-seat", new { }))
            .AssertValidationProblem("sessionId");
        Assert.Equal("offered", (await scenario.Makeup(makeups[1].Id())).GetProperty("status").GetString());
        await (await scheduling.ClientFor(Guid.NewGuid()).PostAsJsonAsync($"/api/scheduling/makeups/{makeups[1].Id()}/group-seat",
            new { sessionId = target.Id() })).AssertProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_expired_waitlisted_makeup_leaves_the_waitlist_and_is_never_promoted()
    {
        var (scenario, cohortB, seatHolder, target, makeups) = await FullSessionElsewhere();
        await scenario.Clinic.PostAsJsonAsync($"/api/scheduling/makeups/{makeups[0].Id()}/group-seat", new { sessionId = target.Id() });
        await scenario.Clinic.PostAsJsonAsync($"/api/scheduling/makeups/{makeups[1].Id()}/group-seat", new { sessionId = target.Id() });

        await scheduling.ExpireMakeups(makeups[0].GetProperty("expiresAt").GetDateTimeOffset());
        // The second makeup shares the expiry, so it expired too: no one is waiting any more.
        Assert.Equal(0, (await scheduling.MakeupRowsFor(scenario.ClinicId)).Waiting);
        await scenario.Clinic.DeleteAsync($"/api/scheduling/cohorts/{cohortB}/enrolments/{seatHolder}");

        Assert.Empty(await Roster(scenario.Clinic, target.Id()));
        Assert.Equal("expired", (await scenario.Makeup(makeups[0].Id())).GetProperty("status").GetString());
    }

    static (string?, int?) Status(JsonElement makeup) => (makeup.GetProperty("status").GetString(),
        makeup.GetProperty("waitlistPosition").ValueKind == JsonValueKind.Null ? null : makeup.GetProperty("waitlistPosition").GetInt32());
}
