using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Scheduling.Messaging;
using VirtualIop.TestSupport;

namespace VirtualIop.Scheduling.IntegrationTests;

[Collection(SchedulingCollection.Name)]
public sealed class PatientDataAuditTests(SchedulingService scheduling) : IClassFixture<SchedulingService>
{
    static readonly DateTimeOffset Evening = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(2).AddHours(23);

    static string Window => $"to={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(10).ToString("O"))}";

    [Fact]
    public void Every_route_that_names_a_patient_is_marked_as_auditing_patient_data() =>
        Assert.Empty(PatientDataAudit.UnauditedPatientRoutes(scheduling.Routes));

    [Fact]
    public Task Every_patient_data_endpoint_leaves_an_audit_row_with_the_patient_the_client_and_the_trace() =>
        scheduling.WalkAuditedEndpoints(new Dictionary<string, Func<HttpClient, Guid, Task<AuditedCall>>>
        {
            ["ScheduleSession"] = (_, _) => OnPatient(p => Post("/api/scheduling/sessions",
                new { kind = "individualTherapy", startsAt = Evening, durationMinutes = 60, timeZone = "America/New_York", patientIds = new[] { p } })),
            ["GetSession"] = async (_, clinicId) =>
            {
                var s = await Start(clinicId);
                return new(Get($"/api/scheduling/sessions/{s.Sessions[0].Id()}"), s.Patients[0]);
            },
            ["ListSessions"] = async (_, clinicId) =>
            {
                var s = await Start(clinicId);
                return new(Get($"/api/scheduling/sessions?{Window}"), s.Patients[0]);
            },
            ["RescheduleSession"] = async (_, clinicId) =>
            {
                var s = await Start(clinicId);
                return new(Post($"/api/scheduling/sessions/{s.Sessions[0].Id()}/reschedule",
                    new { startsAt = s.Sessions[0].GetProperty("startsAt").GetDateTimeOffset().AddHours(-2), reason = "clinicianUnavailable" }), s.Patients[0]);
            },
            ["CancelSession"] = async (_, clinicId) =>
            {
                var s = await Start(clinicId);
                return new(Post($"/api/scheduling/sessions/{s.Sessions[0].Id()}/cancel", new { reason = "holiday" }), s.Patients[0]);
            },
            ["GetCohort"] = async (_, clinicId) =>
            {
                var s = await Start(clinicId);
                return new(Get($"/api/scheduling/cohorts/{s.CohortId}"), s.Patients[0]);
            },
            ["ChangeCohortCapacity"] = async (_, clinicId) =>
            {
                var s = await Start(clinicId);
                return new(new HttpRequestMessage(HttpMethod.Put, $"/api/scheduling/cohorts/{s.CohortId}/capacity") { Content = JsonContent.Create(new { capacity = 12 }) },
                    s.Patients[0]);
            },
            ["CreateSeries"] = async (_, clinicId) =>
            {
                var s = await Start(clinicId);
                var morning = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, MakeupScenario.NewYork).Date.AddDays(1).AddHours(10);
                return new(Post($"/api/scheduling/cohorts/{s.CohortId}/series",
                    new { rrule = "FREQ=DAILY;COUNT=2", startsAtLocal = morning.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture), durationMinutes = 60 }),
                    s.Patients[0]);
            },
            ["ChangeSeriesFromDate"] = async (_, clinicId) =>
            {
                var s = await Start(clinicId);
                var second = s.Sessions[1];
                return new(Post($"/api/scheduling/cohorts/{s.CohortId}/series/{second.GetProperty("seriesId").GetGuid()}/change-from", new
                {
                    from = second.GetProperty("startsAt").GetDateTimeOffset(), startsAtLocal = second.GetProperty("startsAtLocal").GetString(),
                    rrule = "FREQ=DAILY;COUNT=2", reason = "programChange"
                }), s.Patients[0]);
            },
            ["GetPatientSchedule"] = async (_, clinicId) =>
            {
                var s = await Start(clinicId);
                return new(Get($"/api/scheduling/patients/{s.Patients[0]}/sessions?{Window}"), s.Patients[0]);
            },
            ["GetClinicianSchedule"] = async (_, clinicId) =>
            {
                var s = await Start(clinicId);
                return new(Get($"/api/scheduling/clinicians/{s.Facilitator}/sessions?{Window}"), s.Patients[0]);
            },
            ["ListCohortSessions"] = async (_, clinicId) =>
            {
                var s = await Start(clinicId);
                return new(Get($"/api/scheduling/cohorts/{s.CohortId}/sessions?{Window}"), s.Patients[0]);
            },
            ["GetPatientPlan"] = async (_, clinicId) =>
            {
                var s = await Start(clinicId);
                var adjusted = new PlanAdjusted(Guid.NewGuid(), clinicId, Guid.NewGuid(), s.Patients[0], "frequency", 4, null, DateTimeOffset.UtcNow);
                await scheduling.Broker.Publish(adjusted);
                await scheduling.Consumed.WaitFor(adjusted.EventId, 1);
                return new(Get($"/api/scheduling/patients/{s.Patients[0]}/plan"), s.Patients[0]);
            },
            ["PreviewPatientPlan"] = async (_, clinicId) =>
            {
                var s = await Start(clinicId);
                return new(Get($"/api/scheduling/patients/{s.Patients[0]}/plan/preview?sessionsPerWeek=3"), s.Patients[0]);
            },
            ["IssuePatientCalendarFeed"] = (_, _) => OnPatient(p => Post($"/api/scheduling/patients/{p}/calendar-feed", null)),
            ["RevokePatientCalendarFeed"] = async (client, _) =>
            {
                var patient = Guid.NewGuid();
                (await client.PostAsync($"/api/scheduling/patients/{patient}/calendar-feed", null)).EnsureSuccessStatusCode();
                return new(new HttpRequestMessage(HttpMethod.Delete, $"/api/scheduling/patients/{patient}/calendar-feed"), patient);
            },
            ["GetCalendarFeed"] = async (_, clinicId) =>
            {
                var s = await Start(clinicId);
                var url = (await s.Clinic.PostAsync($"/api/scheduling/patients/{s.Patients[0]}/calendar-feed", null).Created()).GetProperty("url").GetString()!;
                return new(Get(new Uri(url).PathAndQuery), s.Patients[0], scheduling.AnonymousClient(), PatientAudit.SecretLinkClient);
            },
            ["BookSession"] = (_, _) => OnPatient(p => Post("/api/scheduling/bookings",
                new { clinicianId = Guid.NewGuid(), patientId = p, startsAt = Evening, durationMinutes = 50, timeZone = "America/New_York" })),
            ["ListMakeups"] = async (_, clinicId) =>
            {
                var (s, _) = await Missed(clinicId);
                return new(Get($"/api/scheduling/makeups?patientId={s.Patients[0]}"), s.Patients[0]);
            },
            ["GetPatientMakeups"] = async (_, clinicId) =>
            {
                var (s, _) = await Missed(clinicId);
                return new(Get($"/api/scheduling/patients/{s.Patients[0]}/makeups"), s.Patients[0]);
            },
            ["GetMakeup"] = async (_, clinicId) =>
            {
                var (s, makeup) = await Missed(clinicId);
                return new(Get($"/api/scheduling/makeups/{makeup.Id()}"), s.Patients[0]);
            },
            ["ProposeMakeupSlots"] = async (_, clinicId) =>
            {
                var (s, makeup) = await Missed(clinicId);
                return new(Get($"/api/scheduling/makeups/{makeup.Id()}/slots"), s.Patients[0]);
            },
            ["BookMakeup"] = async (_, clinicId) =>
            {
                var (s, makeup) = await Missed(clinicId);
                var slot = (await (await s.Clinic.GetAsync($"/api/scheduling/makeups/{makeup.Id()}/slots")).Json())[0];
                return new(Post($"/api/scheduling/makeups/{makeup.Id()}/book",
                    new { clinicianId = slot.GetProperty("clinicianId").GetGuid(), startsAt = slot.GetProperty("startsAt").GetDateTimeOffset() }), s.Patients[0]);
            },
            ["ListMakeupGroupSessions"] = async (_, clinicId) =>
            {
                var (s, makeup, _) = await SeatElsewhere(clinicId);
                return new(Get($"/api/scheduling/makeups/{makeup.Id()}/group-sessions"), s.Patients[0]);
            },
            ["TakeMakeupSeat"] = async (_, clinicId) =>
            {
                var (s, makeup, target) = await SeatElsewhere(clinicId);
                return new(Post($"/api/scheduling/makeups/{makeup.Id()}/group-seat", new { sessionId = target }), s.Patients[0]);
            },
            ["ReleaseMakeupSeat"] = async (_, clinicId) =>
            {
                var (s, makeup, target) = await SeatElsewhere(clinicId);
                (await s.Clinic.PostAsJsonAsync($"/api/scheduling/makeups/{makeup.Id()}/group-seat", new { sessionId = target })).EnsureSuccessStatusCode();
                return new(new HttpRequestMessage(HttpMethod.Delete, $"/api/scheduling/makeups/{makeup.Id()}/group-seat"), s.Patients[0]);
            },
            ["OpenExtraGroup"] = async (_, clinicId) =>
            {
                var (s, _) = await Missed(clinicId);
                var local = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, MakeupScenario.NewYork).Date.AddDays(2).AddHours(12);
                return new(Post($"/api/scheduling/programs/{s.Program.Id()}/extra-groups", new
                {
                    topicId = s.Program.GetProperty("topics")[0].Id(), startsAt = new DateTimeOffset(local, MakeupScenario.NewYork.GetUtcOffset(local)),
                    durationMinutes = 90, facilitatorClinicianId = s.Facilitator, capacity = 4, timeZone = "America/New_York"
                }), s.Patients[0]);
            },
            ["ListExtraGroupProposals"] = async (_, clinicId) =>
            {
                var s = await MakeupScenario.Start(scheduling, patients: 3, forClinic: clinicId);
                foreach (var patient in s.Patients) await s.Miss(s.Sessions[0], patient);
                return new(Get($"/api/scheduling/programs/{s.Program.Id()}/extra-group-proposals"), s.Patients[0]);
            },
            ["ChangeCohortRolling"] = async (_, clinicId) =>
            {
                var s = await Start(clinicId);
                return new(new HttpRequestMessage(HttpMethod.Put, $"/api/scheduling/cohorts/{s.CohortId}/rolling") { Content = JsonContent.Create(new { rolling = true }) },
                    s.Patients[0]);
            },
            ["RejoinPatient"] = async (_, clinicId) =>
            {
                var s = await Start(clinicId);
                (await s.Clinic.PutAsJsonAsync($"/api/scheduling/cohorts/{s.CohortId}/rolling", new { rolling = true })).EnsureSuccessStatusCode();
                (await s.Clinic.DeleteAsync($"/api/scheduling/cohorts/{s.CohortId}/enrolments/{s.Patients[0]}")).EnsureSuccessStatusCode();
                return new(Post($"/api/scheduling/cohorts/{s.CohortId}/enrolments/{s.Patients[0]}/rejoin", null), s.Patients[0]);
            },
            ["ChooseMakeupRecording"] = async (_, clinicId) =>
            {
                var (s, makeup) = await MissedModule(clinicId);
                return new(Post($"/api/scheduling/makeups/{makeup.Id()}/recording", null), s.Patients[0]);
            },
            ["ReportMakeupWatchProgress"] = async (_, clinicId) =>
            {
                var (s, makeup) = await MissedModule(clinicId);
                (await s.Clinic.PostAsync($"/api/scheduling/makeups/{makeup.Id()}/recording", null)).EnsureSuccessStatusCode();
                return new(Post($"/api/scheduling/makeups/{makeup.Id()}/watch-progress", new { minutesWatched = 5 }), s.Patients[0]);
            },
            ["EnrolPatient"] = async (client, _) =>
            {
                var program = await client.CreateProgram(("Triggers", "groupTherapy"));
                var cohort = await client.CreateCohort(program.Id());
                return await OnPatient(p => Post($"/api/scheduling/cohorts/{cohort.Id()}/enrolments", new { patientId = p }));
            },
            ["DischargePatient"] = async (_, clinicId) =>
            {
                var s = await Start(clinicId);
                return new(new HttpRequestMessage(HttpMethod.Delete, $"/api/scheduling/cohorts/{s.CohortId}/enrolments/{s.Patients[0]}"), s.Patients[0]);
            },
            ["TransferPatient"] = async (_, clinicId) =>
            {
                var s = await Start(clinicId);
                var other = await s.Clinic.CreateCohort(s.Program.Id());
                return new(Post($"/api/scheduling/cohorts/{s.CohortId}/enrolments/{s.Patients[0]}/transfer", new { toCohortId = other.Id() }), s.Patients[0]);
            },
            ["ReplacePreferredHours"] = (_, _) => OnPatient(p => new HttpRequestMessage(HttpMethod.Put, $"/api/scheduling/patients/{p}/preferred-hours")
            {
                Content = JsonContent.Create(Hours())
            }),
            ["GetPreferredHours"] = async (client, _) =>
            {
                var patient = Guid.NewGuid();
                (await client.PutAsJsonAsync($"/api/scheduling/patients/{patient}/preferred-hours", Hours())).EnsureSuccessStatusCode();
                return new(Get($"/api/scheduling/patients/{patient}/preferred-hours"), patient);
            },
            ["ReadFhirAppointment"] = async (_, clinicId) =>
            {
                var s = await Start(clinicId);
                return new(Get($"/api/fhir/Appointment/{s.Sessions[0].Id():N}{s.Patients[0]:N}"), s.Patients[0]);
            },
            ["SearchFhirAppointments"] = async (_, clinicId) =>
            {
                var s = await Start(clinicId);
                return new(Get($"/api/fhir/Appointment?patient={s.Patients[0]}"), s.Patients[0]);
            },
            ["ReadFhirEncounter"] = async (_, clinicId) =>
            {
                var s = await Attended(clinicId);
                return new(Get($"/api/fhir/Encounter/{s.Sessions[0].Id():N}{s.Patients[0]:N}"), s.Patients[0]);
            },
            ["GetPatientPhase"] = async (_, clinicId) =>
            {
                var s = await PhasedProgram.Start(scheduling, clinicId);
                return new(Get($"/api/scheduling/patients/{s.Patients[0]}/phase"), s.Patients[0]);
            },
            ["AdvancePatientPhase"] = async (_, clinicId) =>
            {
                var s = await PhasedProgram.Start(scheduling, clinicId);
                return new(Post($"/api/scheduling/patients/{s.Patients[0]}/phase/advance", new { fromPhase = 1 }), s.Patients[0]);
            },
            ["WaiveMissedSession"] = async (_, clinicId) =>
            {
                var s = await PhasedProgram.Start(scheduling, clinicId);
                return new(new HttpRequestMessage(HttpMethod.Put, $"/api/scheduling/patients/{s.Patients[0]}/missed-sessions/{s.Sessions[0].Id()}/waiver")
                    { Content = JsonContent.Create(new { reason = "Covered one-on-one" }) }, s.Patients[0]);
            },
            ["SearchFhirEncounters"] = async (_, clinicId) =>
            {
                var s = await Attended(clinicId);
                return new(Get($"/api/fhir/Encounter?patient={s.Patients[0]}"), s.Patients[0]);
            }
        });

    /// <summary>A clinic whose first patient attended its first session, as Attendance reported it.</summary>
    async Task<MakeupScenario> Attended(Guid clinicId)
    {
        var s = await Start(clinicId);
        var attended = new SessionAttended(Guid.NewGuid(), clinicId, s.Sessions[0].Id(), s.Patients[0], DateTimeOffset.UtcNow);
        await scheduling.Broker.Publish(attended);
        await Eventually.Until(() => scheduling.InboxRows(attended.EventId, RecordAttendanceOutcome.InboxKey), n => n == 1, "the attendance kept");
        return s;
    }

    Task<MakeupScenario> Start(Guid clinicId, string topicKind = "groupTherapy") =>
        MakeupScenario.Start(scheduling, topicKind: topicKind, forClinic: clinicId);

    static Task<AuditedCall> OnPatient(Func<Guid, HttpRequestMessage> call)
    {
        var patient = Guid.NewGuid();
        return Task.FromResult(new AuditedCall(call(patient), patient));
    }

    /// <summary>The patient missed the first session; the facilitator works all day, so one-on-one slots exist.</summary>
    async Task<(MakeupScenario Scenario, JsonElement Makeup)> Missed(Guid clinicId)
    {
        var s = await Start(clinicId);
        (await s.SetAvailability(s.Facilitator, "09:00", "22:00")).EnsureSuccessStatusCode();
        return (s, await s.Miss(s.Sessions[0], s.Patients[0]));
    }

    /// <summary>The patient missed a session, and another cohort of the program meets on the topic with seats free.</summary>
    async Task<(MakeupScenario Scenario, JsonElement Makeup, Guid Target)> SeatElsewhere(Guid clinicId)
    {
        var s = await Start(clinicId);
        var other = await s.Clinic.CreateCohort(s.Program.Id());
        var sessions = await MakeupScenario.AddDailySeries(s.Clinic, other.Id(), 3);
        return (s, await s.Miss(s.Sessions[0], s.Patients[0]), sessions[1].Id());
    }

    /// <summary>The patient missed an educational module whose recording is on file.</summary>
    async Task<(MakeupScenario Scenario, JsonElement Makeup)> MissedModule(Guid clinicId)
    {
        var s = await Start(clinicId, "educationalModule");
        (await s.Clinic.PutAsJsonAsync($"/api/scheduling/sessions/{s.Sessions[0].Id()}/recording",
            new { url = "https://video.example.org/modules/cravings-101" })).EnsureSuccessStatusCode();
        return (s, await s.Miss(s.Sessions[0], s.Patients[0]));
    }

    static object Hours() => new
    {
        timeZone = "America/New_York",
        weeklyHours = Enum.GetValues<DayOfWeek>().Select(d => new { day = JsonNamingPolicy.CamelCase.ConvertName(d.ToString()), from = "16:00", to = "20:00" })
    };

    static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);

    static HttpRequestMessage Post(string path, object? body) => new(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
}
