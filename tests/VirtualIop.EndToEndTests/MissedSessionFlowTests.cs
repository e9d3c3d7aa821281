using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace VirtualIop.EndToEndTests;

[Collection(StackCollection.Name)]
public sealed class MissedSessionFlowTests(VirtualIopStack stack)
{
    static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_missed_session_flows_from_scheduling_to_reminder_no_show_outreach_and_follow_up()
    {
        var partner = await stack.Gateway().AuthenticateAs(PartnerClient.DemoClinic);
        var attendee = Guid.NewGuid();
        var absentee = Guid.NewGuid();
        var attendeeEmail = $"attendee-{attendee:N}@example.test";
        var absenteeEmail = $"absentee-{absentee:N}@example.test";
        foreach (var (patient, email) in new[] { (attendee, attendeeEmail), (absentee, absenteeEmail) })
        {
            var contact = await partner.PutAsJsonAsync($"/api/notification/patients/{patient}/contact", new { email });
            Assert.Equal(HttpStatusCode.OK, contact.StatusCode);
        }

        // Starts soon enough for the reminder offset to fall due, lasts one minute, then the grace window.
        var startsAt = DateTimeOffset.UtcNow.AddSeconds(25);
        var created = await partner.PostAsJsonAsync("/api/scheduling/sessions", new
        {
            kind = "groupTherapy",
            startsAt,
            durationMinutes = 1,
            timeZone = "America/New_York",
            patientIds = new[] { attendee, absentee }
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var sessionId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        await partner.Eventually($"/api/attendance/sessions/{sessionId}", body => body.GetProperty("records").GetArrayLength() == 2, EventTimeout);
        var checkIn = await partner.PostAsJsonAsync($"/api/attendance/sessions/{sessionId}/check-ins", new { patientId = attendee });
        Assert.Equal(HttpStatusCode.OK, checkIn.StatusCode);

        var reminder = await stack.MailSink.WaitForMessageAsync(attendeeEmail, timeout: EventTimeout);
        Assert.Contains(absenteeEmail, (await stack.MailSink.WaitForMessageAsync(absenteeEmail, timeout: EventTimeout)).To);

        var missedYou = await stack.MailSink.WaitForMessageAsync(absenteeEmail,
            mail => mail.Id != reminder.Id && mail.Subject?.Contains("missed you", StringComparison.OrdinalIgnoreCase) == true,
            TimeSpan.FromSeconds(120));
        var text = await stack.MailSink.GetPlainTextAsync(missedYou);
        Assert.DoesNotContain("violat", text, StringComparison.OrdinalIgnoreCase);

        var attendance = await partner.Eventually($"/api/attendance/sessions/{sessionId}",
            body => body.GetProperty("records").EnumerateArray().All(r => r.GetProperty("outcome").GetString() != "pending"), EventTimeout);
        var outcomes = attendance.GetProperty("records").EnumerateArray()
            .ToDictionary(r => r.GetProperty("patientId").GetGuid(), r => r.GetProperty("outcome").GetString());
        Assert.Equal("present", outcomes[attendee]);
        Assert.Equal("noShow", outcomes[absentee]);

        var followUps = await partner.Eventually($"/api/engagement/follow-ups?patientId={absentee}", body => body.GetArrayLength() > 0, EventTimeout);
        var task = Assert.Single(followUps.EnumerateArray());
        Assert.Equal(sessionId, task.GetProperty("sessionId").GetGuid());
        Assert.Equal("open", task.GetProperty("status").GetString());
        var attendeeFollowUps = await partner.GetFromJsonAsync<JsonElement>($"/api/engagement/follow-ups?patientId={attendee}");
        Assert.Equal(0, attendeeFollowUps.GetArrayLength());

        var deliveries = await partner.Eventually($"/api/notification/deliveries?patientId={absentee}",
            body => body.EnumerateArray().Count(d => d.GetProperty("status").GetString() == "sent") == 2, EventTimeout);
        Assert.Equal(["missedSession", "reminder"], deliveries.EnumerateArray().Select(d => d.GetProperty("kind").GetString()).Order());
        Assert.Single(await stack.MailSink.MessagesToAsync(attendeeEmail));
    }

    [Fact]
    public async Task Another_clinic_sees_none_of_the_demo_clinics_data_through_the_gateway()
    {
        var demo = await stack.Gateway().AuthenticateAs(PartnerClient.DemoClinic);
        var other = await stack.Gateway().AuthenticateAs(PartnerClient.OtherClinic);
        var patient = Guid.NewGuid();
        var created = await demo.PostAsJsonAsync("/api/scheduling/sessions", new
        {
            kind = "individualTherapy",
            startsAt = DateTimeOffset.UtcNow.AddDays(2),
            durationMinutes = 50,
            timeZone = "Europe/Madrid",
            patientIds = new[] { patient }
        });
        var sessionId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await demo.Eventually($"/api/attendance/sessions/{sessionId}", _ => true, EventTimeout);
        await demo.PutAsJsonAsync($"/api/notification/patients/{patient}/contact", new { email = $"p-{patient:N}@example.test" });

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/scheduling/sessions/{sessionId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/attendance/sessions/{sessionId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/notification/patients/{patient}/contact")).StatusCode);
        // Another clinic knows no such session: its check-in is held for a session of its own with that id, never this one.
        var checkIn = await other.PostAsJsonAsync($"/api/attendance/sessions/{sessionId}/check-ins", new { patientId = patient });
        Assert.Equal(HttpStatusCode.Accepted, checkIn.StatusCode);
        var record = (await demo.GetFromJsonAsync<JsonElement>($"/api/attendance/sessions/{sessionId}")).GetProperty("records")[0];
        Assert.Equal("pending", record.GetProperty("outcome").GetString());
        var otherSessions = await other.GetFromJsonAsync<JsonElement>("/api/scheduling/sessions?to=" + Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(3).ToString("O")));
        Assert.DoesNotContain(otherSessions.EnumerateArray(), s => s.GetProperty("id").GetGuid() == sessionId);
    }

    [Theory]
    [InlineData("scheduling", "/api/scheduling/sessions")]
    [InlineData("attendance", "/api/attendance/sessions/5b1f3c2e-0000-4000-8000-000000000001")]
    [InlineData("notification", "/api/notification/deliveries")]
    [InlineData("engagement", "/api/engagement/follow-ups")]
    public async Task A_service_reached_directly_without_a_token_answers_401(string service, string path)
    {
        var response = await stack.Service(service).GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Bad_input_through_the_gateway_gets_a_problem_naming_the_field()
    {
        var partner = await stack.Gateway().AuthenticateAs(PartnerClient.DemoClinic);

        var response = await partner.PostAsJsonAsync("/api/scheduling/sessions", new
        {
            kind = "groupTherapy",
            startsAt = DateTimeOffset.UtcNow.AddDays(1),
            durationMinutes = 60,
            timeZone = "Mars/Olympus_Mons",
            patientIds = new[] { Guid.NewGuid() }
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("timeZone", out _));
    }
}
