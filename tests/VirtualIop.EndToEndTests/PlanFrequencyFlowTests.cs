using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VirtualIop.TestSupport;

namespace VirtualIop.EndToEndTests;

/// <summary>
/// A clinician steps a patient down from five sessions a week to three in Engagement's plan log: Scheduling takes them
/// off Thursday and Friday, and Notification withdraws the reminders it had planned for those sessions.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class PlanFrequencyFlowTests(VirtualIopStack stack)
{
    static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(90);
    const string TimeZone = "America/New_York";

    [Fact]
    public async Task Stepping_down_from_five_to_three_a_week_drops_the_patient_from_Thursday_and_Friday_and_withdraws_their_reminders()
    {
        var partner = await stack.Gateway().AuthenticateAs(PartnerClient.DemoClinic);
        var patient = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.OK,
            (await partner.PutAsJsonAsync($"/api/notification/patients/{patient}/contact", new { email = $"plan-{patient:N}@example.test" })).StatusCode);
        var cohort = await partner.CreateCohortWithWorkingFacilitator(await partner.CreateProgram(), Guid.NewGuid(), TimeZone);
        Assert.Equal(HttpStatusCode.Created, (await partner.PostAsJsonAsync($"/api/scheduling/cohorts/{cohort}/enrolments", new { patientId = patient })).StatusCode);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
        var today = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).Date;
        var monday = today.AddDays(7 + ((int)DayOfWeek.Monday - (int)today.DayOfWeek + 7) % 7);
        Assert.Equal(HttpStatusCode.Created, (await partner.PostAsJsonAsync($"/api/scheduling/cohorts/{cohort}/series", new
        {
            rrule = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;COUNT=5",
            startsAtLocal = monday.ToString("yyyy-MM-dd'T'18:00", CultureInfo.InvariantCulture),
            durationMinutes = 90
        })).StatusCode);
        var sessions = ClinicSeed.Items(await partner.GetFromJsonAsync<JsonElement>($"/api/scheduling/cohorts/{cohort}/sessions?limit=20")).ToList();
        Assert.Equal(5, sessions.Count);
        var dropped = sessions.Where(s => TimeZoneInfo.ConvertTime(s.GetProperty("startsAt").GetDateTimeOffset(), zone).DayOfWeek
            is DayOfWeek.Thursday or DayOfWeek.Friday).Select(s => s.GetProperty("id").GetGuid()).ToHashSet();
        var reminders = $"/api/notification/deliveries?patientId={patient}&limit=200";
        await partner.Eventually(reminders, body => PlannedReminders(body).Count() == 5, EventTimeout);

        var preview = await partner.GetFromJsonAsync<JsonElement>($"/api/scheduling/patients/{patient}/plan/preview?sessionsPerWeek=3");
        Assert.Equal(dropped.Order(), preview.GetProperty("dropped").EnumerateArray().Select(s => s.GetProperty("sessionId").GetGuid()).Order());
        // Engagement knows the patient once Scheduling's roster events reached it.
        await Eventually.Until(() => partner.PostAsJsonAsync($"/api/engagement/patients/{patient}/treatment-plan/adjustments",
                new { change = "frequency", sessionsPerWeek = 3, rationale = "Evening shifts on Thursdays and Fridays." }),
            response => response.StatusCode == HttpStatusCode.Created, "the adjustment to be accepted", EventTimeout);

        var after = await partner.Eventually(reminders, body => PlannedReminders(body).Count() == 3, EventTimeout);
        Assert.DoesNotContain(PlannedReminders(after), d => dropped.Contains(d.GetProperty("sessionId").GetGuid()));
        var schedule = ClinicSeed.Items(await partner.GetFromJsonAsync<JsonElement>(
            $"/api/scheduling/patients/{patient}/sessions?to={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(21).ToString("O"))}"));
        Assert.Equal(sessions.Select(s => s.GetProperty("id").GetGuid()).Where(id => !dropped.Contains(id)).Order(),
            schedule.Select(s => s.GetProperty("id").GetGuid()).Order());
    }

    /// <summary>The sessions that still have a reminder waiting to go out, one per session.</summary>
    static IEnumerable<JsonElement> PlannedReminders(JsonElement deliveries) =>
        ClinicSeed.Items(deliveries)
            .Where(d => d.GetProperty("kind").GetString() == "reminder" && d.GetProperty("status").GetString() == "pending")
            .DistinctBy(d => d.GetProperty("sessionId").GetGuid());
}
