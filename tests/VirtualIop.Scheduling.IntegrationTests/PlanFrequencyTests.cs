using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.Scheduling.IntegrationTests;

/// <summary>
/// A frequency set in Engagement's treatment-plan log (PlanAdjusted) moves the patient's future participation in their
/// cohort's series: the first N weekdays of each week, the usual roster events, the calendar feed following.
/// </summary>
[Collection(SchedulingCollection.Name)]
public sealed class PlanFrequencyTests(SchedulingService scheduling) : IClassFixture<SchedulingService>
{
    static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    sealed record Weekdays(HttpClient Clinic, Guid ClinicId, Guid CohortId, Guid Patient, Guid Other, List<JsonElement> Sessions);

    /// <summary>A cohort of two patients meeting Monday to Friday at 18:00 New York time from next week's Monday; <paramref name="count"/> null: open-ended.</summary>
    async Task<Weekdays> CohortMeetingFiveDaysAWeek(int? count)
    {
        var clinicId = Guid.NewGuid();
        var clinic = scheduling.ClientFor(clinicId);
        var program = await clinic.CreateProgram(("Triggers", "groupTherapy"));
        var cohort = await clinic.CreateCohort(program.Id());
        var (patient, other) = (Guid.NewGuid(), Guid.NewGuid());
        foreach (var p in new[] { patient, other }) await clinic.Enrol(cohort.Id(), p).Created();
        var today = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, NewYork).Date;
        var monday = today.AddDays(7 + ((int)DayOfWeek.Monday - (int)today.DayOfWeek + 7) % 7).AddHours(18);
        await clinic.PostAsJsonAsync($"/api/scheduling/cohorts/{cohort.Id()}/series", new
        {
            rrule = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR" + (count is { } n ? $";COUNT={n}" : ""),
            startsAtLocal = monday.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture),
            durationMinutes = 180
        }).Created();
        return new Weekdays(clinic, clinicId, cohort.Id(), patient, other, await CohortSessions(clinic, cohort.Id(), 30));
    }

    static async Task<List<JsonElement>> CohortSessions(HttpClient clinic, Guid cohortId, int days)
    {
        var to = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(days).ToString("O"));
        return (await (await clinic.GetAsync($"/api/scheduling/cohorts/{cohortId}/sessions?to={to}")).Json()).EnumerateArray().ToList();
    }

    static DayOfWeek LocalDay(JsonElement session) => TimeZoneInfo.ConvertTime(session.GetProperty("startsAt").GetDateTimeOffset(), NewYork).DayOfWeek;

    static Guid[] Patients(JsonElement session) => session.GetProperty("patientIds").EnumerateArray().Select(p => p.GetGuid()).ToArray();

    PlanAdjusted Frequency(Weekdays cohort, int perWeek, DateTimeOffset at) =>
        new(Guid.NewGuid(), cohort.ClinicId, Guid.NewGuid(), cohort.Patient, "frequency", perWeek, null, at);

    async Task Deliver(PlanAdjusted adjusted, int times = 1)
    {
        for (var i = 0; i < times; i++) await scheduling.Broker.Publish(adjusted);
        await scheduling.Consumed.WaitFor(adjusted.EventId, times);
    }

    async Task<JsonElement> Preview(Weekdays cohort, int perWeek, string? from = null) =>
        await (await scheduling.StaffClientFor(cohort.ClinicId, StaffRoles.Clinician)
            .GetAsync($"/api/scheduling/patients/{cohort.Patient}/plan/preview?sessionsPerWeek={perWeek}{(from is null ? "" : $"&from={from}")}")).Json();

    static Guid[] Ids(JsonElement preview, string part) =>
        preview.GetProperty(part).EnumerateArray().Select(s => s.GetProperty("sessionId").GetGuid()).Order().ToArray();

    [Fact]
    public async Task Five_to_three_a_week_drops_Thursday_and_Friday_as_previewed_and_back_to_five_adds_them_again()
    {
        var cohort = await CohortMeetingFiveDaysAWeek(count: 10);
        var feedUrl = new Uri((await cohort.Clinic.PostAsync($"/api/scheduling/patients/{cohort.Patient}/calendar-feed", null).Created())
            .GetProperty("url").GetString()!).PathAndQuery;
        var feed = scheduling.AnonymousClient();
        Assert.Equal(10, CountEvents(await feed.GetStringAsync(feedUrl)));

        var preview = await Preview(cohort, 3);
        var thursdaysAndFridays = cohort.Sessions.Where(s => LocalDay(s) is DayOfWeek.Thursday or DayOfWeek.Friday).Select(s => s.Id()).Order().ToArray();
        Assert.Equal(thursdaysAndFridays, Ids(preview, "dropped"));
        Assert.Equal(6, Ids(preview, "kept").Length);
        Assert.Empty(Ids(preview, "added"));
        Assert.All(await CohortSessions(cohort.Clinic, cohort.CohortId, 30), s => Assert.Contains(cohort.Patient, Patients(s)));

        var toThree = Frequency(cohort, 3, DateTimeOffset.UtcNow);
        await Deliver(toThree, times: 2);

        var sessions = await CohortSessions(cohort.Clinic, cohort.CohortId, 30);
        Assert.Equal([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday],
            sessions.Where(s => Patients(s).Contains(cohort.Patient)).Select(LocalDay));
        Assert.All(sessions, s => Assert.Contains(cohort.Other, Patients(s)));
        Assert.Equal(6, CountEvents(await feed.GetStringAsync(feedUrl)));
        // One removal per dropped session, in the outbox with the session's new version; the replayed event added none (inbox).
        var removed = await scheduling.OutboxEventsAbout(cohort.ClinicId, cohort.Patient, nameof(SessionParticipantRemoved));
        Assert.Equal(thursdaysAndFridays, removed.Select(r => r.SessionId).Order());
        foreach (var (session, version) in removed) Assert.Equal(await scheduling.SessionVersion(cohort.ClinicId, session), version);
        Assert.Equal(1, await scheduling.InboxRows(toThree.EventId, "RecordPlanAdjustment"));
        Assert.Equal(4, (await scheduling.Broker.WaitFor<SessionParticipantRemoved>(e => e.ClinicId == cohort.ClinicId && e.PatientId == cohort.Patient, 4)).Count);

        var back = await Preview(cohort, 5);
        Assert.Equal(thursdaysAndFridays, Ids(back, "added"));
        Assert.Empty(Ids(back, "dropped"));
        await Deliver(Frequency(cohort, 5, DateTimeOffset.UtcNow));

        Assert.All(await CohortSessions(cohort.Clinic, cohort.CohortId, 30), s => Assert.Contains(cohort.Patient, Patients(s)));
        Assert.Equal(10, CountEvents(await feed.GetStringAsync(feedUrl)));
        var added = await scheduling.Broker.WaitFor<SessionParticipantAdded>(e => e.ClinicId == cohort.ClinicId && e.PatientId == cohort.Patient, 4);
        Assert.Equal(thursdaysAndFridays, added.Select(e => e.SessionId).Order());
    }

    [Fact]
    public async Task An_older_adjustment_arriving_late_and_a_replay_change_nothing()
    {
        var cohort = await CohortMeetingFiveDaysAWeek(count: 10);
        var newest = Frequency(cohort, 2, DateTimeOffset.UtcNow);
        await Deliver(newest);
        await Deliver(Frequency(cohort, 4, DateTimeOffset.UtcNow.AddMinutes(-5)));
        await Deliver(newest);

        var on = (await CohortSessions(cohort.Clinic, cohort.CohortId, 30)).Where(s => Patients(s).Contains(cohort.Patient)).Select(LocalDay);
        Assert.Equal([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Monday, DayOfWeek.Tuesday], on);
        Assert.Equal(6, (await scheduling.OutboxEventsAbout(cohort.ClinicId, cohort.Patient, nameof(SessionParticipantRemoved))).Count);
        Assert.Empty(await scheduling.OutboxEventsAbout(cohort.ClinicId, cohort.Patient, nameof(SessionParticipantAdded)));
    }

    [Fact]
    public async Task A_frequency_from_a_later_date_leaves_the_weeks_before_it_alone()
    {
        var cohort = await CohortMeetingFiveDaysAWeek(count: 10);
        var secondMonday = cohort.Sessions[5].GetProperty("startsAt").GetDateTimeOffset();
        var from = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(secondMonday, NewYork).DateTime);

        var preview = await Preview(cohort, 3, from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await Deliver(Frequency(cohort, 3, DateTimeOffset.UtcNow) with { EffectiveFrom = from });

        var sessions = await CohortSessions(cohort.Clinic, cohort.CohortId, 30);
        Assert.All(sessions.Take(5), s => Assert.Contains(cohort.Patient, Patients(s)));
        Assert.Equal([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday],
            sessions.Skip(5).Where(s => Patients(s).Contains(cohort.Patient)).Select(LocalDay));
        Assert.Equal(Ids(preview, "dropped"),
            (await scheduling.OutboxEventsAbout(cohort.ClinicId, cohort.Patient, nameof(SessionParticipantRemoved))).Select(r => r.SessionId).Order());
        Assert.Equal(from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            (await (await cohort.Clinic.GetAsync($"/api/scheduling/patients/{cohort.Patient}/plan")).Json()).GetProperty("frequencyEffectiveFrom").GetString());
    }

    [Fact]
    public async Task Occurrences_materialised_later_by_the_horizon_worker_follow_the_patients_frequency()
    {
        var cohort = await CohortMeetingFiveDaysAWeek(count: null);
        await Deliver(Frequency(cohort, 3, DateTimeOffset.UtcNow));

        // The service materialises 400 days ahead; rolling the horizon three weeks on adds the weeks after it.
        Assert.True(await scheduling.RollSeriesHorizon(DateTimeOffset.UtcNow.AddDays(21)) >= 1);

        var weeks = await scheduling.ParticipationByWeek(cohort.ClinicId, cohort.CohortId, cohort.Patient, cohort.Other);
        Assert.True(weeks.Count >= 59, $"421 days of weeks, the rolled ones included, got {weeks.Count}");
        var whole = weeks.Where(w => w.Sessions == 5).ToList();
        Assert.All(whole, w => Assert.Equal((5, 3), (w.Other, w.Patient)));
        var newest = await scheduling.Broker.WaitFor<SessionScheduled>(e => e.ClinicId == cohort.ClinicId && e.StartsAt > DateTimeOffset.UtcNow.AddDays(400), 5);
        Assert.All(newest, e => Assert.Contains(cohort.Other, e.PatientIds));
        Assert.Contains(newest, e => !e.PatientIds.Contains(cohort.Patient));
    }

    [Fact]
    public async Task A_patient_who_joins_a_cohort_with_a_frequency_already_planned_joins_only_the_sessions_it_chooses()
    {
        var cohort = await CohortMeetingFiveDaysAWeek(count: 10);
        var newcomer = cohort with { Patient = Guid.NewGuid() };
        await Deliver(Frequency(newcomer, 2, DateTimeOffset.UtcNow));

        await cohort.Clinic.Enrol(cohort.CohortId, newcomer.Patient).Created();

        var on = (await CohortSessions(cohort.Clinic, cohort.CohortId, 30)).Where(s => Patients(s).Contains(newcomer.Patient)).Select(LocalDay);
        Assert.Equal([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Monday, DayOfWeek.Tuesday], on);
        Assert.Equal(4, (await scheduling.OutboxEventsAbout(cohort.ClinicId, newcomer.Patient, nameof(SessionParticipantAdded))).Count);
        Assert.Empty(await scheduling.OutboxEventsAbout(cohort.ClinicId, newcomer.Patient, nameof(SessionParticipantRemoved)));
    }

    [Theory]
    [InlineData("sessionsPerWeek=0", "sessionsPerWeek")]
    [InlineData("sessionsPerWeek=8", "sessionsPerWeek")]
    [InlineData("sessionsPerWeek=three", "sessionsPerWeek")]
    [InlineData("", "sessionsPerWeek")]
    [InlineData("sessionsPerWeek=3&from=next-monday", "from")]
    [InlineData("sessionsPerWeek=3&from=9999-01-01", "from")]
    public async Task A_bad_preview_is_refused_naming_the_field(string query, string field)
    {
        var cohort = await CohortMeetingFiveDaysAWeek(count: 5);
        var response = await scheduling.StaffClientFor(cohort.ClinicId, StaffRoles.Clinician)
            .GetAsync($"/api/scheduling/patients/{cohort.Patient}/plan/preview?{query}");
        await response.AssertValidationProblem(field);
    }

    [Fact]
    public async Task The_preview_answers_404_for_an_unenrolled_or_other_clinics_patient_and_refuses_patients_and_admins()
    {
        var cohort = await CohortMeetingFiveDaysAWeek(count: 5);
        var url = $"/api/scheduling/patients/{cohort.Patient}/plan/preview?sessionsPerWeek=3";
        await (await scheduling.StaffClientFor(Guid.NewGuid(), StaffRoles.Clinician).GetAsync(url)).AssertProblem(HttpStatusCode.NotFound);
        await (await cohort.Clinic.GetAsync($"/api/scheduling/patients/{Guid.NewGuid()}/plan/preview?sessionsPerWeek=3")).AssertProblem(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.Forbidden, (await scheduling.PatientClientFor(cohort.ClinicId, cohort.Patient).GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await scheduling.StaffClientFor(cohort.ClinicId, StaffRoles.Admin).GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await scheduling.StaffClientFor(cohort.ClinicId, StaffRoles.Coordinator).GetAsync(url)).StatusCode);
        // A dry run writes nothing.
        Assert.Empty(await scheduling.OutboxEventsAbout(cohort.ClinicId, cohort.Patient, nameof(SessionParticipantRemoved)));
    }

    static int CountEvents(string calendar) => calendar.Split("BEGIN:VEVENT").Length - 1;
}
