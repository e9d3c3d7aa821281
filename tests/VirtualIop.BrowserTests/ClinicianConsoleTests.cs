using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace VirtualIop.BrowserTests;

/// <summary>
/// The demo clinic's clinician signs in through the gateway's sign-in page, sees today's session of a cohort seeded with
/// known outcomes, reads each cell of its heatmap, closes the no-show's follow-up task from the work queue, and reads
/// the console in Spanish; axe-core checks every console page.
/// </summary>
[Collection(BrowserStackCollection.Name)]
[Trait("Category", "Browser")]
public sealed class ClinicianConsoleTests(BrowserStack stack, Chromium chromium) : IClassFixture<Chromium>
{
    /// <summary>The demo clinician of src/VirtualIop.Gateway/appsettings.Development.json: signs in, and leads the seeded cohort.</summary>
    static readonly Guid ClinicianId = Guid.Parse("5b0e2c7a-1d34-4f6e-8a91-0c2d3e4f5a61");
    const string Username = "clinician@demo-clinic";
    const string Password = "demo-clinician-password";

    /// <summary>From the seed to every outcome decided: the session starts within 90 s, lasts a minute, then the sweep's grace.</summary>
    static readonly TimeSpan DecisionTimeout = TimeSpan.FromMinutes(4);
    static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(60);

    /// <summary>At any hour one of these zones is inside the facilitator's 07:00–21:00 availability and on one local day for the whole session.</summary>
    static readonly string[] Zones = ["America/New_York", "Europe/Madrid", "Asia/Tokyo"];

    /// <summary>What each seeded patient did and how the console must show it: Attendance's outcome, the cell's hook and letter, its English and Spanish label.</summary>
    sealed record Expected(string Outcome, string Hook, string Letter, string English, string Spanish);

    static readonly Expected Present = new("present", "present", "P", "Present", "Presente");
    static readonly Expected Excused = new("excusedAbsence", "excused", "E", "Excused absence", "Ausencia justificada");
    static readonly Expected Unexcused = new("unexcusedAbsence", "unexcused", "U", "Unexcused absence", "Ausencia injustificada");
    static readonly Expected NoShow = new("noShow", "no-show", "N", "No-show", "No se presentó");

    sealed record SeededDay(Guid CohortId, Guid SessionId, IReadOnlyDictionary<Guid, Expected> Patients)
    {
        public Guid NoShowPatient => Patients.Single(p => p.Value == NoShow).Key;
    }

    [Fact]
    public async Task A_clinician_signs_in_reads_the_heatmap_of_known_outcomes_and_closes_the_no_shows_follow_up()
    {
        var partner = await stack.Gateway().AuthenticateAs(PartnerClient.DemoClinic);
        var seeded = await SeedDecidedSession(partner);
        var followUp = await partner.Eventually($"/api/engagement/follow-ups?patientId={seeded.NoShowPatient}",
            body => ClinicSeed.Items(body).Any(t => t.GetProperty("sessionId").GetGuid() == seeded.SessionId), EventTimeout);
        var taskId = ClinicSeed.Items(followUp).Single(t => t.GetProperty("sessionId").GetGuid() == seeded.SessionId).GetProperty("id").GetGuid();

        await using var visit = await chromium.VisitAsync(stack.GatewayAddress, this);
        await SignIn(visit);

        await TodayShowsTheSession(visit, seeded);
        await visit.AssertNoSeriousAccessibilityViolationsAsync();

        await visit.Page.GetByTestId($"today-heatmap-{seeded.SessionId}").ClickAsync();
        await Assertions.Expect(visit.Page).ToHaveURLAsync(new Regex($"/console/cohorts/{seeded.CohortId}/heatmap$"));
        await Assertions.Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Attendance heatmap");
        await visit.CaptureAsync("heatmap");
        await CellsShowTheSeed(visit, seeded, english: true);
        await visit.AssertNoSeriousAccessibilityViolationsAsync();

        var note = $"Called the patient; back next week ({taskId:N}).";
        await CloseTaskFromTheWorkQueue(visit, taskId, note);
        var closed = await partner.GetFromJsonAsync<JsonElement>($"/api/engagement/follow-ups/{taskId}");
        Assert.Equal("done", closed.GetProperty("status").GetString());
        Assert.Equal(note, closed.GetProperty("outcomeNote").GetString());

        await TheConsoleReadsInSpanish(visit, seeded);
    }

    [Fact]
    public async Task A_patients_page_reads_in_English_and_Spanish_without_serious_accessibility_violations()
    {
        var partner = await stack.Gateway().AuthenticateAs(PartnerClient.DemoClinic);
        var patient = await partner.AddPatient("console-page");
        var sessionId = await partner.ScheduleSession(DateTimeOffset.UtcNow.AddDays(2), 60, [patient.Id]);
        await partner.Eventually($"/api/attendance/sessions/{sessionId}", body => body.GetProperty("records").GetArrayLength() == 1, EventTimeout);
        await GiveNotice(partner, sessionId, patient.Id, "illness", excused: true);
        var label = patient.Id.ToString("N")[^8..];

        await using var visit = await chromium.VisitAsync(stack.GatewayAddress, this);
        await SignIn(visit);
        await visit.GoToAsync($"/console/patients/{patient.Id}", "patient");
        await Assertions.Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Patient {label}");
        await Assertions.Expect(visit.Page.GetByTestId("patient-section-standing").GetByRole(AriaRole.Heading)).ToHaveTextAsync("Policy standing");
        await Assertions.Expect(visit.Page.GetByTestId("patient-section-phase").GetByRole(AriaRole.Heading)).ToHaveTextAsync("Program phase and what is outstanding");
        await visit.AssertNoSeriousAccessibilityViolationsAsync();

        await visit.Page.GetByRole(AriaRole.Link, new() { Name = "Español" }).ClickAsync();
        await Assertions.Expect(visit.Page.Locator("html")).ToHaveAttributeAsync("lang", "es");
        await Assertions.Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Paciente {label}");
        await visit.CaptureAsync("patient-es");
        await visit.AssertNoSeriousAccessibilityViolationsAsync();
    }

    /// <summary>
    /// A cohort led by the demo clinician with one session starting within 90 seconds and lasting a minute, and five
    /// patients: two check in, one gives notice for illness (always excused), one for a scheduling conflict (too late
    /// to be excused), one does nothing (the sweep makes a no-show). Returns once Attendance has decided every outcome.
    /// </summary>
    static async Task<SeededDay> SeedDecidedSession(HttpClient partner)
    {
        var now = DateTimeOffset.UtcNow;
        var zoneId = Zones.First(z => TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById(z)).Hour is >= 8 and <= 19);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var cohort = await partner.CreateCohortWithWorkingFacilitator(await partner.CreateProgram(), ClinicianId, zoneId);
        var patients = new List<SeededPatient>();
        for (var i = 0; i < 5; i++)
        {
            var patient = await partner.AddPatient("console");
            await partner.Enrol(cohort, patient.Id);
            patients.Add(patient);
        }

        // The series takes a local start to the minute: 90 s ahead, cut to the minute, starts in 31–90 s.
        var sessions = await partner.AddWeeklySeries(cohort, TimeZoneInfo.ConvertTime(now.AddSeconds(90), zone).DateTime, weeks: 1, durationMinutes: 1);
        var sessionId = Assert.Single(sessions).Id;
        await partner.Eventually($"/api/attendance/sessions/{sessionId}", body => body.GetProperty("records").GetArrayLength() == patients.Count, EventTimeout);

        foreach (var attendee in patients.Take(2))
        {
            var checkIn = await partner.PostAsJsonAsync($"/api/attendance/sessions/{sessionId}/check-ins", new { patientId = attendee.Id });
            Assert.Equal(HttpStatusCode.OK, checkIn.StatusCode);
        }
        await GiveNotice(partner, sessionId, patients[2].Id, "illness", excused: true);
        await GiveNotice(partner, sessionId, patients[3].Id, "schedulingConflict", excused: false);

        var expected = new Dictionary<Guid, Expected>
        {
            [patients[0].Id] = Present, [patients[1].Id] = Present, [patients[2].Id] = Excused, [patients[3].Id] = Unexcused, [patients[4].Id] = NoShow
        };
        var decided = await partner.Eventually($"/api/attendance/sessions/{sessionId}",
            body => body.GetProperty("records").EnumerateArray().All(r => r.GetProperty("outcome").GetString() != "pending"), DecisionTimeout);
        var outcomes = decided.GetProperty("records").EnumerateArray()
            .ToDictionary(r => r.GetProperty("patientId").GetGuid(), r => r.GetProperty("outcome").GetString());
        Assert.Equal(expected.ToDictionary(p => p.Key, p => (string?)p.Value.Outcome), outcomes);
        return new SeededDay(cohort, sessionId, expected);
    }

    static async Task GiveNotice(HttpClient partner, Guid sessionId, Guid patientId, string reasonCategory, bool excused)
    {
        var notice = await partner.PostAsJsonAsync("/api/attendance/absence-notices", new
        {
            sessionId, patientId, reasonCategory, notifiedBy = "patient"
        });
        Assert.Equal(HttpStatusCode.Created, notice.StatusCode);
        Assert.Equal(excused, (await notice.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("excused").GetBoolean());
    }

    /// <summary>Opens the console, is sent to the gateway's sign-in page, signs in there as the demo clinician, and lands on today's sessions.</summary>
    static async Task SignIn(BrowserVisit visit)
    {
        await visit.Page.GotoAsync("/console");
        await Assertions.Expect(visit.Page).ToHaveURLAsync(new Regex("/connect/authorize"));
        await Assertions.Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sign in to VirtualIop");
        await visit.CaptureAsync("sign-in");

        await visit.Page.GetByLabel("User name").FillAsync(Username);
        await visit.Page.GetByLabel("Password", new() { Exact = true }).FillAsync(Password);
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(visit.Page).ToHaveURLAsync(new Regex("/console$"));
        await Assertions.Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Today's sessions");
        await Assertions.Expect(visit.Page.Locator(".console-nav .signed-in")).ToContainTextAsync("Dana Clinician");
        await visit.CaptureAsync("today");
    }

    /// <summary>The session is listed with each patient where they stand now that it is over.</summary>
    static async Task TodayShowsTheSession(BrowserVisit visit, SeededDay seeded)
    {
        await Assertions.Expect(visit.Page.GetByTestId($"today-session-{seeded.SessionId}")).ToBeVisibleAsync();
        foreach (var (patient, expected) in seeded.Patients)
        {
            var state = await visit.Page.GetByTestId($"today-patient-{seeded.SessionId}-{patient}").GetAttributeAsync("data-state");
            if (expected == Present)
            {
                // Checked in without a check-out: in the room, or attended once the session closed the interval.
                Assert.Contains(state, new[] { "in-now", "attended" });
            }
            else
            {
                Assert.Equal(expected == NoShow ? "missing" : "notified", state);
            }
        }
    }

    /// <summary>Each patient's cell for the session names the seeded outcome by hook, by its letter and by its label.</summary>
    static async Task CellsShowTheSeed(BrowserVisit visit, SeededDay seeded, bool english)
    {
        foreach (var (patient, expected) in seeded.Patients)
        {
            var cell = visit.Page.GetByTestId($"cell-{patient}-{seeded.SessionId}");
            Assert.Equal(expected.Hook, await cell.GetAttributeAsync("data-outcome"));
            Assert.Equal(expected.Letter, (await cell.Locator("text").TextContentAsync())?.Trim());
            var label = english ? expected.English : expected.Spanish;
            Assert.EndsWith($": {label}", await cell.GetAttributeAsync("aria-label"));
            Assert.EndsWith($": {label}", await cell.Locator("title").TextContentAsync());
        }
    }

    /// <summary>Finds the task in the work queue (following its pages), closes it as done with the note, and sees it saved and gone from the queue.</summary>
    static async Task CloseTaskFromTheWorkQueue(BrowserVisit visit, Guid taskId, string note)
    {
        await visit.GoToAsync("/console/work-queue", "work-queue");
        await Assertions.Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Work queue");
        await visit.AssertNoSeriousAccessibilityViolationsAsync();
        var row = visit.Page.GetByTestId($"task-{taskId}");
        while (await row.CountAsync() == 0)
        {
            var next = visit.Page.GetByTestId("work-queue-next");
            Assert.True(await next.CountAsync() > 0, $"The follow-up task {taskId} is on no page of the work queue.");
            await visit.GoToAsync(await next.GetAttributeAsync("href") ?? "", "work-queue-next");
        }
        Assert.Equal("open", await row.GetAttributeAsync("data-status"));

        var close = row.GetByTestId("close-task");
        await close.GetByTestId("close-task-status").SelectOptionAsync("done");
        await close.GetByTestId("close-task-note").FillAsync(note);
        await close.GetByTestId("close-task-submit").ClickAsync();

        await Assertions.Expect(visit.Page).ToHaveURLAsync(new Regex($"done={taskId}"));
        await Assertions.Expect(visit.Page.GetByTestId("task-saved")).ToHaveTextAsync("Saved.");
        await Assertions.Expect(visit.Page.GetByTestId($"task-{taskId}")).ToHaveCountAsync(0);
        await visit.CaptureAsync("work-queue-closed");
        await visit.AssertNoSeriousAccessibilityViolationsAsync();
    }

    /// <summary>Chooses Español from the work queue, then reads the work queue, the heatmap and today's sessions in Spanish.</summary>
    static async Task TheConsoleReadsInSpanish(BrowserVisit visit, SeededDay seeded)
    {
        await visit.GoToAsync("/console/work-queue", "work-queue");
        await visit.Page.GetByRole(AriaRole.Link, new() { Name = "Español" }).ClickAsync();
        await Assertions.Expect(visit.Page.Locator("html")).ToHaveAttributeAsync("lang", "es");
        await Assertions.Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Cola de trabajo");
        Assert.Equal("/console/work-queue", new Uri(visit.Page.Url).AbsolutePath);
        await visit.CaptureAsync("work-queue-es");
        await visit.AssertNoSeriousAccessibilityViolationsAsync();

        await visit.GoToAsync($"/console/cohorts/{seeded.CohortId}/heatmap", "heatmap-es");
        Assert.Equal("es", await visit.Page.Locator("html").GetAttributeAsync("lang"));
        await Assertions.Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Mapa de asistencia");
        await CellsShowTheSeed(visit, seeded, english: false);
        await visit.AssertNoSeriousAccessibilityViolationsAsync();

        await visit.GoToAsync("/console", "today-es");
        await Assertions.Expect(visit.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sesiones de hoy");
        await Assertions.Expect(visit.Page.GetByTestId($"today-session-{seeded.SessionId}")).ToBeVisibleAsync();
        await visit.AssertNoSeriousAccessibilityViolationsAsync();
    }
}
