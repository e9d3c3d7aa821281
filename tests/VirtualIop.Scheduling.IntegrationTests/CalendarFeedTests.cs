using System.Net;
using System.Net.Http.Json;
using Ical.Net;
using Ical.Net.CalendarComponents;

namespace VirtualIop.Scheduling.IntegrationTests;

[Collection(SchedulingCollection.Name)]
public sealed class CalendarFeedTests(SchedulingService scheduling) : IClassFixture<SchedulingService>
{
    static string PathOf(string url) => new Uri(url).PathAndQuery;

    async Task<(HttpResponseMessage Response, string Text)> Subscribe(string url)
    {
        var response = await scheduling.AnonymousClient().GetAsync(PathOf(url));
        return (response, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_patients_feed_parses_as_iCalendar_with_VTIMEZONE_stable_UIDs_bumped_SEQUENCE_and_cancelled_occurrences()
    {
        var scenario = await MakeupScenario.Start(scheduling);
        var (moved, cancelled) = (scenario.Sessions[1], scenario.Sessions[2]);
        var newStart = moved.GetProperty("startsAt").GetDateTimeOffset().AddHours(-1);
        Assert.Equal(HttpStatusCode.OK, (await scenario.Clinic.PostAsJsonAsync($"/api/scheduling/sessions/{moved.Id()}/reschedule",
            new { startsAt = newStart, reason = "clinicianUnavailable" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await scenario.Clinic.PostAsJsonAsync($"/api/scheduling/sessions/{cancelled.Id()}/cancel",
            new { reason = "holiday" })).StatusCode);

        var issued = await scenario.Clinic.PostAsync($"/api/scheduling/patients/{scenario.Patients[0]}/calendar-feed", null).Created();
        var (response, text) = await Subscribe(issued.GetProperty("url").GetString()!);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType?.MediaType);
        var calendar = Calendar.Load(text)!;
        Assert.Equal(["America/New_York"], calendar.TimeZones.Select(z => z.TzId));
        var events = calendar.Events.OrderBy(e => e.DtStart!.AsUtc).ToList();
        Assert.Equal(scenario.Sessions.Select(s => $"{s.Id()}@virtualiop").Order(), events.Select(e => e.Uid).Order());
        var byUid = events.ToDictionary(e => e.Uid!);
        var first = byUid[$"{scenario.Sessions[0].Id()}@virtualiop"];
        Assert.Equal((0, "CONFIRMED", "Group session"), (first.Sequence, first.Status, first.Summary));
        Assert.Equal("America/New_York", first.DtStart!.TzId);
        Assert.Equal(18, first.DtStart.Value.Hour);
        Assert.Equal(scenario.Sessions[0].GetProperty("startsAt").GetDateTimeOffset().UtcDateTime, first.DtStart.AsUtc);
        Assert.Equal(new Uri(SchedulingService.JoinUrlTemplate.Replace("{sessionId}", scenario.Sessions[0].Id().ToString())), first.Url);
        var movedEvent = byUid[$"{moved.Id()}@virtualiop"];
        Assert.Equal((1, newStart.UtcDateTime), (movedEvent.Sequence, movedEvent.DtStart!.AsUtc));
        var cancelledEvent = byUid[$"{cancelled.Id()}@virtualiop"];
        Assert.Equal((1, "CANCELLED"), (cancelledEvent.Sequence, cancelledEvent.Status));
        // Nothing identifies the patient or the clinic, and nothing clinical is in the feed.
        Assert.DoesNotContain(scenario.Patients[0].ToString(), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(scenario.ClinicId.ToString(), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Triggers", text);
    }

    [Fact]
    public async Task A_revoked_or_replaced_feed_URL_answers_404_and_an_unknown_token_too()
    {
        var scenario = await MakeupScenario.Start(scheduling);
        var patient = scenario.Patients[0];
        var first = (await scenario.Clinic.PostAsync($"/api/scheduling/patients/{patient}/calendar-feed", null).Created()).GetProperty("url").GetString()!;
        var second = (await scenario.Clinic.PostAsync($"/api/scheduling/patients/{patient}/calendar-feed", null).Created()).GetProperty("url").GetString()!;

        Assert.NotEqual(first, second);
        Assert.Equal(HttpStatusCode.NotFound, (await Subscribe(first)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Subscribe(second)).Response.StatusCode);

        await (await scheduling.ClientFor(Guid.NewGuid()).DeleteAsync($"/api/scheduling/patients/{patient}/calendar-feed")).AssertProblem(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await Subscribe(second)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await scenario.Clinic.DeleteAsync($"/api/scheduling/patients/{patient}/calendar-feed")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Subscribe(second)).Response.StatusCode);
        await (await scenario.Clinic.DeleteAsync($"/api/scheduling/patients/{patient}/calendar-feed")).AssertProblem(HttpStatusCode.NotFound);

        Assert.Equal(HttpStatusCode.NotFound, (await scheduling.AnonymousClient().GetAsync("/api/scheduling/feeds/not-a-token.ics")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await scheduling.AnonymousClient().GetAsync($"/api/scheduling/feeds/{new string('a', 43)}.ics")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await scheduling.AnonymousClient().PostAsync($"/api/scheduling/patients/{patient}/calendar-feed", null)).StatusCode);
    }

    [Fact]
    public async Task A_clinicians_feed_shows_the_groups_they_facilitate_and_their_one_on_ones()
    {
        var scenario = await MakeupScenario.Start(scheduling);
        var booking = await scenario.Clinic.PostAsJsonAsync("/api/scheduling/bookings", new
        {
            clinicianId = scenario.Facilitator, patientId = Guid.NewGuid(), startsAt = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(2).AddHours(14),
            durationMinutes = 50, timeZone = "Europe/Berlin"
        }).Created();

        var issued = await scenario.Clinic.PostAsync($"/api/scheduling/clinicians/{scenario.Facilitator}/calendar-feed", null).Created();
        var calendar = Calendar.Load((await Subscribe(issued.GetProperty("url").GetString()!)).Text)!;

        Assert.Equal(["America/New_York", "Europe/Berlin"], calendar.TimeZones.Select(z => z.TzId).Order());
        Assert.Equal(4, calendar.Events.Count);
        var oneOnOne = Assert.Single(calendar.Events, e => e.Uid == $"{booking.GetProperty("sessionId").GetGuid()}@virtualiop");
        Assert.Equal(("One-on-one session", "Europe/Berlin"), (oneOnOne.Summary, oneOnOne.DtStart!.TzId));
    }
}
