using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace VirtualIop.TestSupport;

/// <summary>A patient the seed made: an id of the test's own and an email address no other test uses.</summary>
public sealed record SeededPatient(Guid Id, string Email);

/// <summary>One session of a seeded cohort.</summary>
public sealed record SeededSession(Guid Id, DateTimeOffset StartsAt);

/// <summary>A program with one cohort, its facilitator, its enrolled patients and its sessions, oldest first.</summary>
public sealed record SeededCohort(
    Guid ProgramId, Guid CohortId, Guid FacilitatorId, string TimeZone,
    IReadOnlyList<SeededPatient> Patients, IReadOnlyList<SeededSession> Sessions);

/// <summary>
/// Demo data for a clinic, made through the gateway with a partner's token (<see cref="PartnerClient.AuthenticateAs"/>)
/// exactly as a partner would make it: each step asserts the answer, so a seed that fails says which call refused.
/// </summary>
public static class ClinicSeed
{
    public const string DefaultTimeZone = "America/New_York";

    static readonly TimeSpan RosterTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A program, a cohort whose facilitator is available every day, <paramref name="patients"/> enrolled patients with
    /// email contacts, and a weekly series of <paramref name="weeks"/> sessions at 18:00 local time from
    /// <paramref name="firstDay"/>; returns once Attendance holds every session's roster.
    /// </summary>
    public static async Task<SeededCohort> SeedCohort(this HttpClient partner, int patients, int weeks, DateOnly firstDay,
        string timeZone = DefaultTimeZone)
    {
        var facilitator = Guid.NewGuid();
        var program = await partner.CreateProgram();
        var cohort = await partner.CreateCohortWithWorkingFacilitator(program, facilitator, timeZone);
        var seeded = new List<SeededPatient>();
        for (var i = 0; i < patients; i++)
        {
            var patient = await partner.AddPatient("seeded");
            await partner.Enrol(cohort, patient.Id);
            seeded.Add(patient);
        }

        var sessions = await partner.AddWeeklySeries(cohort, firstDay.ToDateTime(new TimeOnly(18, 0)), weeks);
        foreach (var session in sessions)
        {
            await partner.Eventually($"/api/attendance/sessions/{session.Id}",
                body => body.GetProperty("records").GetArrayLength() == patients, RosterTimeout);
        }

        return new SeededCohort(program, cohort, facilitator, timeZone, seeded, sessions);
    }

    /// <summary>A program (an IOP track) with a one-topic curriculum.</summary>
    public static async Task<Guid> CreateProgram(this HttpClient partner, string name = "Adult SUD IOP")
    {
        var program = await partner.PostAsJsonAsync("/api/scheduling/programs", new
        {
            name,
            topics = new[] { new { title = "Triggers", kind = "groupTherapy" } }
        });
        Assert.Equal(HttpStatusCode.Created, program.StatusCode);
        return (await program.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>A cohort of <paramref name="programId"/> led by <paramref name="facilitator"/>, who is available 07:00–21:00 every day.</summary>
    public static async Task<Guid> CreateCohortWithWorkingFacilitator(this HttpClient partner, Guid programId, Guid facilitator,
        string timeZone = DefaultTimeZone)
    {
        var everyDay = Enum.GetValues<DayOfWeek>().Select(day => new
        {
            day = JsonNamingPolicy.CamelCase.ConvertName(day.ToString()), from = "07:00", to = "21:00"
        });
        var availability = await partner.PutAsJsonAsync($"/api/scheduling/clinicians/{facilitator}/availability", new
        {
            timeZone, weeklyHours = everyDay, timeOff = Array.Empty<object>()
        });
        Assert.Equal(HttpStatusCode.OK, availability.StatusCode);

        var cohort = await partner.PostAsJsonAsync("/api/scheduling/cohorts", new
        {
            programId, name = "Evening A", facilitatorClinicianId = facilitator, capacity = 8, timeZone
        });
        Assert.Equal(HttpStatusCode.Created, cohort.StatusCode);
        return (await cohort.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>A new patient with an email contact of their own (<c>{label}-{id}@example.test</c>).</summary>
    public static async Task<SeededPatient> AddPatient(this HttpClient partner, string label)
    {
        var id = Guid.NewGuid();
        var patient = new SeededPatient(id, $"{label}-{id:N}@example.test");
        var contact = await partner.PutAsJsonAsync($"/api/notification/patients/{patient.Id}/contact", new { email = patient.Email });
        Assert.Equal(HttpStatusCode.OK, contact.StatusCode);
        return patient;
    }

    public static async Task Enrol(this HttpClient partner, Guid cohort, Guid patient)
    {
        var enrolment = await partner.PostAsJsonAsync($"/api/scheduling/cohorts/{cohort}/enrolments", new { patientId = patient });
        Assert.Equal(HttpStatusCode.Created, enrolment.StatusCode);
    }

    /// <summary>A weekly series of <paramref name="weeks"/> sessions from <paramref name="firstStartLocal"/> (the cohort's time zone); its sessions, oldest first.</summary>
    public static async Task<IReadOnlyList<SeededSession>> AddWeeklySeries(this HttpClient partner, Guid cohort, DateTime firstStartLocal,
        int weeks, int durationMinutes = 90)
    {
        var series = await partner.PostAsJsonAsync($"/api/scheduling/cohorts/{cohort}/series", new
        {
            rrule = $"FREQ=WEEKLY;COUNT={weeks}",
            startsAtLocal = firstStartLocal.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture),
            durationMinutes
        });
        Assert.Equal(HttpStatusCode.Created, series.StatusCode);
        var sessions = await partner.GetFromJsonAsync<JsonElement>($"/api/scheduling/cohorts/{cohort}/sessions");
        return Items(sessions)
            .Select(s => new SeededSession(s.GetProperty("id").GetGuid(), s.GetProperty("startsAt").GetDateTimeOffset()))
            .OrderBy(s => s.StartsAt)
            .ToList();
    }

    /// <summary>A one-off session for <paramref name="patients"/> (no cohort), for flows that need one soon, such as a reminder.</summary>
    public static async Task<Guid> ScheduleSession(this HttpClient partner, DateTimeOffset startsAt, int durationMinutes,
        IEnumerable<Guid> patients, string kind = "groupTherapy", string timeZone = DefaultTimeZone)
    {
        var created = await partner.PostAsJsonAsync("/api/scheduling/sessions", new
        {
            kind, startsAt, durationMinutes, timeZone, patientIds = patients.ToArray()
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>A list read, paged or not: the page's items.</summary>
    public static IEnumerable<JsonElement> Items(JsonElement body) =>
        body.ValueKind == JsonValueKind.Array ? body.EnumerateArray() : body.GetProperty("items").EnumerateArray();
}
