using System.Net;
using System.Net.Http.Json;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.TestSupport;

namespace VirtualIop.Attendance.IntegrationTests;

[Collection(AttendanceCollection.Name)]
public sealed class PatientDataAuditTests(AttendanceService attendance) : IClassFixture<AttendanceService>
{
    [Fact]
    public void Every_route_that_names_a_patient_is_marked_as_auditing_patient_data() =>
        Assert.Empty(PatientDataAudit.UnauditedPatientRoutes(attendance.Routes));

    [Fact]
    public Task Every_patient_data_endpoint_leaves_an_audit_row_with_the_patient_the_client_and_the_trace() =>
        attendance.WalkAuditedEndpoints(new Dictionary<string, Func<HttpClient, Guid, Task<AuditedCall>>>
        {
            ["NotifyAbsence"] = async (_, clinicId) =>
            {
                var session = await Scheduled(clinicId);
                return new(Post("/api/attendance/absence-notices", new { sessionId = session.SessionId, patientId = session.PatientIds[0], reasonCategory = "illness" }),
                    session.PatientIds[0]);
            },
            ["GetAbsenceNotice"] = async (client, clinicId) =>
            {
                var (noticeId, patient) = await Notice(client, clinicId);
                return new(Get($"/api/attendance/absence-notices/{noticeId}"), patient);
            },
            ["WithdrawAbsenceNotice"] = async (client, clinicId) =>
            {
                var (noticeId, patient) = await Notice(client, clinicId);
                return new(Post($"/api/attendance/absence-notices/{noticeId}/withdrawal", null), patient);
            },
            ["GetAttendanceSummary"] = async (_, clinicId) =>
            {
                var session = await Scheduled(clinicId);
                return new(Get($"/api/attendance/patients/{session.PatientIds[0]}/summary"), session.PatientIds[0]);
            },
            ["GetClinicianToday"] = async (_, clinicId) =>
            {
                var clinician = Guid.NewGuid();
                var startOfToday = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero);
                var session = AttendanceService.NewSession(clinicId, startOfToday.AddMinutes(1), 1) with { ClinicianId = clinician, TimeZone = "UTC" };
                await attendance.Schedule(session);
                return new(Get($"/api/attendance/clinicians/{clinician}/today"), session.PatientIds[0]);
            },
            ["GetCohortHeatmap"] = async (_, clinicId) =>
            {
                var session = AttendanceService.NewSession(clinicId, 1) with { CohortId = Guid.NewGuid() };
                await attendance.Schedule(session);
                var range = $"from={session.StartsAt.AddHours(-1).UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}&to={session.StartsAt.AddDays(1).UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}";
                return new(Get($"/api/attendance/cohorts/{session.CohortId}/heatmap?{range}"), session.PatientIds[0]);
            },
            ["ImportAttendanceHistory"] = async (_, clinicId) =>
            {
                var programId = await attendance.CreateProgram(clinicId);
                var patient = Guid.NewGuid();
                return new(Post("/api/attendance/history", new
                {
                    programId, cohortId = Guid.NewGuid(), timeZone = "America/New_York",
                    sessions = new[]
                    {
                        new { sessionId = Guid.NewGuid(), startsAt = DateTimeOffset.UtcNow.AddDays(-2), durationMinutes = 90, records = new[] { new { patientId = patient, outcome = "noShow" } } }
                    }
                }), patient);
            },
            ["GetSessionAttendance"] = async (_, clinicId) =>
            {
                var session = await Scheduled(clinicId);
                return new(Get($"/api/attendance/sessions/{session.SessionId}"), session.PatientIds[0]);
            },
            ["CheckIn"] = async (_, clinicId) =>
            {
                var session = await Scheduled(clinicId);
                return new(Post($"/api/attendance/sessions/{session.SessionId}/check-ins", new { patientId = session.PatientIds[0] }), session.PatientIds[0]);
            },
            ["CheckOut"] = async (client, clinicId) =>
            {
                var session = await Scheduled(clinicId);
                Assert.True((await client.CheckIn(session.SessionId, session.PatientIds[0])).IsSuccessStatusCode);
                return new(Post($"/api/attendance/sessions/{session.SessionId}/check-outs", new { patientId = session.PatientIds[0] }), session.PatientIds[0]);
            },
            ["RecordAbsence"] = async (_, clinicId) =>
            {
                var session = await Scheduled(clinicId);
                return new(Post($"/api/attendance/sessions/{session.SessionId}/absences",
                    new { patientId = session.PatientIds[0], outcome = "excusedAbsence", reasonCategory = "illness", notes = "Fever" }), session.PatientIds[0]);
            },
            ["CorrectOutcome"] = async (client, clinicId) =>
            {
                var session = await Absent(client, clinicId);
                return new(Correction(session), session.PatientIds[0]);
            },
            ["GetCorrections"] = async (client, clinicId) =>
            {
                var session = await Absent(client, clinicId);
                Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Correction(session))).StatusCode);
                return new(Get($"/api/attendance/sessions/{session.SessionId}/patients/{session.PatientIds[0]}/corrections"), session.PatientIds[0]);
            },
            ["GetAttendanceTimeline"] = async (client, clinicId) =>
            {
                var session = await Absent(client, clinicId);
                return new(Get($"/api/attendance/patients/{session.PatientIds[0]}/timeline"), session.PatientIds[0]);
            },
            ["GetBillableDays"] = async (client, clinicId) =>
            {
                var session = await Absent(client, clinicId);
                Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/attendance/sessions/{session.SessionId}/corrections",
                    new { patientId = session.PatientIds[0], outcome = "present", explanation = "Attended by phone" })).StatusCode);
                Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync($"/api/attendance/programs/{session.ProgramId}/billing",
                    new { minimumMinutesPerDay = 90 })).StatusCode);
                var day = DateOnly.FromDateTime(session.StartsAt.UtcDateTime);
                return new(Get($"/api/attendance/billing/days?from={day.AddDays(-1):yyyy-MM-dd}&to={day.AddDays(1):yyyy-MM-dd}"), session.PatientIds[0]);
            },
            ["GetPatientPolicyStandings"] = async (client, clinicId) =>
            {
                var session = await Absent(client, clinicId);
                await attendance.Evaluator.RunOnce(session.EndsAt.AddHours(1), CancellationToken.None);
                return new(Get($"/api/attendance/patients/{session.PatientIds[0]}/standing"), session.PatientIds[0]);
            },
            ["GetPolicyStanding"] = async (client, clinicId) =>
            {
                var session = await Absent(client, clinicId);
                await attendance.Evaluator.RunOnce(session.EndsAt.AddHours(1), CancellationToken.None);
                return new(Get($"/api/attendance/programs/{session.ProgramId}/patients/{session.PatientIds[0]}/standing"), session.PatientIds[0]);
            }
        });

    [Fact]
    public async Task A_clinic_reads_its_own_audit_log_by_patient_in_pages_and_never_another_clinics_rows()
    {
        var clinicId = Guid.NewGuid();
        var clinic = attendance.ClientFor(clinicId);
        var watched = await Absent(clinic, clinicId);
        var other = await Absent(clinic, clinicId);
        var strangerId = Guid.NewGuid();
        var stranger = attendance.ClientFor(strangerId);
        var strangers = await Absent(stranger, strangerId);
        foreach (var session in new[] { watched, watched, watched, other })
            Assert.Equal(HttpStatusCode.OK, (await clinic.GetAsync($"/api/attendance/patients/{session.PatientIds[0]}/timeline")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await stranger.GetAsync($"/api/attendance/patients/{strangers.PatientIds[0]}/timeline")).StatusCode);

        var first = await clinic.GetAsync($"/api/attendance/audit?patientId={watched.PatientIds[0]}&limit=2");
        var cursor = Assert.Single(first.Headers.GetValues("X-Next-Cursor"));
        var second = await clinic.GetAsync($"/api/attendance/audit?patientId={watched.PatientIds[0]}&limit=500&cursor={cursor}");
        var everything = (await (await clinic.GetAsync("/api/attendance/audit?limit=500")).Json()).EnumerateArray().ToList();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("rel=\"next\"", first.Headers.GetValues("Link").Single());
        Assert.False(second.Headers.Contains("X-Next-Cursor"));
        var pages = (await first.Json()).EnumerateArray().Concat((await second.Json()).EnumerateArray()).ToList();
        var reads = pages.Where(r => r.GetProperty("resource").GetString() == "attendance.timeline").ToList();
        Assert.Equal(3, reads.Count);
        Assert.All(reads, r => Assert.Equal(("read", watched.PatientIds[0], ServiceUnderTest.TestClientId),
            (r.GetProperty("action").GetString(), r.GetProperty("patientId").GetGuid(), r.GetProperty("clientId").GetString())));
        // Reading the log is itself audited: the read of the first page is on the second.
        Assert.Single(pages, r => (r.GetProperty("resource").GetString(), r.GetProperty("action").GetString()) == ("audit", "read"));
        Assert.All(pages, r => Assert.Equal(watched.PatientIds[0], r.GetProperty("patientId").GetGuid()));
        Assert.Equal(pages.Count, pages.Select(r => r.GetProperty("id").GetGuid()).Distinct().Count());
        // The full read adds a row of its own for each patient it showed.
        Assert.Equal(everything.Count + everything.Select(r => r.GetProperty("patientId").GetGuid()).Distinct().Count(), (await attendance.AuditRows(clinicId)).Count);
        Assert.DoesNotContain(everything, r => r.GetProperty("patientId").GetGuid() == strangers.PatientIds[0]);
        Assert.Contains(everything, r => r.GetProperty("patientId").GetGuid() == other.PatientIds[0]);
        Assert.Empty((await (await stranger.GetAsync($"/api/attendance/audit?patientId={watched.PatientIds[0]}")).Json()).EnumerateArray());
    }

    [Theory]
    [InlineData("from=1999-12-31T00:00:00Z", "from")]
    [InlineData("from=2030-01-02T00:00:00Z&to=2030-01-01T00:00:00Z", "to")]
    [InlineData("patientId=not-an-id", "patientId")]
    [InlineData("limit=0", "limit")]
    [InlineData("cursor=nonsense", "cursor")]
    public async Task A_bad_audit_query_answers_400_naming_the_field(string query, string field)
    {
        var response = await attendance.ClientFor(Guid.NewGuid()).GetAsync($"/api/attendance/audit?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Json()).GetProperty("errors").TryGetProperty(field, out _));
    }

    async Task<SessionScheduled> Scheduled(Guid clinicId)
    {
        var session = AttendanceService.NewSession(clinicId, 1) with { ProgramId = Guid.NewGuid() };
        await attendance.Schedule(session);
        return session;
    }

    async Task<(Guid NoticeId, Guid PatientId)> Notice(HttpClient client, Guid clinicId)
    {
        var session = await Scheduled(clinicId);
        var notice = await client.NotifyAbsence(new { sessionId = session.SessionId, patientId = session.PatientIds[0], reasonCategory = "illness" });
        Assert.Equal(HttpStatusCode.Created, notice.StatusCode);
        return ((await notice.Json()).GetProperty("id").GetGuid(), session.PatientIds[0]);
    }

    /// <summary>A session whose patient staff recorded absent (a decided record, on the timeline, open to correction).</summary>
    async Task<SessionScheduled> Absent(HttpClient client, Guid clinicId)
    {
        var session = await Scheduled(clinicId);
        Assert.Equal(HttpStatusCode.OK, (await client.RecordAbsence(session.SessionId,
            new { patientId = session.PatientIds[0], outcome = "unexcusedAbsence", reasonCategory = "other" })).StatusCode);
        return session;
    }

    static HttpRequestMessage Correction(SessionScheduled session) =>
        Post($"/api/attendance/sessions/{session.SessionId}/corrections",
            new { patientId = session.PatientIds[0], outcome = "excusedAbsence", reasonCategory = "technicalDifficulty", explanation = "Platform outage" });

    static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);

    static HttpRequestMessage Post(string path, object? body) => new(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
}
