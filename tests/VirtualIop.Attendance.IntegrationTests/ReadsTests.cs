using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace VirtualIop.Attendance.IntegrationTests;

/// <summary>The reads across sessions: a patient's summary, a cohort's weeks, a clinician's day (the service's clock is set).</summary>
[Collection(AttendanceCollection.Name)]
public sealed class ReadsTests(AttendanceService attendance) : IClassFixture<AttendanceService>
{
    [Fact]
    public async Task A_patients_summary_counts_each_outcome_and_shows_the_distance_to_each_limit()
    {
        var clinicId = Guid.NewGuid();
        var programId = await attendance.CreateProgram(clinicId);
        var patient = Guid.NewGuid();
        var clinic = attendance.ClientFor(clinicId);
        await clinic.PutAsJsonAsync($"/api/attendance/programs/{programId}/policy",
            new { windowDays = 28, minAttendancePercent = 50, maxExcusedAbsences = 3, maxUnexcusedAbsences = 2, makeupCancelsAbsence = true });
        var start = new DateTimeOffset(2031, 3, 3, 16, 0, 0, TimeSpan.Zero);
        var sessions = Enumerable.Range(0, 3)
            .Select(i => AttendanceService.NewSession(clinicId, start.AddDays(i), 1) with { ProgramId = programId, PatientIds = [patient] }).ToList();
        foreach (var s in sessions) await attendance.Schedule(s);

        attendance.Clock.Set(sessions[0].StartsAt);
        await clinic.CheckIn(sessions[0].SessionId, patient);
        await clinic.NotifyAbsence(new { sessionId = sessions[1].SessionId, patientId = patient, reasonCategory = "illness" });
        await attendance.Sweep.RunOnce(sessions[2].EndsAt + AttendanceService.NoShowGrace, CancellationToken.None);
        attendance.Clock.Set(sessions[2].EndsAt.AddHours(1));
        var summary = await clinic.GetAsync($"/api/attendance/patients/{patient}/summary");

        Assert.Equal(HttpStatusCode.OK, summary.StatusCode);
        var body = await summary.Json();
        var counts = body.GetProperty("counts");
        Assert.Equal((3, 1, 1, 1, 1), (counts.GetProperty("sessions").GetInt32(), counts.GetProperty("present").GetInt32(),
            counts.GetProperty("excusedAbsences").GetInt32(), counts.GetProperty("unexcusedAbsences").GetInt32(), counts.GetProperty("noShows").GetInt32()));
        Assert.Equal(33.33m, body.GetProperty("attendanceRate").GetDecimal());
        var program = Assert.Single(body.GetProperty("programs").EnumerateArray().ToList());
        Assert.Equal((programId, "inBreach"), (program.GetProperty("programId").GetGuid(), program.GetProperty("status").GetString()));
        var rules = program.GetProperty("rules").EnumerateArray().ToDictionary(r => r.GetProperty("rule").GetString()!, r => r.GetProperty("absencesToBreach"));
        Assert.Equal((0, 3, 2), (rules["minAttendancePercent"].GetInt32(), rules["maxExcusedAbsences"].GetInt32(), rules["maxUnexcusedAbsences"].GetInt32()));
        Assert.Equal(HttpStatusCode.NotFound, (await attendance.ClientFor(Guid.NewGuid()).GetAsync($"/api/attendance/patients/{patient}/summary")).StatusCode);
        var badRange = await clinic.GetAsync($"/api/attendance/patients/{patient}/summary?from=2031-03-05T00:00:00Z&to=2031-03-01T00:00:00Z");
        Assert.Equal(HttpStatusCode.BadRequest, badRange.StatusCode);
        Assert.True((await badRange.Json()).GetProperty("errors").TryGetProperty("to", out _));
        var firstDayOnly = await (await clinic.GetAsync($"/api/attendance/patients/{patient}/summary?from=2031-03-03T00:00:00Z&to=2031-03-04T00:00:00Z")).Json();
        Assert.Equal(100m, firstDayOnly.GetProperty("attendanceRate").GetDecimal());
    }

    [Fact]
    public async Task A_cohorts_attendance_is_grouped_by_iso_week_in_the_cohorts_time_zone()
    {
        var clinicId = Guid.NewGuid();
        var cohortId = Guid.NewGuid();
        var clinic = attendance.ClientFor(clinicId);
        // Sunday 12 January 2031, 20:00 in Chicago, is already Monday in UTC: it still belongs to the local week 2031-W02.
        var sunday = AttendanceService.NewSession(clinicId, new DateTimeOffset(2031, 1, 12, 20, 0, 0, TimeSpan.FromHours(-6)), 2) with { CohortId = cohortId };
        var monday = AttendanceService.NewSession(clinicId, new DateTimeOffset(2031, 1, 13, 18, 0, 0, TimeSpan.FromHours(-6)), 2) with { CohortId = cohortId };
        await attendance.Schedule(sunday);
        await attendance.Schedule(monday);
        attendance.Clock.Set(sunday.StartsAt);
        await clinic.CheckIn(sunday.SessionId, sunday.PatientIds[0]);

        var response = await clinic.GetAsync($"/api/attendance/cohorts/{cohortId}/weeks");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var weeks = (await response.Json()).EnumerateArray().ToList();
        Assert.Equal([("2031-W02", "2031-01-06", 1), ("2031-W03", "2031-01-13", 1)],
            weeks.Select(w => (w.GetProperty("week").GetString(), w.GetProperty("weekStartsOn").GetString(), w.GetProperty("sessions").GetInt32())));
        Assert.Equal((1, 1, 100m), (weeks[0].GetProperty("outcomes").GetProperty("present").GetInt32(),
            weeks[0].GetProperty("outcomes").GetProperty("pending").GetInt32(), weeks[0].GetProperty("attendanceRate").GetDecimal()));
        Assert.Equal(JsonValueKind.Null, weeks[1].GetProperty("attendanceRate").ValueKind);
        Assert.Equal(HttpStatusCode.NotFound, (await attendance.ClientFor(Guid.NewGuid()).GetAsync($"/api/attendance/cohorts/{cohortId}/weeks")).StatusCode);
    }

    [Fact]
    public async Task A_clinicians_day_lists_their_sessions_of_the_local_day_with_who_is_in_the_room_now()
    {
        var clinicId = Guid.NewGuid();
        var clinician = Guid.NewGuid();
        var clinic = attendance.ClientFor(clinicId);
        var now = new DateTimeOffset(2031, 2, 3, 16, 10, 0, TimeSpan.Zero); // 10:10 in Chicago
        var morning = AttendanceService.NewSession(clinicId, now.AddMinutes(-10), 2) with { ClinicianId = clinician };
        var evening = AttendanceService.NewSession(clinicId, new DateTimeOffset(2031, 2, 3, 21, 0, 0, TimeSpan.FromHours(-6)), 1) with { ClinicianId = clinician };
        var tomorrow = AttendanceService.NewSession(clinicId, now.AddDays(1), 1) with { ClinicianId = clinician };
        var colleagues = AttendanceService.NewSession(clinicId, now, 1) with { ClinicianId = Guid.NewGuid() };
        foreach (var s in new[] { morning, evening, tomorrow, colleagues }) await attendance.Schedule(s);
        attendance.Clock.Set(morning.StartsAt);
        await clinic.CheckIn(morning.SessionId, morning.PatientIds[0]);
        await clinic.CheckIn(morning.SessionId, morning.PatientIds[1]);
        await clinic.CheckInStaff(morning.SessionId, clinician);
        attendance.Clock.Set(now.AddMinutes(-5));
        await clinic.CheckOut(morning.SessionId, morning.PatientIds[1]);
        attendance.Clock.Set(now);

        var response = await clinic.GetAsync($"/api/attendance/clinicians/{clinician}/today");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var day = (await response.Json()).EnumerateArray().ToList();
        Assert.Equal([morning.SessionId, evening.SessionId], day.Select(s => s.GetProperty("sessionId").GetGuid()));
        var patients = day[0].GetProperty("patients").EnumerateArray()
            .Select(p => (p.GetProperty("patientId").GetGuid(), p.GetProperty("inNow").GetBoolean())).ToList();
        Assert.Equal([(morning.PatientIds[0], true), (morning.PatientIds[1], false)], patients);
        Assert.Equal([clinician], day[0].GetProperty("staffInNow").EnumerateArray().Select(s => s.GetGuid()));
        Assert.Empty((await (await attendance.ClientFor(Guid.NewGuid()).GetAsync($"/api/attendance/clinicians/{clinician}/today")).Json()).EnumerateArray());
    }

    [Fact]
    public async Task A_clinicians_day_pages_by_cursor_in_start_order_and_names_a_bad_limit_or_cursor()
    {
        var clinicId = Guid.NewGuid();
        var clinician = Guid.NewGuid();
        var clinic = attendance.ClientFor(clinicId);
        var now = new DateTimeOffset(2031, 2, 4, 16, 10, 0, TimeSpan.Zero); // 10:10 in Chicago
        var morning = AttendanceService.NewSession(clinicId, now.AddMinutes(-10), 1) with { ClinicianId = clinician };
        // Two sessions at one instant straddle the page boundary: the id orders them, so neither is skipped nor repeated.
        var afternoon = Enumerable.Range(0, 2).Select(_ => AttendanceService.NewSession(clinicId, now.AddHours(3), 1) with { ClinicianId = clinician })
            .OrderBy(s => s.SessionId.ToString(), StringComparer.Ordinal).ToList();
        foreach (var s in afternoon.Prepend(morning)) await attendance.Schedule(s);
        attendance.Clock.Set(now);
        var path = $"/api/attendance/clinicians/{clinician}/today";

        var first = await clinic.GetAsync($"{path}?limit=2");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal([morning.SessionId, afternoon[0].SessionId], (await first.Json()).EnumerateArray().Select(s => s.GetProperty("sessionId").GetGuid()));
        var link = Assert.Single(first.Headers.GetValues("Link"));
        Assert.EndsWith("; rel=\"next\"", link);
        var next = link.Split('>')[0].TrimStart('<');
        Assert.Contains("limit=2", next);
        Assert.EndsWith($"cursor={Assert.Single(first.Headers.GetValues("X-Next-Cursor"))}", next);

        var second = await clinic.GetAsync(next);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal([afternoon[1].SessionId], (await second.Json()).EnumerateArray().Select(s => s.GetProperty("sessionId").GetGuid()));
        Assert.False(second.Headers.Contains("Link"));
        Assert.False(second.Headers.Contains("X-Next-Cursor"));

        foreach (var (query, field) in new[] { ("limit=0", "limit"), ("limit=501", "limit"), ("limit=ten", "limit"), ("cursor=bogus", "cursor") })
        {
            var refused = await clinic.GetAsync($"{path}?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.True((await refused.Json()).GetProperty("errors").TryGetProperty(field, out _), query);
        }
        var stranger = await attendance.ClientFor(Guid.NewGuid()).GetAsync($"{path}?limit=2");
        Assert.Empty((await stranger.Json()).EnumerateArray());
        Assert.False(stranger.Headers.Contains("Link"));
    }
}
