using System.Globalization;
using System.Net.Http.Json;
using VirtualIop.TestSupport;

namespace VirtualIop.Scheduling.IntegrationTests;

[Collection(SchedulingCollection.Name)]
public sealed class IdempotentCreationTests(SchedulingService scheduling) : IClassFixture<SchedulingService>
{
    static readonly DateTimeOffset Evening = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(2).AddHours(23);

    [Fact]
    public Task Every_creating_endpoint_creates_once_per_idempotency_key_and_replays_its_first_answer() =>
        scheduling.WalkCreatingEndpoints(new Dictionary<string, Func<HttpClient, Guid, Task<CreatingCall>>>
        {
            ["CreateProgram"] = (_, _) => Task.FromResult(new CreatingCall("/api/scheduling/programs",
                new { name = "Evening IOP", topics = new[] { new { title = "Coping skills", kind = "groupTherapy" } } },
                "select count(*) from program where clinic_id = @Clinic")),
            ["CreateCohort"] = async (client, _) =>
            {
                var program = await client.CreateProgram(("Triggers", "groupTherapy"));
                return new("/api/scheduling/cohorts",
                    new { programId = program.Id(), name = "Tuesday group", facilitatorClinicianId = Guid.NewGuid(), capacity = 8, timeZone = "America/New_York" },
                    "select count(*) from cohort where clinic_id = @Clinic");
            },
            ["EnrolPatient"] = async (client, _) =>
            {
                var cohort = await client.CreateCohort((await client.CreateProgram(("Triggers", "groupTherapy"))).Id());
                return new($"/api/scheduling/cohorts/{cohort.Id()}/enrolments", new { patientId = Guid.NewGuid() },
                    "select count(*) from enrolment where clinic_id = @Clinic");
            },
            ["TransferPatient"] = async (_, clinicId) =>
            {
                var s = await Start(clinicId);
                var other = await s.Clinic.CreateCohort(s.Program.Id());
                return new($"/api/scheduling/cohorts/{s.CohortId}/enrolments/{s.Patients[0]}/transfer", new { toCohortId = other.Id() },
                    "select count(*) from enrolment where clinic_id = @Clinic");
            },
            ["CreateSeries"] = async (client, _) =>
            {
                var cohort = await client.CreateCohort((await client.CreateProgram(("Triggers", "groupTherapy"))).Id());
                var tomorrow = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, MakeupScenario.NewYork).Date.AddDays(1).AddHours(18);
                return new($"/api/scheduling/cohorts/{cohort.Id()}/series",
                    new { rrule = "FREQ=DAILY;COUNT=3", startsAtLocal = tomorrow.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture), durationMinutes = 90 },
                    "select count(*) from series where clinic_id = @Clinic");
            },
            ["ChangeSeriesFromDate"] = async (_, clinicId) =>
            {
                var s = await Start(clinicId);
                var from = s.Sessions[1].GetProperty("startsAt").GetDateTimeOffset();
                var series = s.Sessions[1].GetProperty("seriesId").GetGuid();
                var local = TimeZoneInfo.ConvertTime(from, MakeupScenario.NewYork).Date.AddHours(19);
                return new($"/api/scheduling/cohorts/{s.CohortId}/series/{series}/change-from",
                    new { from, startsAtLocal = local.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture), rrule = "FREQ=DAILY;COUNT=2", reason = "programChange" },
                    "select count(*) from series where clinic_id = @Clinic");
            },
            ["BookMakeup"] = async (_, clinicId) =>
            {
                var s = await Start(clinicId);
                (await s.SetAvailability(s.Facilitator, "09:00", "22:00")).EnsureSuccessStatusCode();
                var makeup = await s.Miss(s.Sessions[0], s.Patients[0]);
                var slot = (await (await s.Clinic.GetAsync($"/api/scheduling/makeups/{makeup.Id()}/slots")).Json())[0];
                return new($"/api/scheduling/makeups/{makeup.Id()}/book",
                    new { clinicianId = slot.GetProperty("clinicianId").GetGuid(), startsAt = slot.GetProperty("startsAt").GetDateTimeOffset() },
                    "select count(*) from booking where clinic_id = @Clinic");
            },
            ["TakeMakeupSeat"] = async (_, clinicId) =>
            {
                var s = await Start(clinicId);
                var other = await s.Clinic.CreateCohort(s.Program.Id());
                var target = (await MakeupScenario.AddDailySeries(s.Clinic, other.Id(), 3))[1].Id();
                var makeup = await s.Miss(s.Sessions[0], s.Patients[0]);
                return new($"/api/scheduling/makeups/{makeup.Id()}/group-seat", new { sessionId = target },
                    $"select count(*) from session_participant where clinic_id = @Clinic and session_id = '{target}'");
            },
            ["OpenExtraGroup"] = async (_, clinicId) =>
            {
                var s = await Start(clinicId);
                await s.Miss(s.Sessions[0], s.Patients[0]);
                var local = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, MakeupScenario.NewYork).Date.AddDays(2).AddHours(12);
                return new($"/api/scheduling/programs/{s.Program.Id()}/extra-groups",
                    new
                    {
                        topicId = s.Program.GetProperty("topics")[0].Id(), startsAt = new DateTimeOffset(local, MakeupScenario.NewYork.GetUtcOffset(local)),
                        durationMinutes = 90, facilitatorClinicianId = s.Facilitator, capacity = 4, timeZone = "America/New_York"
                    },
                    "select count(*) from session where clinic_id = @Clinic and extra_group");
            },
            ["ScheduleSession"] = (_, _) => Task.FromResult(new CreatingCall("/api/scheduling/sessions",
                new { kind = "individualTherapy", startsAt = Evening, durationMinutes = 60, timeZone = "America/New_York", patientIds = new[] { Guid.NewGuid() } },
                "select count(*) from session where clinic_id = @Clinic")),
            ["BookSession"] = (_, _) => Task.FromResult(new CreatingCall("/api/scheduling/bookings",
                new { clinicianId = Guid.NewGuid(), patientId = Guid.NewGuid(), startsAt = Evening, durationMinutes = 50, timeZone = "America/New_York" },
                "select count(*) from booking where clinic_id = @Clinic")),
            ["IssuePatientCalendarFeed"] = (_, _) => Task.FromResult(new CreatingCall($"/api/scheduling/patients/{Guid.NewGuid()}/calendar-feed", null,
                "select count(*) from calendar_feed where clinic_id = @Clinic")),
            ["IssueClinicianCalendarFeed"] = (_, _) => Task.FromResult(new CreatingCall($"/api/scheduling/clinicians/{Guid.NewGuid()}/calendar-feed", null,
                "select count(*) from calendar_feed where clinic_id = @Clinic")),
        });

    [Fact]
    public async Task A_key_is_forgotten_once_its_24_hour_window_has_passed()
    {
        var clinicId = Guid.NewGuid();
        var clinic = scheduling.ClientFor(clinicId);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/scheduling/programs")
        {
            Content = JsonContent.Create(new { name = "Evening IOP", topics = new[] { new { title = "Coping skills", kind = "groupTherapy" } } }),
        };
        request.Headers.Add("Idempotency-Key", "purge-" + Guid.NewGuid());
        (await clinic.SendAsync(request)).EnsureSuccessStatusCode();

        await scheduling.IdempotencyRetention.RunOnce(DateTimeOffset.UtcNow.AddHours(23), CancellationToken.None);
        Assert.Equal(1L, await scheduling.IdempotencyKeysOf(clinicId));
        Assert.True(await scheduling.IdempotencyRetention.RunOnce(DateTimeOffset.UtcNow.AddHours(24).AddMinutes(1), CancellationToken.None) >= 1);
        Assert.Equal(0L, await scheduling.IdempotencyKeysOf(clinicId));
    }

    public static TheoryData<string> MalformedKeys => [new string('k', 256), "\u00e9t\u00e9", "a\tb"];

    [Theory]
    [MemberData(nameof(MalformedKeys))]
    public async Task A_malformed_key_is_refused_naming_the_header_and_nothing_is_created(string key)
    {
        var clinicId = Guid.NewGuid();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/scheduling/programs")
        {
            Content = JsonContent.Create(new { name = "Evening IOP", topics = new[] { new { title = "Coping skills", kind = "groupTherapy" } } }),
        };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);

        var response = await scheduling.ClientFor(clinicId).SendAsync(request);

        await response.AssertValidationProblem("Idempotency-Key");
        Assert.Equal((0, 0, 0), await scheduling.ProgramRowsFor(clinicId));
        Assert.Equal(0L, await scheduling.IdempotencyKeysOf(clinicId));
    }

    [Fact]
    public async Task A_refused_request_keeps_no_key_so_its_corrected_retry_with_the_key_creates()
    {
        var clinicId = Guid.NewGuid();
        var clinic = scheduling.ClientFor(clinicId);
        var key = Guid.NewGuid().ToString();
        await (await Keyed(clinic, key, new { name = "", topics = Array.Empty<object>() })).AssertValidationProblem("name");
        Assert.Equal(0L, await scheduling.IdempotencyKeysOf(clinicId));

        var created = await Keyed(clinic, key, new { name = "Evening IOP", topics = new[] { new { title = "Coping skills", kind = "groupTherapy" } } });

        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        Assert.Equal((1, 0, 0), await scheduling.ProgramRowsFor(clinicId));
    }

    static Task<HttpResponseMessage> Keyed(HttpClient clinic, string key, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/scheduling/programs") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return clinic.SendAsync(request);
    }

    Task<MakeupScenario> Start(Guid clinicId) => MakeupScenario.Start(scheduling, forClinic: clinicId);
}
