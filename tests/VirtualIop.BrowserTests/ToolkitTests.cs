using System.Net.Http.Json;
using System.Text.Json;

namespace VirtualIop.BrowserTests;

/// <summary>
/// The helpers the page scenarios stand on, run against the real stack: demo data seeded through the gateway with a
/// partner's token, and an email read back from the SMTP sink with its links.
/// </summary>
[Collection(BrowserStackCollection.Name)]
[Trait("Category", "Browser")]
public sealed class ToolkitTests(BrowserStack stack)
{
    [Fact]
    public async Task A_seeded_cohort_has_its_patients_enrolled_and_every_session_known_to_attendance()
    {
        var partner = await stack.Gateway().AuthenticateAs(PartnerClient.DemoClinic);
        var firstDay = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(3));

        var seeded = await partner.SeedCohort(patients: 3, weeks: 2, firstDay);

        Assert.Equal(2, seeded.Sessions.Count);
        Assert.Equal(firstDay.AddDays(7), DateOnly.FromDateTime(
            TimeZoneInfo.ConvertTime(seeded.Sessions[1].StartsAt, TimeZoneInfo.FindSystemTimeZoneById(seeded.TimeZone)).DateTime));
        var cohort = await partner.GetFromJsonAsync<JsonElement>($"/api/scheduling/cohorts/{seeded.CohortId}");
        Assert.Equal(seeded.Patients.Select(p => p.Id).Order(), cohort.GetProperty("roster").EnumerateArray().Select(id => id.GetGuid()).Order());
        foreach (var session in seeded.Sessions)
        {
            var attendance = await partner.GetFromJsonAsync<JsonElement>($"/api/attendance/sessions/{session.Id}");
            Assert.Equal(seeded.Patients.Select(p => p.Id).Order(),
                attendance.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("patientId").GetGuid()).Order());
        }
    }

    [Fact]
    public async Task The_latest_email_to_a_patient_is_read_back_with_their_personal_link_to_their_sessions()
    {
        var partner = await stack.Gateway().AuthenticateAs(PartnerClient.DemoClinic);
        var patient = await partner.AddPatient("reminded");

        // Starts soon enough for the reminder offset to fall due within the test.
        var session = await partner.ScheduleSession(DateTimeOffset.UtcNow.Add(BrowserStack.ReminderOffset).AddSeconds(10),
            durationMinutes: 30, [patient.Id]);

        var reminder = await stack.MailSink.LatestMessageToAsync(patient.Email, timeout: TimeSpan.FromSeconds(60));
        var links = await stack.MailSink.LinksInAsync(reminder);

        Assert.NotEqual(Guid.Empty, session);
        Assert.Contains(links, link => link.AbsolutePath.StartsWith("/p/", StringComparison.Ordinal) && link.Query == "?next=/patient/sessions");
    }
}
