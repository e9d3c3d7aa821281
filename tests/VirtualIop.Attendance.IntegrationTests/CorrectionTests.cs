using System.Net;
using System.Net.Http.Json;
using VirtualIop.Contracts.Attendance;
using VirtualIop.TestSupport;

namespace VirtualIop.Attendance.IntegrationTests;

[Collection(AttendanceCollection.Name)]
public sealed class CorrectionTests(AttendanceService attendance) : IClassFixture<AttendanceService>
{
    [Fact]
    public async Task A_wrong_no_show_is_corrected_with_the_history_kept_announced_and_the_policy_evaluated_again()
    {
        var clinicId = Guid.NewGuid();
        var programId = await attendance.CreateProgram(clinicId);
        var clinic = attendance.ClientFor(clinicId);
        Assert.Equal(HttpStatusCode.OK, (await clinic.PutAsJsonAsync($"/api/attendance/programs/{programId}/policy",
            new { windowDays = 28, minAttendancePercent = 0, maxExcusedAbsences = 5, maxUnexcusedAbsences = 0, makeupCancelsAbsence = true })).StatusCode);
        var session = AttendanceService.NewSession(clinicId, 1) with { ProgramId = programId };
        var patient = session.PatientIds[0];
        await attendance.Schedule(session);
        await attendance.Sweep.RunOnce(session.EndsAt + AttendanceService.NoShowGrace, CancellationToken.None);
        await attendance.Evaluator.RunOnce(session.EndsAt.AddHours(1), CancellationToken.None);
        await attendance.Broker.WaitFor<PolicyBreached>(e => e.PatientId == patient, 1);

        var corrected = await Correct(clinic, session.SessionId, new
        {
            patientId = patient, outcome = "excusedAbsence", reasonCategory = "technicalDifficulty", explanation = "Platform outage at 10:05"
        });
        var again = await Correct(clinic, session.SessionId, new { patientId = patient, outcome = "late", explanation = "Log shows a late join" });
        await attendance.Evaluator.RunOnce(session.EndsAt.AddHours(2), CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal([(patient, "late")], await clinic.Outcomes(session.SessionId));
        var history = await (await clinic.GetAsync($"/api/attendance/sessions/{session.SessionId}/patients/{patient}/corrections")).Json();
        Assert.Equal([("noShow", "excusedAbsence"), ("excusedAbsence", "late")], history.EnumerateArray()
            .Select(h => (h.GetProperty("previousOutcome").GetString(), h.GetProperty("outcome").GetString())).ToList());
        Assert.Equal("Platform outage at 10:05", history[0].GetProperty("explanation").GetString());
        var events = await attendance.Broker.WaitFor<AttendanceCorrected>(e => e.SessionId == session.SessionId, 2);
        Assert.Contains(events, e => e is { PreviousOutcome: "noShow", Outcome: "excusedAbsence", ReasonCategory: "technicalDifficulty" });
        var standing = await (await clinic.GetAsync($"/api/attendance/programs/{programId}/patients/{patient}/standing")).Json();
        // No unexcused absence any more: out of breach; with a maximum of 0 the next one would breach, hence at risk.
        Assert.Equal("atRisk", standing.GetProperty("status").GetString());
        var rule = standing.GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("rule").GetString() == "maxUnexcusedAbsences");
        Assert.Equal(0m, rule.GetProperty("current").GetDecimal());
    }

    [Fact]
    public async Task A_correction_without_an_explanation_to_an_unknown_outcome_or_to_the_same_outcome_is_refused_and_nothing_is_written()
    {
        var clinicId = Guid.NewGuid();
        var clinic = attendance.ClientFor(clinicId);
        var session = AttendanceService.NewSession(clinicId, 1);
        var patient = session.PatientIds[0];
        await attendance.Schedule(session);
        await attendance.Sweep.RunOnce(session.EndsAt + AttendanceService.NoShowGrace, CancellationToken.None);

        var noExplanation = await Correct(clinic, session.SessionId, new { patientId = patient, outcome = "present" });
        var unknown = await Correct(clinic, session.SessionId, new { patientId = patient, outcome = "vanished", explanation = "x" });
        var same = await Correct(clinic, session.SessionId, new { patientId = patient, outcome = "noShow", explanation = "x" });
        var otherClinic = await Correct(attendance.ClientFor(Guid.NewGuid()), session.SessionId, new { patientId = patient, outcome = "present", explanation = "x" });

        foreach (var (response, field) in new[] { (noExplanation, "explanation"), (unknown, "outcome"), (same, "outcome") })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.Json()).GetProperty("errors").TryGetProperty(field, out _), field);
        }
        Assert.Equal(HttpStatusCode.NotFound, otherClinic.StatusCode);
        Assert.Equal([(patient, "noShow")], await clinic.Outcomes(session.SessionId));
        Assert.Equal(0, (await (await clinic.GetAsync($"/api/attendance/sessions/{session.SessionId}/patients/{patient}/corrections")).Json()).GetArrayLength());
    }

    static Task<HttpResponseMessage> Correct(HttpClient client, Guid sessionId, object correction) =>
        client.PostAsJsonAsync($"/api/attendance/sessions/{sessionId}/corrections", correction);
}
