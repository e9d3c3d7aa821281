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

    [Fact]
    public async Task A_cohorts_sessions_page_by_cursor_in_start_order_and_each_read_names_a_bad_limit_or_cursor()
    {
        var clinic = scheduling.ClientFor(Guid.NewGuid());
        var program = await clinic.CreateProgram(("Triggers", "groupTherapy"));
        var cohort = await clinic.CreateCohort(program.Id());
        var firstLocal = Day.UtcDateTime.Date.AddHours(18).ToString("yyyy-MM-dd'T'HH:mm");
        await clinic.PostAsJsonAsync($"/api/scheduling/cohorts/{cohort.Id()}/series",
            new { rrule = "FREQ=DAILY;COUNT=5", startsAtLocal = firstLocal, durationMinutes = 90 }).Created();
        var to = Uri.EscapeDataString(Day.AddDays(10).ToString("O"));
        var all = (await (await clinic.GetAsync($"/api/scheduling/cohorts/{cohort.Id()}/sessions?to={to}")).Json()).EnumerateArray().Select(s => s.Id()).ToList();

        var seen = new List<Guid>();
        var pages = 0;
        string? next = $"/api/scheduling/cohorts/{cohort.Id()}/sessions?to={to}&limit=2";
        while (next is not null)
        {
            var response = await clinic.GetAsync(next);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            seen.AddRange((await response.Json()).EnumerateArray().Select(s => s.Id()));
            pages++;
            next = response.Headers.TryGetValues("Link", out var links) ? links.Single().Split('>')[0].TrimStart('<') : null;
            Assert.Equal(next is not null, response.Headers.Contains("X-Next-Cursor"));
        }

        Assert.Equal(5, all.Count);
        Assert.Equal(all, seen);
        Assert.Equal(3, pages);
        foreach (var path in new[] { $"/api/scheduling/cohorts/{cohort.Id()}/sessions", $"/api/scheduling/patients/{Guid.NewGuid()}/sessions",
                     $"/api/scheduling/clinicians/{Guid.NewGuid()}/sessions" })
        {
            await (await clinic.GetAsync($"{path}?limit=0")).AssertValidationProblem("limit");
            await (await clinic.GetAsync($"{path}?limit=501")).AssertValidationProblem("limit");
            await (await clinic.GetAsync($"{path}?limit=ten")).AssertValidationProblem("limit");
            await (await clinic.GetAsync($"{path}?cursor=bogus")).AssertValidationProblem("cursor");
        }
    }
}
