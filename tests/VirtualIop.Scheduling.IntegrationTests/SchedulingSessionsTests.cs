using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.Scheduling.IntegrationTests;

[Collection(SchedulingCollection.Name)]
public sealed class SchedulingSessionsTests(SchedulingService scheduling) : IClassFixture<SchedulingService>
{
    static readonly DateTimeOffset Tomorrow = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(1).AddHours(15);

    static object SessionBody(DateTimeOffset startsAt, params Guid[] patientIds) => new
    {
        kind = "groupTherapy",
        startsAt,
        durationMinutes = 90,
        timeZone = "America/New_York",
        patientIds
    };

    static async Task<JsonElement> Json(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    [Fact]
    public async Task Scheduling_a_session_answers_201_and_the_session_reads_back_the_same()
    {
        var clinic = scheduling.ClientFor(Guid.NewGuid());
        var patients = new[] { Guid.NewGuid(), Guid.NewGuid() };
        var startsAt = new DateTimeOffset(Tomorrow.UtcDateTime.Date.AddHours(14), TimeSpan.Zero).ToOffset(TimeSpan.FromHours(-4));

        var created = await clinic.PostAsJsonAsync("/api/scheduling/sessions", SessionBody(startsAt, patients));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var session = await Json(created);
        var id = session.GetProperty("id").GetGuid();
        Assert.Equal($"/api/scheduling/sessions/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal("groupTherapy", session.GetProperty("kind").GetString());
        Assert.Equal(startsAt, session.GetProperty("startsAt").GetDateTimeOffset());
        Assert.Equal(startsAt.AddMinutes(90), session.GetProperty("endsAt").GetDateTimeOffset());
        Assert.Equal("America/New_York", session.GetProperty("timeZone").GetString());
        Assert.Equal(patients, session.GetProperty("patientIds").EnumerateArray().Select(p => p.GetGuid()));

        var read = await clinic.GetAsync(created.Headers.Location);

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(session.GetRawText(), (await Json(read)).GetRawText());
    }

    [Fact]
    public async Task A_scheduled_session_is_announced_on_the_broker_through_the_outbox()
    {
        var clinicId = Guid.NewGuid();
        var patients = new[] { Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid() };

        var created = await scheduling.ClientFor(clinicId).PostAsJsonAsync("/api/scheduling/sessions", SessionBody(Tomorrow, patients));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await Json(created)).GetProperty("id").GetGuid();

        var announced = Assert.Single(await scheduling.Broker.WaitFor<SessionScheduled>(e => e.SessionId == id, 1));
        Assert.Equal(clinicId, announced.ClinicId);
        Assert.Equal("groupTherapy", announced.Kind);
        Assert.Equal(Tomorrow, announced.StartsAt);
        Assert.Equal(Tomorrow.AddMinutes(90), announced.EndsAt);
        Assert.Equal("America/New_York", announced.TimeZone);
        Assert.Equal(patients, announced.PatientIds);
        Assert.NotEqual(Guid.Empty, announced.EventId);
    }

    public static TheoryData<string, string> InvalidSessions => new()
    {
        { """{"kind":"groupTherapy","startsAt":"2031-01-01T10:00:00Z","durationMinutes":60,"timeZone":"Mars/Olympus_Mons","patientIds":["6f1c3f8e-8d4a-4a57-9d8a-2b7e4c1d9a01"]}""", "timeZone" },
        { """{"kind":"groupTherapy","startsAt":"2031-01-01T10:00:00Z","durationMinutes":60,"timeZone":"Europe/Berlin","patientIds":[]}""", "patientIds" },
        { """{"kind":"groupTherapy","startsAt":"2020-01-01T10:00:00Z","durationMinutes":60,"timeZone":"Europe/Berlin","patientIds":["6f1c3f8e-8d4a-4a57-9d8a-2b7e4c1d9a01"]}""", "startsAt" },
        { """{"kind":"groupTherapy","startsAt":"2031-01-01T10:00:00","durationMinutes":60,"timeZone":"Europe/Berlin","patientIds":["6f1c3f8e-8d4a-4a57-9d8a-2b7e4c1d9a01"]}""", "startsAt" },
        { """{"kind":"groupTherapy","startsAt":"next tuesday","durationMinutes":60,"timeZone":"Europe/Berlin","patientIds":["6f1c3f8e-8d4a-4a57-9d8a-2b7e4c1d9a01"]}""", "startsAt" },
        { """{"kind":"yoga","startsAt":"2031-01-01T10:00:00Z","durationMinutes":60,"timeZone":"Europe/Berlin","patientIds":["6f1c3f8e-8d4a-4a57-9d8a-2b7e4c1d9a01"]}""", "kind" },
        { """{"kind":"groupTherapy","startsAt":"2031-01-01T10:00:00Z","durationMinutes":5,"timeZone":"Europe/Berlin","patientIds":["6f1c3f8e-8d4a-4a57-9d8a-2b7e4c1d9a01"]}""", "durationMinutes" },
        { """{"kind":"groupTherapy","startsAt":"2031-01-01T10:00:00Z","durationMinutes":60,"timeZone":"Europe/Berlin","patientIds":["not-a-guid"]}""", "patientIds[0]" },
        { """{"kind":"groupTherapy","startsAt":"2031-01-01T10:00:00Z","durationMinutes":60,"timeZone":"Europe/Berlin"}""", "patientIds" },
        { """{"kind":"groupTherapy","startsAt":"9999-12-31T23:59:00Z","durationMinutes":480,"timeZone":"Europe/Berlin","patientIds":["6f1c3f8e-8d4a-4a57-9d8a-2b7e4c1d9a01"]}""", "startsAt" },
        { """{"kind":"groupTherapy","startsAt":"2100-01-01T00:00:00Z","durationMinutes":60,"timeZone":"Europe/Berlin","patientIds":["6f1c3f8e-8d4a-4a57-9d8a-2b7e4c1d9a01"]}""", "startsAt" },
    };

    [Theory]
    [MemberData(nameof(InvalidSessions))]
    public async Task Bad_input_is_refused_with_400_naming_the_field_and_nothing_is_written(string body, string field)
    {
        var clinicId = Guid.NewGuid();

        var response = await scheduling.ClientFor(clinicId).PostAsync("/api/scheduling/sessions",
            new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await Json(response)).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"expected an error for '{field}', got {errors}");
        Assert.Equal((0, 0, 0), await scheduling.RowsFor(clinicId));
    }

    [Theory]
    [InlineData("""{"kind": "groupTherapy", "startsAt": """, "startsAt")]
    [InlineData("""{"kind":"groupTherapy","startsAt":"2031-01-01T10:00:00Z","durationMinutes":60,"timeZone":"Europe/Berlin","patientIds":["6f1c3f8e-8d4a-4a57-9d8a-2b7e4c1d9a01"],}""", "body")]
    [InlineData("", "body")]
    public async Task A_body_that_is_not_valid_JSON_is_refused_with_400_and_nothing_is_written(string body, string field)
    {
        var clinicId = Guid.NewGuid();

        var response = await scheduling.ClientFor(clinicId).PostAsync("/api/scheduling/sessions",
            new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Json(response)).GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal((0, 0, 0), await scheduling.RowsFor(clinicId));
    }

    [Fact]
    public async Task Another_clinic_gets_404_for_a_session_it_does_not_own()
    {
        var clinicA = scheduling.ClientFor(Guid.NewGuid());
        var clinicB = scheduling.ClientFor(Guid.NewGuid());
        var created = await clinicA.PostAsJsonAsync("/api/scheduling/sessions", SessionBody(Tomorrow, Guid.NewGuid()));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var response = await clinicB.GetAsync(created.Headers.Location);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty((await Json(await clinicB.GetAsync("/api/scheduling/sessions"))).EnumerateArray());
    }

    [Fact]
    public async Task Calls_without_a_token_get_401()
    {
        var anonymous = scheduling.AnonymousClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/scheduling/sessions")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/scheduling/sessions/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await anonymous.PostAsJsonAsync("/api/scheduling/sessions", SessionBody(Tomorrow, Guid.NewGuid()))).StatusCode);
    }

    [Fact]
    public async Task A_token_without_the_scheduling_scope_gets_403_and_nothing_is_written()
    {
        var clinicId = Guid.NewGuid();

        var response = await scheduling.ClientFor(clinicId, scope: "attendance")
            .PostAsJsonAsync("/api/scheduling/sessions", SessionBody(Tomorrow, Guid.NewGuid()));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal((0, 0, 0), await scheduling.RowsFor(clinicId));
    }

    [Fact]
    public async Task The_listing_shows_only_the_clinics_own_sessions_in_the_window_by_start()
    {
        var clinicA = scheduling.ClientFor(Guid.NewGuid());
        var clinicB = scheduling.ClientFor(Guid.NewGuid());
        async Task<Guid> Schedule(HttpClient clinic, DateTimeOffset startsAt)
        {
            var response = await clinic.PostAsJsonAsync("/api/scheduling/sessions", SessionBody(startsAt, Guid.NewGuid()));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (await Json(response)).GetProperty("id").GetGuid();
        }
        var inTwoDays = await Schedule(clinicA, Tomorrow.AddDays(1));
        var tomorrow = await Schedule(clinicA, Tomorrow);
        var inThreeWeeks = await Schedule(clinicA, Tomorrow.AddDays(20));
        var otherClinics = await Schedule(clinicB, Tomorrow);

        static async Task<Guid[]> Ids(HttpResponseMessage response)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await Json(response)).EnumerateArray().Select(s => s.GetProperty("id").GetGuid()).ToArray();
        }

        Assert.Equal([tomorrow, inTwoDays], await Ids(await clinicA.GetAsync("/api/scheduling/sessions")));
        var from = Uri.EscapeDataString(Tomorrow.ToString("O"));
        var to = Uri.EscapeDataString(Tomorrow.AddDays(30).ToString("O"));
        Assert.Equal([tomorrow, inTwoDays, inThreeWeeks], await Ids(await clinicA.GetAsync($"/api/scheduling/sessions?from={from}&to={to}")));
        Assert.Equal([otherClinics], await Ids(await clinicB.GetAsync("/api/scheduling/sessions")));
    }

    [Theory]
    [InlineData("from=yesterday", "from")]
    [InlineData("from=2031-01-01T00:00:00", "from")]
    [InlineData("from=2031-01-01T00:00:00%2B02:00&to=soon", "to")]
    [InlineData("from=9999-12-31T00:00:00Z", "from")]
    [InlineData("to=0001-01-01T00:00:00Z", "to")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    public async Task A_malformed_listing_bound_is_refused_naming_it(string query, string field)
    {
        var response = await scheduling.ClientFor(Guid.NewGuid()).GetAsync($"/api/scheduling/sessions?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Json(response)).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task A_listing_window_that_ends_before_it_starts_is_refused_naming_to()
    {
        var from = Uri.EscapeDataString(Tomorrow.ToString("O"));
        var to = Uri.EscapeDataString(Tomorrow.AddDays(-1).ToString("O"));

        var response = await scheduling.ClientFor(Guid.NewGuid()).GetAsync($"/api/scheduling/sessions?from={from}&to={to}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Json(response)).GetProperty("errors").TryGetProperty("to", out _));
    }

    [Fact]
    public async Task The_listing_pages_by_start_with_a_cursor_and_a_next_link_until_the_last_page()
    {
        var clinic = scheduling.ClientFor(Guid.NewGuid());
        var scheduled = new List<Guid>();
        foreach (var day in new[] { 3, 1, 2, 4, 5 })
        {
            var response = await clinic.PostAsJsonAsync("/api/scheduling/sessions", SessionBody(Tomorrow.AddDays(day), Guid.NewGuid()));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            scheduled.Add((await Json(response)).GetProperty("id").GetGuid());
        }
        Guid[] byStart = [scheduled[1], scheduled[2], scheduled[0], scheduled[3], scheduled[4]];

        var seen = new List<Guid>();
        var pages = 0;
        string? next = "/api/scheduling/sessions?limit=2";
        while (next is not null)
        {
            var page = await clinic.GetAsync(next);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            seen.AddRange((await Json(page)).EnumerateArray().Select(s => s.GetProperty("id").GetGuid()));
            pages++;
            next = page.Headers.TryGetValues("Link", out var links) ? links.Single().Split('>')[0].TrimStart('<') : null;
            Assert.Equal(next is null, !page.Headers.Contains("X-Next-Cursor"));
        }

        Assert.Equal(3, pages);
        Assert.Equal(byStart, seen);
    }
}
