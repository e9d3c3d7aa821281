using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.Attendance.IntegrationTests;

/// <summary>
/// A seeded month in Chicago whose billable days are known: groups attended in full or in part, a makeup held the
/// same day as a group, a correction that takes a day away and one that gives a day, a session on the month's last
/// evening (already April in UTC) and one in April; exported as JSON and as CSV.
/// </summary>
[Collection(AttendanceCollection.Name)]
public sealed class BillingTests(AttendanceService attendance) : IClassFixture<AttendanceService>
{
    static readonly TimeSpan Cst = TimeSpan.FromHours(-6);
    static readonly TimeSpan Cdt = TimeSpan.FromHours(-5);

    [Fact]
    public async Task A_seeded_month_exports_exactly_its_billable_days_as_json_and_as_csv_with_corrections_applied()
    {
        var clinicId = Guid.NewGuid();
        var clinic = attendance.ClientFor(clinicId);
        var programId = await attendance.CreateProgram(clinicId);
        Assert.Equal(HttpStatusCode.OK, (await clinic.PutAsJsonAsync($"/api/attendance/programs/{programId}/billing",
            new { minimumMinutesPerDay = 180, hcpcsCode = "H0015", revenueCode = "0906" })).StatusCode);
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());

        SessionScheduled Group(DateTimeOffset localStart, int minutes, params Guid[] patients)
        {
            var session = AttendanceService.NewSession(clinicId, localStart, 0);
            return session with { ProgramId = programId, EndsAt = session.StartsAt.AddMinutes(minutes), PatientIds = patients, TimeZone = "America/Chicago" };
        }

        // Monday 3 March: two 90-minute groups. A attends both (billable); B only the first and misses the second.
        var g1 = Group(new(2031, 3, 3, 10, 0, 0, Cst), 90, a, b);
        var g2 = Group(new(2031, 3, 3, 12, 0, 0, Cst), 90, a, b);
        // Tuesday 4 March: one 3-hour group. A attends it, then a correction makes it an absence; B joins 30 minutes late.
        var g3 = Group(new(2031, 3, 4, 10, 0, 0, Cst), 180, a, b);
        // Wednesday 5 March: a 2-hour group, and A's one-hour makeup that afternoon: 180 together.
        var g4 = Group(new(2031, 3, 5, 10, 0, 0, Cst), 120, a);
        var makeup = Group(new(2031, 3, 5, 14, 0, 0, Cst), 60, a) with { Kind = "makeup" };
        // Thursday 6 March: a 3-hour group. A attends; B is swept as a no-show, then corrected to present.
        var g5 = Group(new(2031, 3, 6, 10, 0, 0, Cst), 180, a, b);
        // Monday 31 March, 20:00 in Chicago (1 April in UTC): still March's; Tuesday 1 April: outside the range.
        var lastEvening = Group(new(2031, 3, 31, 20, 0, 0, Cdt), 180, a);
        var april = Group(new(2031, 4, 1, 10, 0, 0, Cdt), 180, a);
        foreach (var s in new[] { g1, g2, g3, g4, makeup, g5, lastEvening, april }) await attendance.Schedule(s);

        await Attend(clinic, g1, a, 0, 90);
        await Attend(clinic, g1, b, 0, 90);
        await Attend(clinic, g2, a, 0, 90);
        await Attend(clinic, g3, a, 0, 180);
        await Attend(clinic, g3, b, 30, null);
        await Attend(clinic, g4, a, 0, 120);
        await Attend(clinic, makeup, a, 0, 60);
        await Attend(clinic, g5, a, 0, 180);
        await Attend(clinic, lastEvening, a, 0, 180);
        await Attend(clinic, april, a, 0, 180);
        await attendance.Sweep.RunOnce(april.EndsAt.AddDays(1), CancellationToken.None);
        await Correct(clinic, g3, a, "unexcusedAbsence", "Camera off and silent throughout; not in the room");
        await Correct(clinic, g5, b, "present", "Attended by phone; the platform did not record the join");

        var aDays = new[]
        {
            new Day("2031-03-03", 180, false, [(g1.SessionId, 90, false), (g2.SessionId, 90, false)]),
            new Day("2031-03-05", 180, false, [(g4.SessionId, 120, false), (makeup.SessionId, 60, false)]),
            new Day("2031-03-06", 180, false, [(g5.SessionId, 180, false)]),
            new Day("2031-03-31", 180, false, [(lastEvening.SessionId, 180, false)]),
        };
        var bDays = new[] { new Day("2031-03-06", 180, true, [(g5.SessionId, 180, true)]) };
        var expected = new[] { (Patient: a, Days: aDays), (Patient: b, Days: bDays) }.OrderBy(p => p.Patient.ToString(), StringComparer.Ordinal).ToList();
        const string Range = "from=2031-03-01&to=2031-03-31";

        var json = await clinic.GetAsync($"/api/attendance/billing/days?{Range}");

        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        var body = (await json.Json()).EnumerateArray().ToList();
        Assert.Equal(expected.Select(p => p.Patient), body.Select(p => p.GetProperty("patientId").GetGuid()));
        foreach (var (patient, days) in expected.Zip(body))
        {
            var actual = days.GetProperty("days").EnumerateArray().ToList();
            Assert.Equal(patient.Days.Length, actual.Count);
            foreach (var (want, got) in patient.Days.Zip(actual))
            {
                Assert.Equal((want.Date, programId, want.Minutes, 180, "H0015", "0906", want.Corrected),
                    (got.GetProperty("date").GetString(), got.GetProperty("programId").GetGuid(), got.GetProperty("attendedMinutes").GetInt32(),
                        got.GetProperty("minimumMinutesPerDay").GetInt32(), got.GetProperty("hcpcsCode").GetString(), got.GetProperty("revenueCode").GetString(),
                        got.GetProperty("corrected").GetBoolean()));
                Assert.Equal(want.Sessions, got.GetProperty("sessions").EnumerateArray().Select(s =>
                    (s.GetProperty("sessionId").GetGuid(), s.GetProperty("minutes").GetInt32(), s.GetProperty("corrected").GetBoolean())));
            }
        }
        Assert.Equal("makeup", body.Single(p => p.GetProperty("patientId").GetGuid() == a).GetProperty("days")[1].GetProperty("sessions")[1]
            .GetProperty("kind").GetString());
        Assert.False(json.Headers.Contains("Link"));

        var csvRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/attendance/billing/days?{Range}");
        csvRequest.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var csv = await clinic.SendAsync(csvRequest);

        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var rows = expected.SelectMany(p => p.Days.Select(d =>
            $"{p.Patient},{d.Date},{programId},H0015,0906,{d.Minutes},180,{(d.Corrected ? "true" : "false")},"
            + $"{string.Join(';', d.Sessions.Select(s => s.SessionId))},{string.Join(';', d.Sessions.Select(s => s.Minutes))}\r\n"));
        Assert.Equal("patient_id,date,program_id,hcpcs_code,revenue_code,attended_minutes,minimum_minutes_per_day,corrected,session_ids,session_minutes\r\n"
                     + string.Concat(rows), await csv.Content.ReadAsStringAsync());

        var firstPage = await clinic.GetAsync($"/api/attendance/billing/days?{Range}&limit=1");
        Assert.Equal([expected[0].Patient], (await firstPage.Json()).EnumerateArray().Select(p => p.GetProperty("patientId").GetGuid()));
        var next = Assert.Single(firstPage.Headers.GetValues("Link")).Split('>')[0].TrimStart('<');
        var secondPage = await clinic.GetAsync(next);
        Assert.Equal([expected[1].Patient], (await secondPage.Json()).EnumerateArray().Select(p => p.GetProperty("patientId").GetGuid()));
        Assert.False(secondPage.Headers.Contains("Link"));

        Assert.Empty((await (await attendance.ClientFor(Guid.NewGuid()).GetAsync($"/api/attendance/billing/days?{Range}")).Json()).EnumerateArray());
        var audited = (await attendance.AuditRows(clinicId)).Where(r => r.Resource == "attendance.billing").Select(r => r.PatientId).ToHashSet();
        Assert.Equal(new HashSet<Guid> { a, b }, audited);
    }

    [Fact]
    public async Task Billing_settings_default_to_180_minutes_without_codes_and_refuse_bad_values_naming_the_field()
    {
        var clinicId = Guid.NewGuid();
        var clinic = attendance.ClientFor(clinicId);
        var programId = await attendance.CreateProgram(clinicId);
        var path = $"/api/attendance/programs/{programId}/billing";

        var initial = await (await clinic.GetAsync(path)).Json();
        Assert.Equal((180, JsonValueKind.Null, JsonValueKind.Null), (initial.GetProperty("minimumMinutesPerDay").GetInt32(),
            initial.GetProperty("hcpcsCode").ValueKind, initial.GetProperty("revenueCode").ValueKind));
        foreach (var (body, field) in new (object, string)[]
                 {
                     (new { hcpcsCode = "H0015" }, "minimumMinutesPerDay"), (new { minimumMinutesPerDay = 0 }, "minimumMinutesPerDay"),
                     (new { minimumMinutesPerDay = 1441 }, "minimumMinutesPerDay"), (new { minimumMinutesPerDay = 180, hcpcsCode = "H15" }, "hcpcsCode"),
                     (new { minimumMinutesPerDay = 180, revenueCode = "906," }, "revenueCode"),
                 })
        {
            var refused = await clinic.PutAsJsonAsync(path, body);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.True((await refused.Json()).GetProperty("errors").TryGetProperty(field, out _), field);
        }
        Assert.Equal(180, (await (await clinic.GetAsync(path)).Json()).GetProperty("minimumMinutesPerDay").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await clinic.PutAsJsonAsync($"/api/attendance/programs/{Guid.NewGuid()}/billing",
            new { minimumMinutesPerDay = 180 })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await attendance.ClientFor(Guid.NewGuid()).GetAsync(path)).StatusCode);

        var saved = await clinic.PutAsJsonAsync(path, new { minimumMinutesPerDay = 240, hcpcsCode = "S9480", revenueCode = "0905" });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var read = await (await clinic.GetAsync(path)).Json();
        Assert.Equal((240, "S9480", "0905"), (read.GetProperty("minimumMinutesPerDay").GetInt32(), read.GetProperty("hcpcsCode").GetString(),
            read.GetProperty("revenueCode").GetString()));
    }

    [Theory]
    [InlineData("to=2031-03-31", "from")]
    [InlineData("from=2031-03-01", "to")]
    [InlineData("from=2031-03-31&to=2031-03-01", "to")]
    [InlineData("from=2031-01-01&to=2031-04-04", "to")]
    [InlineData("from=2031-02-30&to=2031-03-31", "from")]
    [InlineData("from=1999-12-31&to=2000-01-02", "from")]
    [InlineData("from=2031-03-01&to=2031-03-31&limit=0", "limit")]
    [InlineData("from=2031-03-01&to=2031-03-31&cursor=bogus", "cursor")]
    public async Task A_bad_billing_range_answers_400_naming_the_field(string query, string field)
    {
        var response = await attendance.ClientFor(Guid.NewGuid()).GetAsync($"/api/attendance/billing/days?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Json()).GetProperty("errors").TryGetProperty(field, out _), query);
    }

    [Fact]
    public async Task Billing_is_for_admins_and_coordinators_not_clinicians()
    {
        var clinicId = Guid.NewGuid();
        const string Path = "/api/attendance/billing/days?from=2031-03-01&to=2031-03-31";

        Assert.Equal(HttpStatusCode.Forbidden, (await attendance.StaffClientFor(clinicId, StaffRoles.Clinician).GetAsync(Path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await attendance.StaffClientFor(clinicId, StaffRoles.Coordinator).GetAsync(Path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await attendance.StaffClientFor(clinicId, StaffRoles.Admin).GetAsync(Path)).StatusCode);
    }

    sealed record Day(string Date, int Minutes, bool Corrected, (Guid SessionId, int Minutes, bool Corrected)[] Sessions);

    /// <summary>The patient joins <paramref name="fromMinute"/> minutes into the session and leaves at <paramref name="toMinute"/> (null: never says).</summary>
    async Task Attend(HttpClient clinic, SessionScheduled session, Guid patient, int fromMinute, int? toMinute)
    {
        attendance.Clock.Set(session.StartsAt.AddMinutes(fromMinute));
        Assert.Equal(HttpStatusCode.OK, (await clinic.CheckIn(session.SessionId, patient)).StatusCode);
        if (toMinute is not { } to) return;
        attendance.Clock.Set(session.StartsAt.AddMinutes(to));
        Assert.Equal(HttpStatusCode.OK, (await clinic.CheckOut(session.SessionId, patient)).StatusCode);
    }

    static async Task Correct(HttpClient clinic, SessionScheduled session, Guid patient, string outcome, string explanation) =>
        Assert.Equal(HttpStatusCode.OK, (await clinic.PostAsJsonAsync($"/api/attendance/sessions/{session.SessionId}/corrections",
            new { patientId = patient, outcome, explanation })).StatusCode);
}
