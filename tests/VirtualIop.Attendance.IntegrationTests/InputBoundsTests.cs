using System.Net;

namespace VirtualIop.Attendance.IntegrationTests;

[Collection(AttendanceCollection.Name)]
public sealed class InputBoundsTests(AttendanceService attendance) : IClassFixture<AttendanceService>
{
    [Theory]
    [InlineData("patients/{0}/summary?from=1999-12-31T23:59:59Z", "from")]
    [InlineData("patients/{0}/summary?to=2100-01-01T00:00:00Z", "to")]
    [InlineData("cohorts/{0}/weeks?from=0001-01-01T00:00:00Z", "from")]
    [InlineData("cohorts/{0}/weeks?to=9999-12-31T23:59:59Z", "to")]
    [InlineData("cohorts/{0}/heatmap?from=0001-01-01T00:00:00Z", "from")]
    [InlineData("cohorts/{0}/heatmap?from=2030-01-01T00:00:00Z&to=2031-06-01T00:00:00Z", "to")]
    [InlineData("patients/{0}/timeline?limit=0", "limit")]
    [InlineData("patients/{0}/timeline?limit=2147483647", "limit")]
    [InlineData("patients/{0}/timeline?cursor=not-a-cursor", "cursor")]
    [InlineData("sessions/{0}/patients/{0}/corrections?limit=501", "limit")]
    [InlineData("clinicians/{0}/today?cursor=%00", "cursor")]
    public async Task A_read_past_its_bounds_is_refused_naming_the_field(string query, string field)
    {
        var response = await attendance.ClientFor(Guid.NewGuid()).GetAsync("/api/attendance/" + string.Format(System.Globalization.CultureInfo.InvariantCulture, query, Guid.NewGuid()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Json()).GetProperty("errors").TryGetProperty(field, out _), field);
    }

    [Fact]
    public async Task A_telehealth_event_dated_outside_2000_to_2100_is_refused_naming_occurredAt_and_nothing_is_recorded()
    {
        var (clinicId, secret) = attendance.NewTelehealthClinic();
        var body = new { eventId = "evt-1", sessionId = Guid.NewGuid(), participantId = Guid.NewGuid(), participantRole = "patient", kind = "joined",
            occurredAt = "1999-12-31T23:00:00Z" };

        var response = await attendance.AnonymousClient().Telehealth(clinicId, secret, body, DateTimeOffset.UtcNow);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Json()).GetProperty("errors").TryGetProperty("occurredAt", out _));
        Assert.Equal(0, await attendance.TelehealthEventRows(clinicId));
    }

    [Fact]
    public async Task A_patients_timeline_pages_newest_first_with_a_cursor()
    {
        var clinicId = Guid.NewGuid();
        var clinic = attendance.ClientFor(clinicId);
        var patient = Guid.NewGuid();
        var first = AttendanceService.NewSession(clinicId, 1) with { PatientIds = [patient] };
        var sessions = new[] { first, AttendanceService.NewSession(clinicId, first.StartsAt.AddDays(1), 1) with { PatientIds = [patient] },
            AttendanceService.NewSession(clinicId, first.StartsAt.AddDays(2), 1) with { PatientIds = [patient] } };
        foreach (var s in sessions) await attendance.Schedule(s);

        var page1 = await clinic.GetAsync($"/api/attendance/patients/{patient}/timeline?limit=2");
        var cursor = Assert.Single(page1.Headers.GetValues("X-Next-Cursor"));
        var page2 = await clinic.GetAsync($"/api/attendance/patients/{patient}/timeline?limit=2&cursor={cursor}");

        var ids = (await page1.Json()).EnumerateArray().Concat((await page2.Json()).EnumerateArray()).Select(e => e.GetProperty("sessionId").GetGuid());
        Assert.Equal(sessions.Reverse().Select(s => s.SessionId), ids);
        Assert.False(page2.Headers.Contains("X-Next-Cursor"));
    }
}
