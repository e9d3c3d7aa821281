using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.Scheduling.IntegrationTests;

[Collection(SchedulingCollection.Name)]
public sealed class SeriesChangeTests(SchedulingService scheduling) : IClassFixture<SchedulingService>
{
    static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    static string LocalText(DateTimeOffset instant, int hour) =>
        TimeZoneInfo.ConvertTime(instant, NewYork).Date.AddHours(hour).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    async Task<(HttpClient Clinic, Guid ClinicId, Guid CohortId, Guid SeriesId, List<JsonElement> Sessions)> WeeklySixMondays()
    {
        var clinicId = Guid.NewGuid();
        var clinic = scheduling.ClientFor(clinicId);
        var program = await clinic.CreateProgram(("Triggers", "groupTherapy"));
        var cohort = await clinic.CreateCohort(program.Id());
        await clinic.Enrol(cohort.Id(), Guid.NewGuid()).Created();
        var today = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, NewYork).Date;
        var monday = today.AddDays(7 + ((int)DayOfWeek.Monday - (int)today.DayOfWeek + 7) % 7).AddHours(18);
        var series = await clinic.PostAsJsonAsync($"/api/scheduling/cohorts/{cohort.Id()}/series", new
        {
            rrule = "FREQ=WEEKLY;BYDAY=MO;COUNT=6", startsAtLocal = monday.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture), durationMinutes = 120
        }).Created();
        return (clinic, clinicId, cohort.Id(), series.Id(), await Sessions(clinic, cohort.Id()));
    }

    static async Task<List<JsonElement>> Sessions(HttpClient clinic, Guid cohortId)
    {
        var to = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(90).ToString("O"));
        return (await (await clinic.GetAsync($"/api/scheduling/cohorts/{cohortId}/sessions?to={to}")).Json()).EnumerateArray().ToList();
    }

    [Fact]
    public async Task Editing_a_series_from_a_date_onward_keeps_earlier_occurrences_and_replaces_later_ones_announcing_both()
    {
        var (clinic, clinicId, cohortId, seriesId, before) = await WeeklySixMondays();
        var from = before[2].GetProperty("startsAt").GetDateTimeOffset();

        var changed = await clinic.PostAsJsonAsync($"/api/scheduling/cohorts/{cohortId}/series/{seriesId}/change-from", new
        {
            from, startsAtLocal = LocalText(from, 19), rrule = "FREQ=WEEKLY;BYDAY=MO;COUNT=3", reason = "programChange"
        }).Created();

        Assert.Equal((4, 3), (changed.GetProperty("occurrencesCancelled").GetInt32(), changed.GetProperty("series").GetProperty("occurrencesScheduled").GetInt32()));
        var newSeriesId = changed.GetProperty("series").Id();
        var after = await Sessions(clinic, cohortId);
        var kept = after.Where(s => s.GetProperty("seriesId").GetGuid() == seriesId).ToList();
        Assert.Equal(before.Take(2).Select(s => s.GetRawText()), kept.Take(2).Select(s => s.GetRawText()));
        Assert.All(kept.Skip(2), s => Assert.Equal(("cancelled", 1), (s.GetProperty("status").GetString(), s.GetProperty("sequence").GetInt32())));
        var replacing = after.Where(s => s.GetProperty("seriesId").GetGuid() == newSeriesId).ToList();
        Assert.Equal(3, replacing.Count);
        Assert.All(replacing, s => Assert.EndsWith("T19:00:00", s.GetProperty("startsAtLocal").GetString()));
        Assert.Equal(before[0].GetProperty("patientIds").GetRawText(), replacing[0].GetProperty("patientIds").GetRawText());

        var cancelled = await scheduling.Broker.WaitFor<SessionCancelled>(e => e.ClinicId == clinicId, 4);
        Assert.Equal(before.Skip(2).Select(s => s.Id()).Order(), cancelled.Select(e => e.SessionId).Order());
        Assert.All(cancelled, e => Assert.Equal("programChange", e.Reason));
        await scheduling.Broker.WaitFor<SessionScheduled>(e => e.ClinicId == clinicId && replacing.Any(r => r.Id() == e.SessionId), 3);

        // The horizon worker never brings the replaced occurrences back.
        await scheduling.RollSeriesHorizon(DateTimeOffset.UtcNow.AddDays(60));
        Assert.Equal(9, (await Sessions(clinic, cohortId)).Count);
    }

    [Fact]
    public async Task A_change_from_the_past_or_starting_before_its_date_is_refused_naming_the_field_and_nothing_changes()
    {
        var (clinic, clinicId, cohortId, seriesId, before) = await WeeklySixMondays();
        var from = before[2].GetProperty("startsAt").GetDateTimeOffset();
        var url = $"/api/scheduling/cohorts/{cohortId}/series/{seriesId}/change-from";

        await (await clinic.PostAsJsonAsync(url, new { from = DateTimeOffset.UtcNow.AddDays(-1), startsAtLocal = LocalText(from, 19), reason = "holiday" }))
            .AssertValidationProblem("from");
        await (await clinic.PostAsJsonAsync(url, new { from, startsAtLocal = LocalText(from, 17), reason = "holiday" }))
            .AssertValidationProblem("startsAtLocal");
        // Beyond the horizon (400 days in these tests) and past 2100: refused before any enumeration.
        var farAhead = DateTimeOffset.UtcNow.AddDays(401);
        await (await clinic.PostAsJsonAsync(url, new { from = farAhead, startsAtLocal = LocalText(farAhead, 19), reason = "holiday" }))
            .AssertValidationProblem("from");
        await (await clinic.PostAsJsonAsync(url, new { from = "9999-12-31T23:59:00Z", startsAtLocal = "9999-12-31T23:59", reason = "holiday" }))
            .AssertValidationProblem("from");
        await (await clinic.PostAsJsonAsync(url, new { from, startsAtLocal = LocalText(from, 19) })).AssertValidationProblem("reason");
        await (await clinic.PostAsJsonAsync(url, new { from, startsAtLocal = LocalText(from, 19), rrule = "FREQ=SOMETIMES", reason = "holiday" }))
            .AssertValidationProblem("rrule");
        await (await clinic.PostAsJsonAsync($"/api/scheduling/cohorts/{cohortId}/series/{Guid.NewGuid()}/change-from",
            new { from, startsAtLocal = LocalText(from, 19), reason = "holiday" })).AssertProblem(HttpStatusCode.NotFound);
        await (await scheduling.ClientFor(Guid.NewGuid()).PostAsJsonAsync(url, new { from, startsAtLocal = LocalText(from, 19), reason = "holiday" }))
            .AssertProblem(HttpStatusCode.NotFound);

        Assert.Equal(before.Select(s => s.GetRawText()), (await Sessions(clinic, cohortId)).Select(s => s.GetRawText()));
    }
}
