using System.Net;
using System.Net.Http.Json;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.TestSupport;

namespace VirtualIop.Attendance.IntegrationTests;

[Collection(AttendanceCollection.Name)]
public sealed class PolicyTests(AttendanceService attendance) : IClassFixture<AttendanceService>
{
    [Fact]
    public async Task The_patient_is_warned_at_the_limit_then_breached_past_it_and_a_completed_makeup_takes_the_weight_away()
    {
        var clinicId = Guid.NewGuid();
        var programId = await attendance.CreateProgram(clinicId);
        var clinic = attendance.ClientFor(clinicId);
        var policy = await clinic.PutAsJsonAsync($"/api/attendance/programs/{programId}/policy",
            new { windowDays = 28, minAttendancePercent = 0, maxExcusedAbsences = 5, maxUnexcusedAbsences = 1, makeupCancelsAbsence = true });
        Assert.Equal(HttpStatusCode.OK, policy.StatusCode);
        var patient = Guid.NewGuid();
        var first = AttendanceService.NewSession(clinicId, 1) with { ProgramId = programId, PatientIds = [patient] };
        var second = AttendanceService.NewSession(clinicId, first.StartsAt.AddDays(1), 1) with { ProgramId = programId, PatientIds = [patient] };
        await attendance.Schedule(first);
        await attendance.Schedule(second);

        attendance.Clock.Set(first.StartsAt.AddMinutes(5));
        Assert.Equal(HttpStatusCode.OK, (await clinic.RecordAbsence(first.SessionId,
            new { patientId = patient, outcome = "unexcusedAbsence", reasonCategory = "lowMotivation" })).StatusCode);
        await attendance.Evaluator.RunOnce(first.EndsAt.AddHours(1), CancellationToken.None);
        var warning = Assert.Single(await attendance.Broker.WaitFor<AttendanceWarning>(e => e.PatientId == patient, 1));
        Assert.Equal(("maxUnexcusedAbsences", 1m, 1m, programId), (warning.Rule, warning.Current, warning.Limit, warning.ProgramId));

        await attendance.Sweep.RunOnce(second.EndsAt + AttendanceService.NoShowGrace, CancellationToken.None);
        await attendance.Evaluator.RunOnce(second.EndsAt.AddHours(1), CancellationToken.None);
        var breach = Assert.Single(await attendance.Broker.WaitFor<PolicyBreached>(e => e.PatientId == patient, 1));
        Assert.Equal(("maxUnexcusedAbsences", 2m, 1m), (breach.Rule, breach.Current, breach.Limit));
        Assert.Equal("inBreach", (await Standing(clinic, programId, patient)).GetProperty("status").GetString());

        var makeup = new MakeupCompleted(Guid.CreateVersion7(), clinicId, Guid.NewGuid(), second.SessionId, patient, "recording", second.EndsAt.AddHours(2));
        await attendance.Broker.Publish(makeup);
        await attendance.Broker.Publish(makeup);
        await attendance.Consumed.WaitFor(makeup.EventId, times: 2);
        await attendance.Evaluator.RunOnce(second.EndsAt.AddHours(3), CancellationToken.None);

        var standing = await Standing(clinic, programId, patient);
        Assert.Equal("atRisk", standing.GetProperty("status").GetString());
        var rule = standing.GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("rule").GetString() == "maxUnexcusedAbsences");
        Assert.Equal((1m, 1), (rule.GetProperty("current").GetDecimal(), rule.GetProperty("absencesToBreach").GetInt32()));
        await Eventually.Until(attendance.UnsentOutboxRows, n => n == 0, "the outbox to drain");
        Assert.Single(attendance.Broker.Received<AttendanceWarning>(e => e.PatientId == patient));
        Assert.Single(attendance.Broker.Received<PolicyBreached>(e => e.PatientId == patient));
    }

    [Fact]
    public async Task A_program_without_a_policy_has_the_default_and_a_bad_policy_is_refused_naming_the_field()
    {
        var clinicId = Guid.NewGuid();
        var clinic = attendance.ClientFor(clinicId);
        var programId = await attendance.CreateProgram(clinicId);

        var bad = await clinic.PutAsJsonAsync($"/api/attendance/programs/{programId}/policy",
            new
            {
                windowDays = 0, minAttendancePercent = 120, maxExcusedAbsences = 1, maxUnexcusedAbsences = -1, makeupCancelsAbsence = true,
                lateAfterMinutes = -1, noticeHours = 10000, excusedReasons = new[] { "illness", "hangover" }
            });
        var current = await clinic.GetAsync($"/api/attendance/programs/{programId}/policy");

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Json()).GetProperty("errors");
        Assert.All(new[] { "windowDays", "minAttendancePercent", "maxUnexcusedAbsences", "lateAfterMinutes", "noticeHours", "excusedReasons" }, f => Assert.True(errors.TryGetProperty(f, out _), f));
        Assert.Equal(28, (await current.Json()).GetProperty("windowDays").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await clinic.GetAsync($"/api/attendance/programs/{programId}/patients/{Guid.NewGuid()}/standing")).StatusCode);
    }

    [Fact]
    public async Task A_programs_own_late_threshold_and_notice_hours_decide_its_sessions()
    {
        var clinicId = Guid.NewGuid();
        var programId = await attendance.CreateProgram(clinicId);
        var clinic = attendance.ClientFor(clinicId);
        var set = await clinic.PutAsJsonAsync($"/api/attendance/programs/{programId}/policy", new
        {
            windowDays = 28, minAttendancePercent = 75, maxExcusedAbsences = 4, maxUnexcusedAbsences = 2, makeupCancelsAbsence = true,
            lateAfterMinutes = 5, partialBelowPercent = 50, noticeHours = 48, excusedReasons = Array.Empty<string>()
        });
        var outside = AttendanceService.NewSession(clinicId, patients: 2);
        var inProgram = outside with { EventId = Guid.CreateVersion7(), SessionId = Guid.NewGuid(), ProgramId = programId };
        await attendance.Schedule(outside);
        await attendance.Schedule(inProgram);

        attendance.Clock.Set(inProgram.StartsAt.AddHours(-30));
        var programNotice = await (await clinic.NotifyAbsence(new
            { sessionId = inProgram.SessionId, patientId = inProgram.PatientIds[1], reasonCategory = "illness" })).Json();
        var defaultNotice = await (await clinic.NotifyAbsence(new
            { sessionId = outside.SessionId, patientId = outside.PatientIds[1], reasonCategory = "schedulingConflict" })).Json();
        attendance.Clock.Set(inProgram.StartsAt.AddMinutes(6));
        var programJoin = await (await clinic.CheckIn(inProgram.SessionId, inProgram.PatientIds[0])).Json();
        var defaultJoin = await (await clinic.CheckIn(outside.SessionId, outside.PatientIds[0])).Json();

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var policy = await (await clinic.GetAsync($"/api/attendance/programs/{programId}/policy")).Json();
        Assert.Equal((5, 50, 48, 0), (policy.GetProperty("lateAfterMinutes").GetInt32(), policy.GetProperty("partialBelowPercent").GetInt32(),
            policy.GetProperty("noticeHours").GetInt32(), policy.GetProperty("excusedReasons").GetArrayLength()));
        Assert.Equal("late", programJoin.GetProperty("outcome").GetString());
        Assert.Equal("present", defaultJoin.GetProperty("outcome").GetString());
        Assert.False(programNotice.GetProperty("excused").GetBoolean());
        Assert.True(defaultNotice.GetProperty("excused").GetBoolean());
    }

    static async Task<System.Text.Json.JsonElement> Standing(HttpClient clinic, Guid programId, Guid patientId)
    {
        var response = await clinic.GetAsync($"/api/attendance/programs/{programId}/patients/{patientId}/standing");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Json();
    }
}
