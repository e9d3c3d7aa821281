using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace VirtualIop.EndToEndTests;

/// <summary>
/// A notice in advance, through three services: Attendance records it, Scheduling offers makeups, Notification
/// acknowledges it; the patient books a one-on-one catch-up from the proposed slots and gets a confirmation.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class MakeupFlowTests(VirtualIopStack stack)
{
    static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(60);
    const string TimeZone = "America/New_York";

    [Fact]
    public async Task A_notice_in_advance_brings_an_acknowledgement_and_a_makeup_the_patient_books()
    {
        var partner = await stack.Gateway().AuthenticateAs(PartnerClient.DemoClinic);
        var patient = Guid.NewGuid();
        var facilitator = Guid.NewGuid();
        var email = $"notice-{patient:N}@example.test";
        Assert.Equal(HttpStatusCode.OK, (await partner.PutAsJsonAsync($"/api/notification/patients/{patient}/contact", new { email })).StatusCode);

        var cohort = await partner.CreateCohortWithWorkingFacilitator(await partner.CreateProgram(), facilitator, TimeZone);
        Assert.Equal(HttpStatusCode.Created, (await partner.PostAsJsonAsync($"/api/scheduling/cohorts/{cohort}/enrolments", new { patientId = patient })).StatusCode);
        var firstStartLocal = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow.AddDays(3), TimeZoneInfo.FindSystemTimeZoneById(TimeZone));
        var series = await partner.PostAsJsonAsync($"/api/scheduling/cohorts/{cohort}/series", new
        {
            rrule = "FREQ=WEEKLY;COUNT=2",
            startsAtLocal = firstStartLocal.ToString("yyyy-MM-dd'T'18:00", CultureInfo.InvariantCulture),
            durationMinutes = 90
        });
        Assert.Equal(HttpStatusCode.Created, series.StatusCode);
        var sessions = await partner.GetFromJsonAsync<JsonElement>($"/api/scheduling/cohorts/{cohort}/sessions");
        var sessionId = ClinicSeed.Items(sessions).OrderBy(s => s.GetProperty("startsAt").GetDateTimeOffset()).First().GetProperty("id").GetGuid();

        await partner.Eventually($"/api/attendance/sessions/{sessionId}", body => body.GetProperty("records").GetArrayLength() == 1, EventTimeout);
        var notice = await partner.PostAsJsonAsync("/api/attendance/absence-notices", new
        {
            sessionId, patientId = patient, reasonCategory = "schedulingConflict", notes = "Work shift", notifiedBy = "patient"
        });
        Assert.Equal(HttpStatusCode.Created, notice.StatusCode);
        Assert.True((await notice.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("excused").GetBoolean());

        var acknowledgement = await stack.MailSink.WaitForMessageAsync(email,
            mail => mail.Subject?.Contains("Thank you for letting us know", StringComparison.Ordinal) == true, EventTimeout);
        Assert.DoesNotContain("violat", await stack.MailSink.GetPlainTextAsync(acknowledgement), StringComparison.OrdinalIgnoreCase);

        var makeups = await partner.Eventually($"/api/scheduling/makeups?patientId={patient}", body => body.GetArrayLength() == 1, EventTimeout);
        var makeup = Assert.Single(makeups.EnumerateArray());
        Assert.Equal(sessionId, makeup.GetProperty("missedSessionId").GetGuid());
        Assert.Equal("offered", makeup.GetProperty("status").GetString());
        var makeupId = makeup.GetProperty("id").GetGuid();

        var slots = await partner.GetFromJsonAsync<JsonElement>($"/api/scheduling/makeups/{makeupId}/slots");
        var slot = slots.EnumerateArray().First();
        Assert.Equal(facilitator, slot.GetProperty("clinicianId").GetGuid());
        var booked = await partner.PostAsJsonAsync($"/api/scheduling/makeups/{makeupId}/book", new
        {
            clinicianId = facilitator, startsAt = slot.GetProperty("startsAt").GetDateTimeOffset()
        });
        Assert.Equal(HttpStatusCode.Created, booked.StatusCode);
        var makeupSession = (await booked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sessionId").GetGuid();

        await stack.MailSink.WaitForMessageAsync(email,
            mail => mail.Subject?.Contains("Your makeup is booked", StringComparison.Ordinal) == true, EventTimeout);
        var attendance = await partner.Eventually($"/api/attendance/sessions/{makeupSession}",
            body => body.GetProperty("records").GetArrayLength() == 1, EventTimeout);
        Assert.Equal(patient, attendance.GetProperty("records")[0].GetProperty("patientId").GetGuid());
        var timeline = await partner.GetFromJsonAsync<JsonElement>($"/api/attendance/patients/{patient}/timeline");
        Assert.Contains("excusedAbsence", timeline.GetRawText(), StringComparison.Ordinal);
    }
}
