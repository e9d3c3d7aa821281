using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.Scheduling.IntegrationTests;

[Collection(SchedulingCollection.Name)]
public sealed class SeriesTests(SchedulingService scheduling) : IClassFixture<SchedulingService>
{
    static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    /// <summary>Next week's Monday, as local wall-clock text in New York.</summary>
    static string NextMondayAt(int hour)
    {
        var today = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, NewYork).Date;
        var monday = today.AddDays(7 + ((int)DayOfWeek.Monday - (int)today.DayOfWeek + 7) % 7);
        return monday.AddHours(hour).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
    }

    static string Window(DateTimeOffset from, DateTimeOffset to) =>
        $"from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}";

    async Task<(HttpClient Clinic, Guid ClinicId, JsonElement Program, JsonElement Cohort)> CohortWithCurriculum(params Guid[] patients)
    {
        var clinicId = Guid.NewGuid();
        var clinic = scheduling.ClientFor(clinicId);
        var program = await clinic.CreateProgram(("Triggers", "groupTherapy"), ("Cravings", "educationalModule"), ("Family roles", "familySession"));
        var cohort = await clinic.CreateCohort(program.Id(), capacity: 8);
        foreach (var patient in patients) await clinic.Enrol(cohort.Id(), patient).Created();
        return (clinic, clinicId, program, cohort);
    }

    static Task<JsonElement> CreateSeries(HttpClient clinic, Guid cohortId, string rrule, string startsAtLocal) =>
        clinic.PostAsJsonAsync($"/api/scheduling/cohorts/{cohortId}/series", new { rrule, startsAtLocal, durationMinutes = 180 }).Created();

    /// <summary>The cohort's sessions of the next 600 days, read in two windows (one listing spans at most 366 days).</summary>
    static async Task<List<JsonElement>> Sessions(HttpClient clinic, Guid cohortId)
    {
        var now = DateTimeOffset.UtcNow;
        var sessions = new List<JsonElement>();
        foreach (var (from, to) in new[] { (now, now.AddDays(300)), (now.AddDays(300), now.AddDays(600)) })
        {
            var response = await clinic.GetAsync($"/api/scheduling/cohorts/{cohortId}/sessions?{Window(from, to)}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            sessions.AddRange((await response.Json()).EnumerateArray());
        }
        return sessions;
    }

    [Fact]
    public async Task A_series_schedules_its_occurrences_with_topics_in_curriculum_order_and_the_cohort_roster()
    {
        var patients = new[] { Guid.NewGuid(), Guid.NewGuid() };
        var (clinic, clinicId, program, cohort) = await CohortWithCurriculum(patients);

        var series = await CreateSeries(clinic, cohort.Id(), "FREQ=WEEKLY;BYDAY=MO,WE,TH;COUNT=6", NextMondayAt(18));

        Assert.Equal(6, series.GetProperty("occurrencesScheduled").GetInt32());
        var sessions = await Sessions(clinic, cohort.Id());
        var topics = program.GetProperty("topics").EnumerateArray().Select(t => t.Id()).ToArray();
        Assert.Equal([topics[0], topics[1], topics[2], topics[0], topics[1], topics[2]], sessions.Select(s => s.GetProperty("topicId").GetGuid()));
        Assert.Equal(["groupTherapy", "educationalModule", "familySession", "groupTherapy", "educationalModule", "familySession"],
            sessions.Select(s => s.GetProperty("kind").GetString()));
        Assert.All(sessions, s => Assert.Equal(patients, s.GetProperty("patientIds").EnumerateArray().Select(p => p.GetGuid())));
        Assert.All(sessions, s => Assert.EndsWith("T18:00:00", s.GetProperty("startsAtLocal").GetString()));

        var announced = await scheduling.Broker.WaitFor<SessionScheduled>(e => e.ClinicId == clinicId, 6);
        Assert.Equal(6, announced.Count);
        Assert.Equal(sessions.Select(s => s.Id()).Order(), announced.Select(e => e.SessionId).Order());
        Assert.All(announced, e =>
        {
            Assert.Equal(program.Id(), e.ProgramId);
            Assert.Equal(cohort.Id(), e.CohortId);
            Assert.Equal(cohort.GetProperty("facilitatorClinicianId").GetGuid(), e.ClinicianId);
            Assert.Contains(e.TopicId!.Value, topics);
            Assert.Equal(patients, e.PatientIds);
            Assert.Equal("America/New_York", e.TimeZone);
        });
    }

    [Fact]
    public async Task A_weekly_18_00_New_York_series_stays_at_18_00_local_across_the_March_and_November_DST_changes()
    {
        var (clinic, _, _, cohort) = await CohortWithCurriculum(Guid.NewGuid());

        await CreateSeries(clinic, cohort.Id(), "FREQ=WEEKLY;BYDAY=MO", NextMondayAt(18));

        var sessions = await Sessions(clinic, cohort.Id());
        Assert.True(sessions.Count >= 50, $"a year of weekly sessions, got {sessions.Count}");
        var starts = sessions.Select(s => s.GetProperty("startsAt").GetDateTimeOffset()).ToList();
        Assert.All(starts, s => Assert.Equal(new TimeSpan(18, 0, 0), TimeZoneInfo.ConvertTime(s, NewYork).TimeOfDay));
        // Both offsets occur, so the series crossed a transition each way (spring forward and fall back) at the same wall-clock time.
        var utcHours = starts.Select(s => s.UtcDateTime.Hour).ToList();
        Assert.Contains(22, utcHours);
        Assert.Contains(23, utcHours);
        var changes = utcHours.Zip(utcHours.Skip(1)).Count(pair => pair.First != pair.Second);
        Assert.True(changes >= 2, $"expected the March and November changes, saw {changes}");
    }

    [Theory]
    [InlineData("FREQ=SOMETIMES", "2030-03-04T18:00", null, "rrule")]
    [InlineData("FREQ=WEEKLY;BYDAY=MO", "2030-03-04T18:00", "Mars/Olympus_Mons", "timeZone")]
    [InlineData("FREQ=WEEKLY;BYDAY=MO", "2030-03-04T18:00:00Z", null, "startsAtLocal")]
    [InlineData("FREQ=WEEKLY;BYDAY=MO", "2020-03-02T18:00", null, "startsAtLocal")]
    [InlineData("FREQ=WEEKLY;BYDAY=MO", "9999-12-31T23:59", null, "startsAtLocal")]
    [InlineData("FREQ=DAILY;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23;BYMINUTE=0,30", "2030-03-04T18:00", null, "rrule")]
    [InlineData("FREQ=DAILY;BYMINUTE=0,15,30,45", "2030-03-04T18:00", null, "rrule")]
    [InlineData("FREQ=DAILY;BYSECOND=0,1", "2030-03-04T18:00", null, "rrule")]
    [InlineData("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1,2,3", "2030-03-04T18:00", null, "rrule")]
    [InlineData("FREQ=DAILY;COUNT=100000", "2030-03-04T18:00", null, "rrule")]
    public async Task A_bad_series_is_refused_with_400_naming_the_field_and_nothing_is_written(string rrule, string startsAtLocal, string? timeZone, string field)
    {
        var (clinic, clinicId, _, cohort) = await CohortWithCurriculum(Guid.NewGuid());

        var response = await clinic.PostAsJsonAsync($"/api/scheduling/cohorts/{cohort.Id()}/series",
            new { rrule, startsAtLocal, durationMinutes = 90, timeZone });

        await response.AssertValidationProblem(field);
        Assert.Equal((0, 0, 0), await scheduling.RowsFor(clinicId));
        Assert.Empty(await Sessions(clinic, cohort.Id()));
    }

    [Fact]
    public async Task Participants_follow_enrolment_a_new_patient_joins_future_sessions_and_a_discharged_one_leaves_them()
    {
        var staying = Guid.NewGuid();
        var (clinic, clinicId, _, cohort) = await CohortWithCurriculum(staying);
        await CreateSeries(clinic, cohort.Id(), "FREQ=WEEKLY;BYDAY=TU;COUNT=3", NextMondayAt(18));
        var newcomer = Guid.NewGuid();

        await clinic.Enrol(cohort.Id(), newcomer).Created();

        Assert.All(await Sessions(clinic, cohort.Id()),
            s => Assert.Equal([staying, newcomer], s.GetProperty("patientIds").EnumerateArray().Select(p => p.GetGuid())));
        Assert.Equal(3, (await scheduling.Broker.WaitFor<SessionParticipantAdded>(e => e.ClinicId == clinicId && e.PatientId == newcomer, 3)).Count);

        Assert.Equal(HttpStatusCode.NoContent, (await clinic.DeleteAsync($"/api/scheduling/cohorts/{cohort.Id()}/enrolments/{staying}")).StatusCode);

        Assert.All(await Sessions(clinic, cohort.Id()), s => Assert.Equal([newcomer], s.GetProperty("patientIds").EnumerateArray().Select(p => p.GetGuid())));
        Assert.Equal(3, (await scheduling.Broker.WaitFor<SessionParticipantRemoved>(e => e.ClinicId == clinicId && e.PatientId == staying, 3)).Count);
    }

    [Fact]
    public async Task The_horizon_worker_rolls_a_series_forward_continuing_the_curriculum_and_never_twice()
    {
        var (clinic, _, program, cohort) = await CohortWithCurriculum(Guid.NewGuid());
        await CreateSeries(clinic, cohort.Id(), "FREQ=WEEKLY;BYDAY=MO", NextMondayAt(18));
        var before = await Sessions(clinic, cohort.Id());

        await scheduling.RollSeriesHorizon(DateTimeOffset.UtcNow.AddDays(35));
        await scheduling.RollSeriesHorizon(DateTimeOffset.UtcNow.AddDays(35));

        var after = await Sessions(clinic, cohort.Id());
        Assert.InRange(after.Count - before.Count, 4, 6);
        var indexes = after.Select(s => s.GetProperty("occurrenceIndex").GetInt32()).ToList();
        Assert.Equal(Enumerable.Range(0, after.Count), indexes);
        var topics = program.GetProperty("topics").EnumerateArray().Select(t => t.Id()).ToArray();
        Assert.All(after, s => Assert.Equal(topics[s.GetProperty("occurrenceIndex").GetInt32() % 3], s.GetProperty("topicId").GetGuid()));
    }

    [Fact]
    public async Task Another_clinic_gets_404_for_a_cohorts_series_and_sessions()
    {
        var (_, _, _, cohort) = await CohortWithCurriculum(Guid.NewGuid());
        var clinicB = scheduling.ClientFor(Guid.NewGuid());

        await (await clinicB.PostAsJsonAsync($"/api/scheduling/cohorts/{cohort.Id()}/series",
            new { rrule = "FREQ=WEEKLY;BYDAY=MO", startsAtLocal = NextMondayAt(18), durationMinutes = 90 })).AssertProblem(HttpStatusCode.NotFound);
        await (await clinicB.GetAsync($"/api/scheduling/cohorts/{cohort.Id()}/sessions")).AssertProblem(HttpStatusCode.NotFound);
    }
}
