using System.Net;
using System.Net.Http.Json;

namespace VirtualIop.Scheduling.IntegrationTests;

[Collection(SchedulingCollection.Name)]
public sealed class ScheduleReadsTests(SchedulingService scheduling) : IClassFixture<SchedulingService>
{
    static readonly DateTimeOffset Day = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(4);

    [Fact]
    public async Task A_patients_schedule_shows_their_group_and_booked_sessions_and_a_clinicians_day_shows_theirs()
    {
        var clinic = scheduling.ClientFor(Guid.NewGuid());
        var patient = Guid.NewGuid();
        var facilitator = Guid.NewGuid();
        var program = await clinic.CreateProgram(("Triggers", "groupTherapy"));
        var cohort = await clinic.CreateCohort(program.Id(), facilitator: facilitator);
        await clinic.Enrol(cohort.Id(), patient).Created();
        var firstLocal = Day.UtcDateTime.Date.AddHours(18).ToString("yyyy-MM-dd'T'HH:mm");
        await clinic.PostAsJsonAsync($"/api/scheduling/cohorts/{cohort.Id()}/series",
            new { rrule = "FREQ=DAILY;COUNT=2", startsAtLocal = firstLocal, durationMinutes = 90 }).Created();
        var oneOnOne = await clinic.PostAsJsonAsync("/api/scheduling/bookings", new
        {
            clinicianId = facilitator, patientId = patient, startsAt = Day.AddHours(14), durationMinutes = 50, timeZone = "America/New_York"
        }).Created();
        await clinic.PostAsJsonAsync("/api/scheduling/bookings", new
        {
            clinicianId = facilitator, patientId = Guid.NewGuid(), startsAt = Day.AddHours(15), durationMinutes = 50, timeZone = "America/New_York"
        }).Created();

        var schedule = await (await clinic.GetAsync($"/api/scheduling/patients/{patient}/sessions?to={Uri.EscapeDataString(Day.AddDays(5).ToString("O"))}")).Json();
        Assert.Equal(["individualTherapy", "groupTherapy", "groupTherapy"], schedule.EnumerateArray().Select(s => s.GetProperty("kind").GetString()));
        Assert.Equal(oneOnOne.Id(), schedule[0].Id());

        var from = Uri.EscapeDataString(Day.ToString("O"));
        var to = Uri.EscapeDataString(Day.AddDays(1).ToString("O"));
        var day = await (await clinic.GetAsync($"/api/scheduling/clinicians/{facilitator}/sessions?from={from}&to={to}")).Json();
        Assert.Equal(3, day.GetArrayLength());
        Assert.All(day.EnumerateArray(), s => Assert.Equal(facilitator, s.GetProperty("clinicianId").GetGuid()));

        var otherClinic = scheduling.ClientFor(Guid.NewGuid());
        Assert.Equal(0, (await (await otherClinic.GetAsync($"/api/scheduling/patients/{patient}/sessions")).Json()).GetArrayLength());
    }

    [Fact]
    public async Task A_malformed_window_is_refused_naming_the_bound()
    {
        var response = await scheduling.ClientFor(Guid.NewGuid()).GetAsync($"/api/scheduling/clinicians/{Guid.NewGuid()}/sessions?from=today");

        await response.AssertValidationProblem("from");
        Assert.Equal(HttpStatusCode.Unauthorized, (await scheduling.AnonymousClient().GetAsync($"/api/scheduling/patients/{Guid.NewGuid()}/sessions")).StatusCode);
    }
}
