using System.Globalization;
using System.Net;
using System.Net.Http.Json;

namespace VirtualIop.Scheduling.IntegrationTests;

/// <summary>
/// A change-from and the horizon worker both lock a cohort and its series. Queued behind the same cohort lock, in the
/// order that used to deadlock (the change-from waiting for the cohort, the worker holding the series and waiting for
/// the cohort), both finish: the change is applied (201) and the worker raises nothing.
/// </summary>
[Collection(SchedulingCollection.Name)]
public sealed class SeriesLockOrderTests(SchedulingService scheduling) : IClassFixture<SchedulingService>
{
    static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    [Fact]
    public async Task A_change_from_racing_the_horizon_worker_on_one_cohort_completes_without_a_deadlock()
    {
        var clinicId = Guid.NewGuid();
        var clinic = scheduling.ClientFor(clinicId);
        var program = await clinic.CreateProgram(("Triggers", "groupTherapy"));
        var cohortId = (await clinic.CreateCohort(program.Id())).Id();
        await clinic.Enrol(cohortId, Guid.NewGuid()).Created();
        var today = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, NewYork).Date;
        var monday = today.AddDays(7 + ((int)DayOfWeek.Monday - (int)today.DayOfWeek + 7) % 7).AddHours(18);
        var seriesId = (await clinic.PostAsJsonAsync($"/api/scheduling/cohorts/{cohortId}/series", new
        {
            rrule = "FREQ=WEEKLY;BYDAY=MO", startsAtLocal = Local(monday), durationMinutes = 120
        }).Created()).Id();
        var from = new DateTimeOffset(monday.AddDays(14), NewYork.GetUtcOffset(monday.AddDays(14)));
        var waitingBefore = await scheduling.LockWaiters();

        var (holder, cohortLock) = await scheduling.HoldCohort(clinicId, cohortId);
        Task<HttpResponseMessage> change;
        Task<int> roll;
        await using (holder)
        {
            change = clinic.PostAsJsonAsync($"/api/scheduling/cohorts/{cohortId}/series/{seriesId}/change-from", new
            {
                from, startsAtLocal = Local(monday.AddDays(14).AddHours(1)), reason = "programChange"
            });
            await Until(async () => await scheduling.LockWaiters() > waitingBefore);
            // Past the test host's 400-day horizon, so this series is due for the worker.
            roll = scheduling.RollSeriesHorizon(DateTimeOffset.UtcNow.AddDays(30));
            await Until(async () => roll.IsCompleted || await scheduling.LockWaiters() > waitingBefore + 1);
            await cohortLock.CommitAsync();
        }

        var changed = await change;
        Assert.True(changed.StatusCode == HttpStatusCode.Created, $"expected 201, got {(int)changed.StatusCode}: {await changed.Content.ReadAsStringAsync()}");
        await roll;

        // Whatever order they ran in, the old series has nothing scheduled from 'from' on and the new one carries on.
        await scheduling.RollSeriesHorizon(DateTimeOffset.UtcNow.AddDays(30));
        var to = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(366).ToString("O"));
        var sessions = (await (await clinic.GetAsync($"/api/scheduling/cohorts/{cohortId}/sessions?to={to}&limit=500")).Json()).EnumerateArray().ToList();
        Assert.DoesNotContain(sessions, s => s.GetProperty("seriesId").GetGuid() == seriesId
                                             && s.GetProperty("status").GetString() == "scheduled" && s.GetProperty("startsAt").GetDateTimeOffset() >= from);
        Assert.Contains(sessions, s => s.GetProperty("seriesId").GetGuid() != seriesId);
    }

    static string Local(DateTime local) => local.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    /// <summary>Polls a condition the database reports; gives up (failing the test) after a generous bound, never asserting on time.</summary>
    static async Task Until(Func<Task<bool>> condition)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            if (await condition()) return;
            await Task.Delay(50);
        }
        Assert.Fail("The expected lock wait never happened.");
    }
}
