using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Auth;

namespace VirtualIop.Attendance.IntegrationTests;

/// <summary>
/// A clinic moving onto VirtualIop imports its cohorts' past weeks: they fill the heatmap and the policy standing from
/// day one, and raise nothing (no SessionMissed, no warning, no breach), bill nothing, and import once.
/// </summary>
[Collection(AttendanceCollection.Name)]
public sealed class HistoryImportTests(AttendanceService attendance) : IClassFixture<AttendanceService>
{
    static readonly DateTimeOffset Now = new(2031, 6, 15, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Imported_weeks_fill_the_heatmap_and_the_standing_without_a_message_or_a_bill_and_import_once()
    {
        attendance.Clock.Set(Now);
        var clinicId = Guid.NewGuid();
        var clinic = attendance.ClientFor(clinicId);
        var programId = await attendance.CreateProgram(clinicId);
        Assert.Equal(HttpStatusCode.OK, (await clinic.PutAsJsonAsync($"/api/attendance/programs/{programId}/policy",
            new { windowDays = 28, minAttendancePercent = 50, maxExcusedAbsences = 3, maxUnexcusedAbsences = 2, makeupCancelsAbsence = true })).StatusCode);
        var cohortId = Guid.NewGuid();
        var (ana, ben) = (Guid.NewGuid(), Guid.NewGuid());
        var sessions = new[] { Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid() };
        // Written as scripts/seed-demo.sh builds it with jq: instants in UTC, outcomes by their wire names.
        var body = $$"""
            {"programId":"{{programId}}","cohortId":"{{cohortId}}","timeZone":"America/New_York","sessions":[
              {"sessionId":"{{sessions[0]}}","startsAt":"2031-06-10T22:00:00Z","durationMinutes":90,"records":[
                {"patientId":"{{ana}}","outcome":"present"},{"patientId":"{{ben}}","outcome":"noShow"}]},
              {"sessionId":"{{sessions[1]}}","startsAt":"2031-06-12T22:00:00Z","durationMinutes":90,"records":[
                {"patientId":"{{ana}}","outcome":"late","minutesAttended":75},{"patientId":"{{ben}}","outcome":"unexcusedAbsence"}]},
              {"sessionId":"{{sessions[2]}}","startsAt":"2031-06-14T22:00:00Z","durationMinutes":90,"records":[
                {"patientId":"{{ana}}","outcome":"partial","minutesAttended":40},
                {"patientId":"{{ben}}","outcome":"excusedAbsence","reasonCategory":"illness"}]}]}
            """;

        var imported = await Post(clinic, body);

        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        var answer = await imported.Json();
        Assert.Equal(sessions, answer.GetProperty("imported").EnumerateArray().Select(s => s.GetGuid()));
        Assert.Empty(answer.GetProperty("alreadyImported").EnumerateArray());

        var heatmap = await (await clinic.GetAsync($"/api/attendance/cohorts/{cohortId}/heatmap")).Json();
        Assert.Equal(sessions.Select(s => (s, true)), heatmap.GetProperty("sessions").EnumerateArray()
            .Select(s => (s.GetProperty("sessionId").GetGuid(), s.GetProperty("imported").GetBoolean())));
        var cells = heatmap.GetProperty("cells").EnumerateArray()
            .ToDictionary(c => (c.GetProperty("patientId").GetGuid(), c.GetProperty("sessionId").GetGuid()), c => c.GetProperty("outcome").GetString());
        Assert.Equal(6, cells.Count);
        Assert.Equal(["present", "late", "partial"], sessions.Select(s => cells[(ana, s)]));
        Assert.Equal(["noShow", "unexcusedAbsence", "excusedAbsence"], sessions.Select(s => cells[(ben, s)]));
        var standing = heatmap.GetProperty("patients").EnumerateArray().ToDictionary(p => p.GetProperty("patientId").GetGuid(),
            p => (p.GetProperty("standing").GetString(), p.GetProperty("absencesToBreach").GetInt32()));
        // Ana attended all three (three excused absences are allowed, so the fourth would breach); Ben none of his (below 50%).
        Assert.Equal(("goodStanding", 3), standing[ana]);
        Assert.Equal(("inBreach", 0), standing[ben]);

        var summary = await (await clinic.GetAsync($"/api/attendance/patients/{ben}/summary")).Json();
        var counts = summary.GetProperty("counts");
        Assert.Equal((3, 1, 2, 1), (counts.GetProperty("sessions").GetInt32(), counts.GetProperty("excusedAbsences").GetInt32(),
            counts.GetProperty("unexcusedAbsences").GetInt32(), counts.GetProperty("noShows").GetInt32()));
        Assert.Equal("inBreach", summary.GetProperty("programs").EnumerateArray().Single().GetProperty("status").GetString());
        var partial = await clinic.Record(sessions[2], ana);
        Assert.Equal(("partial", 40), (partial.GetProperty("outcome").GetString(), partial.GetProperty("minutesAttended").GetInt32()));

        // Nothing announces the history, whenever the workers run: no miss, no warning, no breach, no attendance.
        await attendance.Sweep.RunOnce(Now.AddDays(1), CancellationToken.None);
        await attendance.Evaluator.RunOnce(Now.AddDays(1), CancellationToken.None);
        Assert.Equal(0, await OutboxRowsOf(clinicId));
        // The clinic's previous system billed those days, even one a clinician now corrects to attended.
        Assert.Equal(HttpStatusCode.OK, (await clinic.PutAsJsonAsync($"/api/attendance/programs/{programId}/billing", new { minimumMinutesPerDay = 60 })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await clinic.PostAsJsonAsync($"/api/attendance/sessions/{sessions[0]}/corrections",
            new { patientId = ben, outcome = "present", explanation = "Joined by phone; the old system missed it" })).StatusCode);
        var billing = await clinic.GetAsync("/api/attendance/billing/days?from=2031-06-01&to=2031-06-30");
        Assert.Equal(HttpStatusCode.OK, billing.StatusCode);
        Assert.Empty((await billing.Json()).EnumerateArray());

        var rows = await attendance.AttendanceRows(clinicId);
        var again = await Post(clinic, body.Replace("\"present\"", "\"noShow\"", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var second = await again.Json();
        Assert.Empty(second.GetProperty("imported").EnumerateArray());
        Assert.Equal(sessions, second.GetProperty("alreadyImported").EnumerateArray().Select(s => s.GetGuid()));
        Assert.Equal(rows, await attendance.AttendanceRows(clinicId));
        Assert.Equal("present", (await clinic.Record(sessions[0], ana)).GetProperty("outcome").GetString());

        Assert.Equal(HttpStatusCode.NotFound, (await attendance.ClientFor(Guid.NewGuid()).GetAsync($"/api/attendance/cohorts/{cohortId}/heatmap")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await attendance.ClientFor(Guid.NewGuid()).GetAttendance(sessions[0])).StatusCode);
    }

    public static TheoryData<string, string, string> BadImports => new()
    {
        { "a session that has not ended", """{"startsAt":"2031-06-15T11:00:00Z","durationMinutes":90}""", "sessions[0].startsAt" },
        { "a session in the future", """{"startsAt":"2031-06-16T11:00:00Z","durationMinutes":90}""", "sessions[0].startsAt" },
        { "a session older than 180 days", """{"startsAt":"2030-12-16T11:00:00Z","durationMinutes":90}""", "sessions[0].startsAt" },
        { "an unknown outcome", """{"outcome":"attended"}""", "sessions[0].records[0].outcome" },
        { "a pending outcome", """{"outcome":"pending"}""", "sessions[0].records[0].outcome" },
        { "more minutes than the session", """{"minutesAttended":91}""", "sessions[0].records[0].minutesAttended" },
        { "an unknown reason", """{"reasonCategory":"weather"}""", "sessions[0].records[0].reasonCategory" },
        { "a time zone that is not IANA", """{"timeZone":"Eastern Standard Time"}""", "timeZone" },
        { "an unknown program", $$"""{"programId":"{{Guid.NewGuid()}}"}""", "programId" },
    };

    [Theory]
    [MemberData(nameof(BadImports))]
    public async Task A_bad_import_answers_400_naming_the_field_and_writes_nothing(string bad, string change, string field)
    {
        attendance.Clock.Set(Now);
        var clinicId = Guid.NewGuid();
        var clinic = attendance.ClientFor(clinicId);
        var good = await GoodImport(clinicId);
        // The change goes where its fields live: the body, the first session or its first record.
        var patch = JsonDocument.Parse(change).RootElement;
        var target = patch.EnumerateObject().First().Name switch
        {
            "startsAt" or "durationMinutes" => good["sessions"]![0]!,
            "outcome" or "minutesAttended" or "reasonCategory" => good["sessions"]![0]!["records"]![0]!,
            _ => good,
        };
        foreach (var p in patch.EnumerateObject()) target[p.Name] = System.Text.Json.Nodes.JsonNode.Parse(p.Value.GetRawText());

        var response = await Post(clinic, good.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Json()).GetProperty("errors").TryGetProperty(field, out _), $"{bad}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal(0, await attendance.AttendanceRows(clinicId));
        Assert.Equal(0, await ImportedSessionsOf(clinicId));
    }

    [Fact]
    public async Task A_session_scheduled_here_is_not_history_and_a_clinician_cannot_import()
    {
        attendance.Clock.Set(Now);
        var clinicId = Guid.NewGuid();
        var clinic = attendance.ClientFor(clinicId);
        var good = await GoodImport(clinicId);
        var scheduled = AttendanceService.NewSession(clinicId, Now.AddDays(-2), 1);
        await attendance.Schedule(scheduled);
        good["sessions"]![0]!["sessionId"] = scheduled.SessionId;

        var conflict = await Post(clinic, good.ToJsonString());

        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.True((await conflict.Json()).GetProperty("errors").TryGetProperty("sessions[0].sessionId", out _));
        Assert.Equal(1, await attendance.AttendanceRows(clinicId));
        Assert.Equal(0, await ImportedSessionsOf(clinicId));
        Assert.Equal(HttpStatusCode.Forbidden, (await Post(attendance.StaffClientFor(clinicId, StaffRoles.Clinician), (await GoodImport(clinicId)).ToJsonString())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Post(attendance.StaffClientFor(clinicId, StaffRoles.Coordinator), (await GoodImport(clinicId)).ToJsonString())).StatusCode);
    }

    /// <summary>One ended session of a known program two days before <see cref="Now"/>, one patient present.</summary>
    async Task<System.Text.Json.Nodes.JsonObject> GoodImport(Guid clinicId)
    {
        var programId = await attendance.CreateProgram(clinicId);
        return System.Text.Json.Nodes.JsonNode.Parse($$"""
            {"programId":"{{programId}}","cohortId":"{{Guid.NewGuid()}}","timeZone":"America/New_York","sessions":[
              {"sessionId":"{{Guid.NewGuid()}}","startsAt":"2031-06-13T22:00:00Z","durationMinutes":90,"records":[
                {"patientId":"{{Guid.NewGuid()}}","outcome":"present"}]}]}
            """)!.AsObject();
    }

    static Task<HttpResponseMessage> Post(HttpClient client, string json) =>
        client.PostAsync("/api/attendance/history", new StringContent(json, Encoding.UTF8, "application/json"));

    async Task<int> OutboxRowsOf(Guid clinicId)
    {
        await using var db = new NpgsqlConnection(attendance.ConnectionString);
        return await db.ExecuteScalarAsync<int>("select count(*)::int from outbox_message where body ->> 'clinicId' = @Clinic",
            new { Clinic = clinicId.ToString() });
    }

    async Task<int> ImportedSessionsOf(Guid clinicId)
    {
        await using var db = new NpgsqlConnection(attendance.ConnectionString);
        return await db.ExecuteScalarAsync<int>("select count(*)::int from attendance_session where clinic_id = @Clinic and imported_at is not null",
            new { Clinic = clinicId });
    }
}
