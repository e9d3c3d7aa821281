using System.Net;
using System.Net.Http.Json;
using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.Attendance.IntegrationTests;

/// <summary>The cohort heatmap the clinician console draws, and the notices on a clinician's day.</summary>
[Collection(AttendanceCollection.Name)]
public sealed class HeatmapTests(AttendanceService attendance) : IClassFixture<AttendanceService>
{
    [Fact]
    public async Task A_cohorts_heatmap_gives_each_patients_outcome_of_each_session_with_made_up_misses_and_the_policy_standing()
    {
        var clinicId = Guid.NewGuid();
        var cohortId = Guid.NewGuid();
        var programId = await attendance.CreateProgram(clinicId);
        var clinic = attendance.ClientFor(clinicId);
        await clinic.PutAsJsonAsync($"/api/attendance/programs/{programId}/policy",
            new { windowDays = 28, minAttendancePercent = 50, maxExcusedAbsences = 3, maxUnexcusedAbsences = 2, makeupCancelsAbsence = true });
        var (ana, ben) = (Guid.NewGuid(), Guid.NewGuid());
        var start = new DateTimeOffset(2031, 4, 7, 16, 0, 0, TimeSpan.Zero);
        var sessions = Enumerable.Range(0, 3)
            .Select(i => AttendanceService.NewSession(clinicId, start.AddDays(i), 0) with { CohortId = cohortId, ProgramId = programId, PatientIds = [ana, ben] })
            .ToList();
        var otherCohort = AttendanceService.NewSession(clinicId, start.AddDays(1), 0) with { CohortId = Guid.NewGuid(), ProgramId = programId, PatientIds = [ana] };
        var cancelled = AttendanceService.NewSession(clinicId, start.AddDays(1).AddHours(3), 0) with { CohortId = cohortId, ProgramId = programId, PatientIds = [ana] };
        foreach (var s in sessions.Append(otherCohort).Append(cancelled)) await attendance.Schedule(s);
        await attendance.Deliver(new SessionCancelled(Guid.CreateVersion7(), clinicId, cancelled.SessionId, cancelled.StartsAt, cancelled.TimeZone, "holiday"));

        attendance.Clock.Set(sessions[0].StartsAt);
        await clinic.CheckIn(sessions[0].SessionId, ana);
        await clinic.RecordAbsence(sessions[0].SessionId, new { patientId = ben, outcome = "excusedAbsence", reasonCategory = "illness" });
        await attendance.Sweep.RunOnce(sessions[1].EndsAt + AttendanceService.NoShowGrace, CancellationToken.None);
        var makeup = new MakeupCompleted(Guid.CreateVersion7(), clinicId, Guid.NewGuid(), sessions[1].SessionId, ana, "recording", sessions[1].EndsAt.AddHours(3));
        await attendance.Deliver(makeup);
        await attendance.Evaluator.RunOnce(sessions[1].EndsAt.AddHours(4), CancellationToken.None);
        var range = $"from={start.AddDays(-1):yyyy-MM-ddTHH:mm:ssZ}&to={start.AddDays(7):yyyy-MM-ddTHH:mm:ssZ}";

        var response = await clinic.GetAsync($"/api/attendance/cohorts/{cohortId}/heatmap?{range}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Json();
        Assert.Equal(sessions.Select(s => s.SessionId), body.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("sessionId").GetGuid()));
        var cells = body.GetProperty("cells").EnumerateArray()
            .ToDictionary(c => (c.GetProperty("patientId").GetGuid(), c.GetProperty("sessionId").GetGuid()),
                c => (c.GetProperty("outcome").GetString(), c.GetProperty("madeUp").GetBoolean()));
        Assert.Equal(6, cells.Count);
        Assert.Equal(("present", false), cells[(ana, sessions[0].SessionId)]);
        Assert.Equal(("excusedAbsence", false), cells[(ben, sessions[0].SessionId)]);
        Assert.Equal(("noShow", true), cells[(ana, sessions[1].SessionId)]);
        Assert.Equal(("noShow", false), cells[(ben, sessions[1].SessionId)]);
        Assert.Equal(("pending", false), cells[(ana, sessions[2].SessionId)]);
        var patients = body.GetProperty("patients").EnumerateArray().ToDictionary(p => p.GetProperty("patientId").GetGuid());
        Assert.Equal(new[] { ana, ben }.Order(), patients.Keys.Order());
        Assert.All(patients.Values, p => Assert.Equal(programId, p.GetProperty("programId").GetGuid()));
        // The standing is the program's: Ana's made-up miss weighs nothing, her miss in the other cohort does (two more breach);
        // Ben attended none of his decided sessions (below the 50% minimum).
        Assert.Equal(("goodStanding", 2), (patients[ana].GetProperty("standing").GetString(), patients[ana].GetProperty("absencesToBreach").GetInt32()));
        Assert.Equal(("inBreach", 0), (patients[ben].GetProperty("standing").GetString(), patients[ben].GetProperty("absencesToBreach").GetInt32()));

        Assert.Equal(HttpStatusCode.NotFound, (await attendance.ClientFor(Guid.NewGuid()).GetAsync($"/api/attendance/cohorts/{cohortId}/heatmap?{range}")).StatusCode);
        var badRange = await clinic.GetAsync($"/api/attendance/cohorts/{cohortId}/heatmap?from=2031-04-10T00:00:00Z&to=2031-04-01T00:00:00Z");
        Assert.Equal(HttpStatusCode.BadRequest, badRange.StatusCode);
        Assert.True((await badRange.Json()).GetProperty("errors").TryGetProperty("to", out _));
        attendance.Clock.Set(start.AddDays(40));
        var byDefault = await (await clinic.GetAsync($"/api/attendance/cohorts/{cohortId}/heatmap")).Json();
        Assert.Empty(byDefault.GetProperty("sessions").EnumerateArray());
    }

    [Fact]
    public async Task A_clinicians_day_tells_who_gave_notice_of_an_absence()
    {
        var clinicId = Guid.NewGuid();
        var clinician = Guid.NewGuid();
        var clinic = attendance.ClientFor(clinicId);
        var now = new DateTimeOffset(2031, 5, 6, 14, 0, 0, TimeSpan.Zero);
        var session = AttendanceService.NewSession(clinicId, now.AddHours(2), 2) with { ClinicianId = clinician };
        await attendance.Schedule(session);
        attendance.Clock.Set(now);
        Assert.Equal(HttpStatusCode.Created,
            (await clinic.NotifyAbsence(new { sessionId = session.SessionId, patientId = session.PatientIds[1], reasonCategory = "illness" })).StatusCode);

        var day = (await (await clinic.GetAsync($"/api/attendance/clinicians/{clinician}/today")).Json()).EnumerateArray().Single();

        Assert.Equal([(session.PatientIds[0], false), (session.PatientIds[1], true)],
            day.GetProperty("patients").EnumerateArray().Select(p => (p.GetProperty("patientId").GetGuid(), p.GetProperty("notified").GetBoolean())));
    }
}
