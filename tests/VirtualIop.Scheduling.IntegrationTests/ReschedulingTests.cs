using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.Scheduling.IntegrationTests;

[Collection(SchedulingCollection.Name)]
public sealed class ReschedulingTests(SchedulingService scheduling) : IClassFixture<SchedulingService>
{
    static readonly DateTimeOffset InThreeDays = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(3).AddHours(22);

    /// <summary>A cohort with two patients and a weekly series of three occurrences, starting next week.</summary>
    async Task<(HttpClient Clinic, Guid ClinicId, Guid CohortId, Guid[] Patients, List<JsonElement> Sessions)> WeeklySeries()
    {
        var clinicId = Guid.NewGuid();
        var clinic = scheduling.ClientFor(clinicId);
        var program = await clinic.CreateProgram(("Triggers", "groupTherapy"));
        var cohort = await clinic.CreateCohort(program.Id());
        var patients = new[] { Guid.NewGuid(), Guid.NewGuid() };
        foreach (var patient in patients) await clinic.Enrol(cohort.Id(), patient).Created();
        var firstLocal = DateTime.UtcNow.Date.AddDays(7).AddHours(18).ToString("yyyy-MM-dd'T'HH:mm");
        await clinic.PostAsJsonAsync($"/api/scheduling/cohorts/{cohort.Id()}/series",
            new { rrule = "FREQ=WEEKLY;COUNT=3", startsAtLocal = firstLocal, durationMinutes = 90 }).Created();
        return (clinic, clinicId, cohort.Id(), patients, await CohortSessions(clinic, cohort.Id()));
    }

    static async Task<List<JsonElement>> CohortSessions(HttpClient clinic, Guid cohortId)
    {
        var to = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(60).ToString("O"));
        return (await (await clinic.GetAsync($"/api/scheduling/cohorts/{cohortId}/sessions?to={to}")).Json()).EnumerateArray().ToList();
    }

    [Fact]
    public async Task Moving_one_occurrence_keeps_the_rest_of_the_series_and_its_participants_and_announces_the_move()
    {
        var (clinic, clinicId, cohortId, patients, sessions) = await WeeklySeries();
        var moved = sessions[1];
        var previous = moved.GetProperty("startsAt").GetDateTimeOffset();
        var newStart = previous.AddDays(1).AddHours(-2);

        var response = await clinic.PostAsJsonAsync($"/api/scheduling/sessions/{moved.Id()}/reschedule",
            new { startsAt = newStart, reason = "clinicianUnavailable" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Json();
        Assert.Equal(newStart, body.GetProperty("startsAt").GetDateTimeOffset());
        Assert.Equal(newStart.AddMinutes(90), body.GetProperty("endsAt").GetDateTimeOffset());
        Assert.Equal(1, body.GetProperty("sequence").GetInt32());
        Assert.Equal(patients, body.GetProperty("patientIds").EnumerateArray().Select(p => p.GetGuid()));

        var after = await CohortSessions(clinic, cohortId);
        Assert.Equal([sessions[0].GetProperty("startsAt").GetDateTimeOffset(), newStart, sessions[2].GetProperty("startsAt").GetDateTimeOffset()],
            after.Select(s => s.GetProperty("startsAt").GetDateTimeOffset()));
        Assert.Equal([0, 1, 0], after.Select(s => s.GetProperty("sequence").GetInt32()));

        var announced = Assert.Single(await scheduling.Broker.WaitFor<SessionRescheduled>(e => e.ClinicId == clinicId, 1));
        Assert.Equal((moved.Id(), previous, newStart, "clinicianUnavailable", "America/New_York"),
            (announced.SessionId, announced.PreviousStartsAt, announced.StartsAt, announced.Reason, announced.TimeZone));

        await scheduling.RollSeriesHorizon(DateTimeOffset.UtcNow.AddDays(30));
        Assert.Equal(3, (await CohortSessions(clinic, cohortId)).Count);
    }

    [Fact]
    public async Task A_cancelled_occurrence_stays_listed_as_cancelled_is_announced_and_cannot_be_changed_again()
    {
        var (clinic, clinicId, cohortId, _, sessions) = await WeeklySeries();
        var cancelled = sessions[0];

        var response = await clinic.PostAsJsonAsync($"/api/scheduling/sessions/{cancelled.Id()}/cancel", new { reason = "holiday" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("cancelled", (await response.Json()).GetProperty("status").GetString());
        Assert.Equal(["cancelled", "scheduled", "scheduled"], (await CohortSessions(clinic, cohortId)).Select(s => s.GetProperty("status").GetString()));
        var announced = Assert.Single(await scheduling.Broker.WaitFor<SessionCancelled>(e => e.ClinicId == clinicId, 1));
        Assert.Equal((cancelled.Id(), "holiday"), (announced.SessionId, announced.Reason));

        await (await clinic.PostAsJsonAsync($"/api/scheduling/sessions/{cancelled.Id()}/cancel", new { reason = "holiday" }))
            .AssertProblem(HttpStatusCode.Conflict);
        await (await clinic.PostAsJsonAsync($"/api/scheduling/sessions/{cancelled.Id()}/reschedule",
            new { startsAt = InThreeDays, reason = "other" })).AssertProblem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_one_off_session_can_be_moved_too()
    {
        var clinic = scheduling.ClientFor(Guid.NewGuid());
        var session = await clinic.PostAsJsonAsync("/api/scheduling/sessions", new
        {
            kind = "individualTherapy", startsAt = InThreeDays, durationMinutes = 50, timeZone = "Europe/Berlin", patientIds = new[] { Guid.NewGuid() }
        }).Created();

        var moved = await clinic.PostAsJsonAsync($"/api/scheduling/sessions/{session.Id()}/reschedule",
            new { startsAt = InThreeDays.AddHours(3), durationMinutes = 60, reason = "patientRequest" });

        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var read = await (await clinic.GetAsync($"/api/scheduling/sessions/{session.Id()}")).Json();
        Assert.Equal(InThreeDays.AddHours(3), read.GetProperty("startsAt").GetDateTimeOffset());
        Assert.Equal(InThreeDays.AddHours(4), read.GetProperty("endsAt").GetDateTimeOffset());
    }

    [Theory]
    [InlineData("""{"startsAt":"2020-01-01T10:00:00Z","reason":"holiday"}""", "startsAt")]
    [InlineData("""{"startsAt":"9999-12-31T23:59:00Z","durationMinutes":480,"reason":"holiday"}""", "startsAt")]
    [InlineData("""{"startsAt":"2031-01-01T10:00:00","reason":"holiday"}""", "startsAt")]
    [InlineData("""{"startsAt":"2031-01-01T10:00:00Z"}""", "reason")]
    [InlineData("""{"startsAt":"2031-01-01T10:00:00Z","reason":"felt low"}""", "reason")]
    [InlineData("""{"startsAt":"2031-01-01T10:00:00Z","durationMinutes":2,"reason":"holiday"}""", "durationMinutes")]
    public async Task A_bad_move_is_refused_with_400_naming_the_field_and_nothing_changes(string body, string field)
    {
        var (clinic, clinicId, cohortId, _, sessions) = await WeeklySeries();
        var (_, _, eventsBefore) = await scheduling.RowsFor(clinicId);

        var response = await clinic.PostAsync($"/api/scheduling/sessions/{sessions[0].Id()}/reschedule",
            new StringContent(body, Encoding.UTF8, "application/json"));

        await response.AssertValidationProblem(field);
        Assert.Equal(sessions.Select(s => s.GetRawText()), (await CohortSessions(clinic, cohortId)).Select(s => s.GetRawText()));
        Assert.Equal(eventsBefore, (await scheduling.RowsFor(clinicId)).Events);
    }

    [Fact]
    public async Task Another_clinic_gets_404_when_moving_or_cancelling_a_session_it_does_not_own()
    {
        var (clinic, _, cohortId, _, sessions) = await WeeklySeries();
        var clinicB = scheduling.ClientFor(Guid.NewGuid());

        await (await clinicB.PostAsJsonAsync($"/api/scheduling/sessions/{sessions[0].Id()}/cancel", new { reason = "holiday" }))
            .AssertProblem(HttpStatusCode.NotFound);
        await (await clinicB.PostAsJsonAsync($"/api/scheduling/sessions/{sessions[0].Id()}/reschedule",
            new { startsAt = InThreeDays, reason = "holiday" })).AssertProblem(HttpStatusCode.NotFound);
        Assert.All(await CohortSessions(clinic, cohortId), s => Assert.Equal("scheduled", s.GetProperty("status").GetString()));
    }
}
