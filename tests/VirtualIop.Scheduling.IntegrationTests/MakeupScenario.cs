using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.Scheduling.IntegrationTests;

/// <summary>
/// A clinic with a program, a cohort with patients and a daily series starting tomorrow at 18:00 New York time: the
/// ground on which Attendance reports a miss and the patient makes the session up.
/// </summary>
sealed record MakeupScenario(
    SchedulingService Scheduling, HttpClient Clinic, Guid ClinicId, JsonElement Program, Guid CohortId, Guid Facilitator, Guid[] Patients,
    List<JsonElement> Sessions)
{
    public static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    public static async Task<MakeupScenario> Start(SchedulingService scheduling, int patients = 1, string topicKind = "groupTherapy",
        object? settings = null, int occurrences = 3, Guid? forClinic = null)
    {
        var clinicId = forClinic ?? Guid.NewGuid();
        var clinic = scheduling.ClientFor(clinicId);
        var program = await clinic.CreateProgram(("Triggers", topicKind));
        if (settings is not null)
            (await clinic.PutAsJsonAsync($"/api/scheduling/programs/{program.Id()}/makeup-settings", settings)).EnsureSuccessStatusCode();
        var facilitator = Guid.NewGuid();
        var cohort = await clinic.CreateCohort(program.Id(), facilitator: facilitator);
        var ids = Enumerable.Range(0, patients).Select(_ => Guid.NewGuid()).ToArray();
        foreach (var patient in ids) await clinic.Enrol(cohort.Id(), patient).Created();
        var sessions = await AddDailySeries(clinic, cohort.Id(), occurrences);
        return new MakeupScenario(scheduling, clinic, clinicId, program, cohort.Id(), facilitator, ids, sessions);
    }

    /// <summary>A daily series at 18:00 New York time from tomorrow, three hours long; returns the cohort's sessions.</summary>
    public static async Task<List<JsonElement>> AddDailySeries(HttpClient clinic, Guid cohortId, int occurrences)
    {
        var tomorrow = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, NewYork).Date.AddDays(1).AddHours(18);
        await clinic.PostAsJsonAsync($"/api/scheduling/cohorts/{cohortId}/series", new
        {
            rrule = $"FREQ=DAILY;COUNT={occurrences}",
            startsAtLocal = tomorrow.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture),
            durationMinutes = 180
        }).Created();
        var to = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(occurrences + 3).ToString("O"));
        return (await (await clinic.GetAsync($"/api/scheduling/cohorts/{cohortId}/sessions?to={to}")).Json()).EnumerateArray().ToList();
    }

    /// <summary>Attendance reports that <paramref name="patient"/> missed <paramref name="session"/>; waits until Scheduling offered a makeup.</summary>
    public async Task<JsonElement> Miss(JsonElement session, Guid patient)
    {
        var missed = new SessionMissed(Guid.NewGuid(), ClinicId, session.Id(), patient, session.GetProperty("startsAt").GetDateTimeOffset(),
            "America/New_York", DateTimeOffset.UtcNow);
        await Scheduling.Broker.Publish(missed);
        await Scheduling.Consumed.WaitFor(missed.EventId, 1);
        var offered = Assert.Single(await Scheduling.Broker.WaitFor<MakeupOffered>(e => e.MissedSessionId == missed.SessionId && e.PatientId == patient, 1));
        return await (await Clinic.GetAsync($"/api/scheduling/makeups/{offered.MakeupId}")).Json();
    }

    public Task<HttpResponseMessage> SetAvailability(Guid clinician, string from, string to) =>
        Clinic.PutAsJsonAsync($"/api/scheduling/clinicians/{clinician}/availability", new
        {
            timeZone = "America/New_York",
            weeklyHours = Enum.GetValues<DayOfWeek>().Select(d => new { day = JsonNamingPolicy.CamelCase.ConvertName(d.ToString()), from, to })
        });

    public Task<HttpResponseMessage> SetPreferredHours(Guid patient, string from, string to) =>
        Clinic.PutAsJsonAsync($"/api/scheduling/patients/{patient}/preferred-hours", new
        {
            timeZone = "America/New_York",
            weeklyHours = Enum.GetValues<DayOfWeek>().Select(d => new { day = JsonNamingPolicy.CamelCase.ConvertName(d.ToString()), from, to })
        });

    public async Task<JsonElement> Makeup(Guid id) => await (await Clinic.GetAsync($"/api/scheduling/makeups/{id}")).Json();
}
