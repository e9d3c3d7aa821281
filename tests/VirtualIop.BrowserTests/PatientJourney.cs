using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using VirtualIop.Notification.Domain;

namespace VirtualIop.BrowserTests;

/// <summary>
/// What the patient browser tests set up through the gateway as a partner would (patients, sessions, what a facilitator
/// records), and the personal links they take from the emails in the SMTP sink.
/// </summary>
public static class PatientJourney
{
    public static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(90);

    /// <summary>A session of one minute that starts soon enough for its reminder (15 s before the start) to fall due at once.</summary>
    public static async Task<Guid> ScheduleSoonSession(this HttpClient partner, Guid patient) =>
        await partner.ScheduleSession(DateTimeOffset.UtcNow.AddSeconds(25), 1, [patient]);

    /// <summary>The personal link in the newest email to <paramref name="email"/> that <paramref name="which"/> picks, once it arrived.</summary>
    public static async Task<Uri> PersonalLinkIn(this SmtpSink sink, string email, Func<ReceivedMail, bool> which, TimeSpan timeout)
    {
        var mail = await sink.LatestMessageToAsync(email, which, timeout);
        var links = await sink.LinksInAsync(mail);
        return links.FirstOrDefault(link => link.AbsolutePath.StartsWith(PatientLinks.RedeemPath, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"No personal link in '{mail.Subject}': {string.Join(", ", links)}");
    }

    public static Func<ReceivedMail, bool> Subject(string text) =>
        mail => mail.Subject?.Contains(text, StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>The token of a personal link, as <c>/p/{token}</c> carries it.</summary>
    public static string TokenOf(Uri link) => link.AbsolutePath[PatientLinks.RedeemPath.Length..];

    /// <summary>
    /// What the facilitator records for a session: retried until Engagement has heard of the session (404 before then).
    /// </summary>
    public static async Task RecordContent(this HttpClient partner, Guid sessionId, string keyPoint, string homework)
    {
        await Eventually.Until(async () =>
        {
            using var response = await partner.PutAsJsonAsync($"/api/engagement/sessions/{sessionId}/content", new
            {
                keyPoints = new[] { keyPoint },
                homework = new { title = homework, instructions = "Write down three triggers and one way to meet each.", dueOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(5)) },
                peerSupportUrl = "https://peers.example.test/group"
            });
            return response.StatusCode;
        }, status => status == HttpStatusCode.OK, $"PUT the content of session {sessionId}", EventTimeout);
    }

    /// <summary>
    /// A time zone in which it is now between 08:00 and 19:00, so that a session starting in a minute or two falls in the
    /// facilitator's working hours (07:00–21:00 local, see ClinicSeed) whenever the test runs.
    /// </summary>
    public static string DaytimeZone()
    {
        string[] zones = ["America/New_York", "America/Los_Angeles", "Pacific/Honolulu", "Pacific/Auckland", "Asia/Tokyo", "Asia/Kolkata", "Europe/Madrid"];
        return zones.First(zone => TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById(zone)).Hour is >= 8 and < 19);
    }

    /// <summary>A cohort led by a facilitator available every day, the patient enrolled, and one session of one minute starting at the next minute but one.</summary>
    public static async Task<(Guid SessionId, Guid FacilitatorId)> CohortSessionStartingSoon(this HttpClient partner, Guid patient, string timeZone)
    {
        var facilitator = Guid.NewGuid();
        var cohort = await partner.CreateCohortWithWorkingFacilitator(await partner.CreateProgram(), facilitator, timeZone);
        await partner.Enrol(cohort, patient);
        var now = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById(timeZone));
        var start = new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0).AddMinutes(2);
        var sessions = await partner.AddWeeklySeries(cohort, start, 1, durationMinutes: 1);
        var session = Assert.Single(sessions);
        await partner.Eventually($"/api/attendance/sessions/{session.Id}", body => body.GetProperty("records").GetArrayLength() == 1, EventTimeout);
        return (session.Id, facilitator);
    }

    /// <summary>Reloads the page until <paramref name="locator"/> shows (what another service sends takes a moment to arrive).</summary>
    public static async Task ReloadUntilVisible(this IPage page, ILocator locator, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (await locator.CountAsync() == 0)
        {
            if (DateTime.UtcNow >= deadline) throw new TimeoutException($"{locator} did not show on {page.Url} within {timeout}.");
            await Task.Delay(1000);
            await page.ReloadAsync();
        }
    }
}
