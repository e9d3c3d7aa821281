using System.Net;
using System.Net.Http.Json;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.TestSupport;

namespace VirtualIop.Attendance.IntegrationTests;

/// <summary>
/// What a patient's own token reaches in Attendance: notifying their own absences ahead of time, their own notices and
/// their standing under the policy; never another patient's, nor any staff endpoint. Setting the policy takes an admin
/// or coordinator among staff.
/// </summary>
[Collection(AttendanceCollection.Name)]
public sealed class PatientAccessTests(AttendanceService attendance) : IClassFixture<AttendanceService>
{
    static readonly string[] OpenToPatients = ["GetAbsenceNotice", "GetPatientPolicyStandings", "GetPolicyStanding", "NotifyAbsence", "WithdrawAbsenceNotice"];

    [Fact]
    public async Task A_patient_token_reaches_only_the_endpoints_opened_to_patients_and_is_refused_everywhere_else()
    {
        Assert.Equal(OpenToPatients, PatientSelfAccessWalk.Marked(attendance.Routes));
        await PatientSelfAccessWalk.RefusedUnlessMarked(attendance.Routes, attendance.PatientClientFor(Guid.NewGuid(), Guid.NewGuid()));
    }

    [Fact]
    public Task Each_endpoint_open_to_patients_serves_the_patients_own_data_and_answers_404_for_another_patient_of_the_clinic() =>
        PatientSelfAccessWalk.OwnDataOnly(attendance.Routes, attendance.PatientClientFor, new Dictionary<string, Func<Guid, Guid, Guid, Task<PatientCalls>>>
        {
            ["NotifyAbsence"] = async (clinicId, own, other) =>
            {
                var session = await Scheduled(clinicId, own, other);
                return new(Post("/api/attendance/absence-notices", new { sessionId = session.SessionId, patientId = own, reasonCategory = "technicalDifficulty" }),
                    Post("/api/attendance/absence-notices", new { sessionId = session.SessionId, patientId = other, reasonCategory = "technicalDifficulty" }));
            },
            ["GetAbsenceNotice"] = async (clinicId, own, other) =>
            {
                var (mine, theirs) = await Notices(clinicId, own, other);
                return new(Get($"/api/attendance/absence-notices/{mine}"), Get($"/api/attendance/absence-notices/{theirs}"));
            },
            ["WithdrawAbsenceNotice"] = async (clinicId, own, other) =>
            {
                var (mine, theirs) = await Notices(clinicId, own, other);
                return new(Post($"/api/attendance/absence-notices/{mine}/withdrawal", null), Post($"/api/attendance/absence-notices/{theirs}/withdrawal", null));
            },
            ["GetPolicyStanding"] = async (clinicId, own, other) =>
            {
                var session = await Evaluated(clinicId, own, other);
                return new(Get($"/api/attendance/programs/{session.ProgramId}/patients/{own}/standing"),
                    Get($"/api/attendance/programs/{session.ProgramId}/patients/{other}/standing"));
            },
            ["GetPatientPolicyStandings"] = async (clinicId, own, other) =>
            {
                await Evaluated(clinicId, own, other);
                return new(Get($"/api/attendance/patients/{own}/standing"), Get($"/api/attendance/patients/{other}/standing"));
            }
        });

    [Fact]
    public async Task A_patient_notifies_for_themself_only_and_always_as_the_patient()
    {
        var (clinicId, own, other) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var session = await Scheduled(clinicId, own, other);
        var patient = attendance.PatientClientFor(clinicId, own);

        var created = await patient.NotifyAbsence(new { sessionId = session.SessionId, reasonCategory = "illness", notifiedBy = "staff" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var notice = await created.Json();
        Assert.Equal((own, "patient"), (notice.GetProperty("patientId").GetGuid(), notice.GetProperty("notifiedBy").GetString()));
        Assert.Equal(HttpStatusCode.NotFound,
            (await patient.NotifyAbsence(new { sessionId = session.SessionId, patientId = other, reasonCategory = "illness" })).StatusCode);
        Assert.Equal([(own, "excusedAbsence"), (other, "pending")], await attendance.ClientFor(clinicId).Outcomes(session.SessionId));
    }

    [Fact]
    public async Task The_patients_standing_says_how_many_excused_absences_the_policy_allows_and_how_many_remain()
    {
        var clinicId = Guid.NewGuid();
        var clinic = attendance.ClientFor(clinicId);
        var programId = await attendance.CreateProgram(clinicId);
        Assert.Equal(HttpStatusCode.OK, (await clinic.PutAsJsonAsync($"/api/attendance/programs/{programId}/policy",
            new { windowDays = 28, minAttendancePercent = 0, maxExcusedAbsences = 3, maxUnexcusedAbsences = 2, makeupCancelsAbsence = true })).StatusCode);
        var own = Guid.NewGuid();
        var session = AttendanceService.NewSession(clinicId, 1) with { ProgramId = programId, PatientIds = [own] };
        await attendance.Schedule(session);
        var patient = attendance.PatientClientFor(clinicId, own);
        Assert.Equal(HttpStatusCode.Created, (await patient.NotifyAbsence(new { sessionId = session.SessionId, reasonCategory = "illness" })).StatusCode);
        await attendance.Evaluator.RunOnce(session.EndsAt.AddHours(1), CancellationToken.None);

        var standings = await (await patient.GetAsync($"/api/attendance/patients/{own}/standing")).Json();

        var standing = Assert.Single(standings.EnumerateArray());
        Assert.Equal((programId, own, "goodStanding"),
            (standing.GetProperty("programId").GetGuid(), standing.GetProperty("patientId").GetGuid(), standing.GetProperty("status").GetString()));
        var excused = standing.GetProperty("excused");
        Assert.Equal((3, 1, 2), (excused.GetProperty("allowed").GetInt32(), excused.GetProperty("used").GetInt32(), excused.GetProperty("remaining").GetInt32()));
        var one = await (await patient.GetAsync($"/api/attendance/programs/{programId}/patients/{own}/standing")).Json();
        Assert.Equal(2, one.GetProperty("excused").GetProperty("remaining").GetInt32());
    }

    [Fact]
    public async Task Only_an_admin_among_staff_reads_the_audit_log_and_only_an_admin_or_coordinator_sets_the_policy_while_partner_systems_pass()
    {
        var clinicId = Guid.NewGuid();
        var programId = await attendance.CreateProgram(clinicId);
        var path = $"/api/attendance/programs/{programId}/policy";
        var policy = new { windowDays = 28, minAttendancePercent = 0, maxExcusedAbsences = 3, maxUnexcusedAbsences = 2, makeupCancelsAbsence = true };

        Assert.Equal(HttpStatusCode.Forbidden, (await attendance.StaffClientFor(clinicId, StaffRoles.Clinician).GetAsync("/api/attendance/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await attendance.StaffClientFor(clinicId, StaffRoles.Admin).GetAsync("/api/attendance/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await attendance.ClientFor(clinicId).GetAsync("/api/attendance/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await attendance.StaffClientFor(clinicId, StaffRoles.Clinician).PutAsJsonAsync(path, policy)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await attendance.StaffClientFor(clinicId, StaffRoles.Coordinator).PutAsJsonAsync(path, policy)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await attendance.ClientFor(clinicId).PutAsJsonAsync(path, policy)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await attendance.StaffClientFor(clinicId, StaffRoles.Clinician).GetAsync(path)).StatusCode);
    }

    async Task<SessionScheduled> Scheduled(Guid clinicId, Guid own, Guid other)
    {
        var session = AttendanceService.NewSession(clinicId, 2) with { ProgramId = Guid.NewGuid(), PatientIds = [own, other] };
        await attendance.Schedule(session);
        return session;
    }

    async Task<(Guid Own, Guid Other)> Notices(Guid clinicId, Guid own, Guid other)
    {
        var session = await Scheduled(clinicId, own, other);
        var clinic = attendance.ClientFor(clinicId);
        async Task<Guid> Notify(Guid patient) =>
            (await (await clinic.NotifyAbsence(new { sessionId = session.SessionId, patientId = patient, reasonCategory = "illness" })).Json()).GetProperty("id").GetGuid();
        return (await Notify(own), await Notify(other));
    }

    /// <summary>Both patients recorded absent by staff, and their standing evaluated after the session.</summary>
    async Task<SessionScheduled> Evaluated(Guid clinicId, Guid own, Guid other)
    {
        var session = await Scheduled(clinicId, own, other);
        var clinic = attendance.ClientFor(clinicId);
        foreach (var patient in new[] { own, other })
            Assert.Equal(HttpStatusCode.OK, (await clinic.RecordAbsence(session.SessionId, new { patientId = patient, outcome = "unexcusedAbsence", reasonCategory = "other" })).StatusCode);
        await attendance.Evaluator.RunOnce(session.EndsAt.AddHours(1), CancellationToken.None);
        return session;
    }

    static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);

    static HttpRequestMessage Post(string path, object? body) => new(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
}
