using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.Scheduling.IntegrationTests;

[Collection(SchedulingCollection.Name)]
public sealed class SessionCancellationMakeupTests(SchedulingService scheduling) : IClassFixture<SchedulingService>
{
    static Task<HttpResponseMessage> Cancel(HttpClient clinic, Guid sessionId) =>
        clinic.PostAsJsonAsync($"/api/scheduling/sessions/{sessionId}/cancel", new { reason = "clinicianUnavailable" });

    static (string?, string?, Guid?, int?) State(JsonElement makeup) => (makeup.GetProperty("status").GetString(),
        makeup.GetProperty("kind").ValueKind == JsonValueKind.Null ? null : makeup.GetProperty("kind").GetString(),
        makeup.GetProperty("sessionId").ValueKind == JsonValueKind.Null ? null : makeup.GetProperty("sessionId").GetGuid(),
        makeup.GetProperty("waitlistPosition").ValueKind == JsonValueKind.Null ? null : makeup.GetProperty("waitlistPosition").GetInt32());

    [Fact]
    public async Task Cancelling_a_booked_one_on_one_makeup_session_reopens_the_makeup_and_the_patient_can_book_again()
    {
        var scenario = await MakeupScenario.Start(scheduling);
        await scenario.SetAvailability(scenario.Facilitator, "09:00", "22:00");
        var makeup = await scenario.Miss(scenario.Sessions[0], scenario.Patients[0]);
        var slot = (await (await scenario.Clinic.GetAsync($"/api/scheduling/makeups/{makeup.Id()}/slots")).Json())[0];
        var booked = await scenario.Clinic.PostAsJsonAsync($"/api/scheduling/makeups/{makeup.Id()}/book",
            new { clinicianId = slot.GetProperty("clinicianId").GetGuid(), startsAt = slot.GetProperty("startsAt").GetDateTimeOffset() }).Created();
        var makeupSession = booked.GetProperty("sessionId").GetGuid();

        Assert.Equal(HttpStatusCode.OK, (await Cancel(scenario.Clinic, makeupSession)).StatusCode);

        var reopened = await scenario.Makeup(makeup.Id());
        Assert.Equal(("offered", (string?)null, (Guid?)null, (int?)null), State(reopened));
        Assert.Equal(makeup.GetProperty("expiresAt").GetDateTimeOffset(), reopened.GetProperty("expiresAt").GetDateTimeOffset());
        var offers = await scheduling.Broker.WaitFor<MakeupOffered>(e => e.MakeupId == makeup.Id(), 2);
        Assert.Equal((makeup.GetProperty("missedSessionId").GetGuid(), scenario.Patients[0], reopened.GetProperty("expiresAt").GetDateTimeOffset()),
            (offers[1].MissedSessionId, offers[1].PatientId, offers[1].ExpiresAt));
        Assert.Equal(offers[0].OfferedKinds, offers[1].OfferedKinds);
        await scheduling.Broker.WaitFor<SessionCancelled>(e => e.SessionId == makeupSession, 1);

        // The cancelled session no longer holds the clinician's hour: the same slot can be booked again.
        var again = await scenario.Clinic.PostAsJsonAsync($"/api/scheduling/makeups/{makeup.Id()}/book",
            new { clinicianId = slot.GetProperty("clinicianId").GetGuid(), startsAt = slot.GetProperty("startsAt").GetDateTimeOffset() }).Created();
        Assert.NotEqual(makeupSession, again.GetProperty("sessionId").GetGuid());
    }

    [Fact]
    public async Task Cancelling_a_session_reopens_the_makeups_seated_or_waiting_in_it_and_its_waitlist_is_released()
    {
        var scenario = await MakeupScenario.Start(scheduling, patients: 3);
        var cohortB = await scenario.Clinic.CreateCohort(scenario.Program.Id(), capacity: 2);
        var seatHolder = Guid.NewGuid();
        await scenario.Clinic.Enrol(cohortB.Id(), seatHolder).Created();
        var target = (await MakeupScenario.AddDailySeries(scenario.Clinic, cohortB.Id(), 3))[1];
        var makeups = new List<JsonElement>();
        foreach (var patient in scenario.Patients) makeups.Add(await scenario.Miss(scenario.Sessions[0], patient));
        var answers = new List<HttpStatusCode>();
        foreach (var makeup in makeups)
            answers.Add((await scenario.Clinic.PostAsJsonAsync($"/api/scheduling/makeups/{makeup.Id()}/group-seat", new { sessionId = target.Id() })).StatusCode);
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Accepted, HttpStatusCode.Accepted], answers);

        Assert.Equal(HttpStatusCode.OK, (await Cancel(scenario.Clinic, target.Id())).StatusCode);

        foreach (var makeup in makeups) Assert.Equal(("offered", (string?)null, (Guid?)null, (int?)null), State(await scenario.Makeup(makeup.Id())));
        Assert.Equal(0, (await scheduling.MakeupRowsFor(scenario.ClinicId)).Waiting);
        foreach (var makeup in makeups) await scheduling.Broker.WaitFor<MakeupOffered>(e => e.MakeupId == makeup.Id(), 2);
        var options = (await (await scenario.Clinic.GetAsync($"/api/scheduling/makeups/{makeups[0].Id()}/group-sessions")).Json()).EnumerateArray();
        Assert.DoesNotContain(target.Id(), options.Select(o => o.GetProperty("sessionId").GetGuid()));

        // A seat freeing in the cancelled session promotes nobody: no one waits for it any more.
        Assert.Equal(HttpStatusCode.NoContent, (await scenario.Clinic.DeleteAsync($"/api/scheduling/cohorts/{cohortB.Id()}/enrolments/{seatHolder}")).StatusCode);
        await scheduling.Broker.WaitFor<SessionParticipantRemoved>(e => e.ClinicId == scenario.ClinicId && e.PatientId == seatHolder, 2);
        Assert.Empty(scheduling.Broker.Received<WaitlistPromoted>(e => e.ClinicId == scenario.ClinicId));
        Assert.Empty(scheduling.Broker.Received<MakeupBooked>(e => e.ClinicId == scenario.ClinicId && e.PatientId != scenario.Patients[0]));
    }

    [Fact]
    public async Task Seats_given_back_while_their_session_is_cancelled_end_offered_and_no_request_fails()
    {
        var scenario = await MakeupScenario.Start(scheduling, patients: 3);
        var cohortB = await scenario.Clinic.CreateCohort(scenario.Program.Id(), capacity: 2);
        var target = (await MakeupScenario.AddDailySeries(scenario.Clinic, cohortB.Id(), 3))[1];
        var makeups = new List<JsonElement>();
        foreach (var patient in scenario.Patients) makeups.Add(await scenario.Miss(scenario.Sessions[0], patient));
        foreach (var makeup in makeups)
            await scenario.Clinic.PostAsJsonAsync($"/api/scheduling/makeups/{makeup.Id()}/group-seat", new { sessionId = target.Id() });

        // Both paths lock the session before the makeups, so racing them serialises instead of deadlocking (a 5xx).
        var answers = await Task.WhenAll(makeups.Select(m => scenario.Clinic.DeleteAsync($"/api/scheduling/makeups/{m.Id()}/group-seat"))
            .Append(Cancel(scenario.Clinic, target.Id())));

        Assert.All(answers, a => Assert.True((int)a.StatusCode < 500, $"{a.RequestMessage?.Method} {a.RequestMessage?.RequestUri} answered {a.StatusCode}"));
        Assert.Equal(HttpStatusCode.OK, answers[^1].StatusCode);
        foreach (var makeup in makeups) Assert.Equal(("offered", (string?)null, (Guid?)null, (int?)null), State(await scenario.Makeup(makeup.Id())));
        Assert.Equal(0, (await scheduling.MakeupRowsFor(scenario.ClinicId)).Waiting);
    }

    [Fact]
    public async Task Ending_a_series_early_reopens_the_makeups_booked_into_its_cancelled_occurrences()
    {
        var scenario = await MakeupScenario.Start(scheduling);
        var cohortB = await scenario.Clinic.CreateCohort(scenario.Program.Id());
        var target = (await MakeupScenario.AddDailySeries(scenario.Clinic, cohortB.Id(), 3))[1];
        var makeup = await scenario.Miss(scenario.Sessions[0], scenario.Patients[0]);
        await scenario.Clinic.PostAsJsonAsync($"/api/scheduling/makeups/{makeup.Id()}/group-seat", new { sessionId = target.Id() }).Created();
        var seriesId = target.GetProperty("seriesId").GetGuid();

        var changed = await scenario.Clinic.PostAsJsonAsync($"/api/scheduling/cohorts/{cohortB.Id()}/series/{seriesId}/change-from", new
        {
            from = target.GetProperty("startsAt").GetDateTimeOffset().AddMinutes(-1),
            reason = "programChange",
            startsAtLocal = TimeZoneInfo.ConvertTime(target.GetProperty("startsAt").GetDateTimeOffset(), MakeupScenario.NewYork).AddHours(1)
                .ToString("yyyy-MM-dd'T'HH:mm")
        });

        Assert.Equal(HttpStatusCode.Created, changed.StatusCode);
        Assert.Equal(("offered", (string?)null, (Guid?)null, (int?)null), State(await scenario.Makeup(makeup.Id())));
        await scheduling.Broker.WaitFor<MakeupOffered>(e => e.MakeupId == makeup.Id(), 2);
    }

    [Fact]
    public async Task A_makeup_whose_offer_ran_out_while_it_held_a_seat_expires_when_that_session_is_cancelled()
    {
        var scenario = await MakeupScenario.Start(scheduling);
        var cohortB = await scenario.Clinic.CreateCohort(scenario.Program.Id());
        var target = (await MakeupScenario.AddDailySeries(scenario.Clinic, cohortB.Id(), 3))[1];
        var makeup = await scenario.Miss(scenario.Sessions[0], scenario.Patients[0]);
        await scenario.Clinic.PostAsJsonAsync($"/api/scheduling/makeups/{makeup.Id()}/group-seat", new { sessionId = target.Id() }).Created();
        await scheduling.SetMakeupExpiry(scenario.ClinicId, makeup.Id(), DateTimeOffset.UtcNow.AddMinutes(-1));

        Assert.Equal(HttpStatusCode.OK, (await Cancel(scenario.Clinic, target.Id())).StatusCode);

        var expired = await scenario.Makeup(makeup.Id());
        Assert.Equal(("expired", (string?)null, (Guid?)null, (int?)null), State(expired));
        var announced = Assert.Single(await scheduling.Broker.WaitFor<MakeupExpired>(e => e.MakeupId == makeup.Id(), 1));
        Assert.Equal(expired.GetProperty("expiredAt").GetDateTimeOffset(), announced.ExpiredAt);
        Assert.Single(scheduling.Broker.Received<MakeupOffered>(e => e.MakeupId == makeup.Id()));
    }
}
