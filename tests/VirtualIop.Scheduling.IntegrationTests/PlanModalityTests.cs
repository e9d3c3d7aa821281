using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.Scheduling.IntegrationTests;

/// <summary>
/// A modality set in Engagement's treatment-plan log (PlanAdjusted) books or releases sessions: individual takes the
/// patient off their cohort's group sessions and books one-on-ones in the facilitator's free slots over the series
/// horizon; group cancels exactly those and puts the patient back; hybrid keeps the group and adds one a week.
/// </summary>
[Collection(SchedulingCollection.Name)]
public sealed class PlanModalityTests(SchedulingService scheduling) : IClassFixture<SchedulingService>
{
    static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    sealed record Cohort(HttpClient Clinic, Guid ClinicId, Guid CohortId, Guid Facilitator, Guid Patient, Guid Other, DateTime FirstMonday,
        List<Guid> Sessions);

    /// <summary>
    /// A cohort of two meeting Monday to Friday at 18:00 New York time for two weeks from next week's Monday, whose
    /// facilitator works only Mondays and Tuesdays 09:00 to 10:00: room for one individual session on each of those days.
    /// </summary>
    async Task<Cohort> CohortWithAFacilitatorFreeMondayAndTuesdayMornings()
    {
        var clinicId = Guid.NewGuid();
        var clinic = scheduling.ClientFor(clinicId);
        var facilitator = Guid.NewGuid();
        var program = await clinic.CreateProgram(("Triggers", "groupTherapy"));
        var cohort = await clinic.CreateCohort(program.Id(), facilitator: facilitator);
        var (patient, other) = (Guid.NewGuid(), Guid.NewGuid());
        foreach (var p in new[] { patient, other }) await clinic.Enrol(cohort.Id(), p).Created();
        var today = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, NewYork).Date;
        var monday = today.AddDays(7 + ((int)DayOfWeek.Monday - (int)today.DayOfWeek + 7) % 7);
        await clinic.PostAsJsonAsync($"/api/scheduling/cohorts/{cohort.Id()}/series", new
        {
            rrule = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;COUNT=10",
            startsAtLocal = monday.AddHours(18).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture),
            durationMinutes = 180
        }).Created();
        (await clinic.PutAsJsonAsync($"/api/scheduling/clinicians/{facilitator}/availability", new
        {
            timeZone = "America/New_York",
            weeklyHours = new[] { new { day = "monday", from = "09:00", to = "10:00" }, new { day = "tuesday", from = "09:00", to = "10:00" } }
        })).EnsureSuccessStatusCode();
        var to = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(30).ToString("O"));
        var sessions = (await (await clinic.GetAsync($"/api/scheduling/cohorts/{cohort.Id()}/sessions?to={to}")).Json()).EnumerateArray().Select(s => s.Id()).ToList();
        Assert.Equal(10, sessions.Count);
        return new Cohort(clinic, clinicId, cohort.Id(), facilitator, patient, other, monday, sessions);
    }

    static PlanAdjusted Modality(Cohort cohort, string modality, DateTimeOffset at) =>
        new(Guid.NewGuid(), cohort.ClinicId, Guid.NewGuid(), cohort.Patient, "modality", null, modality, at);

    async Task Deliver(PlanAdjusted adjusted, int times = 1)
    {
        for (var i = 0; i < times; i++) await scheduling.Broker.Publish(adjusted);
        await scheduling.Consumed.WaitFor(adjusted.EventId, times);
    }

    async Task<List<Guid[]>> Rosters(Cohort cohort)
    {
        var to = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(30).ToString("O"));
        return (await (await cohort.Clinic.GetAsync($"/api/scheduling/cohorts/{cohort.CohortId}/sessions?to={to}")).Json()).EnumerateArray()
            .Select(s => s.GetProperty("patientIds").EnumerateArray().Select(p => p.GetGuid()).ToArray()).ToList();
    }

    static DateTime Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, NewYork).DateTime;

    [Fact]
    public async Task Individual_books_the_facilitators_free_slots_off_the_group_and_back_to_group_cancels_exactly_those_and_rejoins()
    {
        var cohort = await CohortWithAFacilitatorFreeMondayAndTuesdayMornings();
        // A one-on-one booked another way, with another clinician: the plan never touches it.
        var other = await cohort.Clinic.PostAsJsonAsync("/api/scheduling/bookings", new
        {
            clinicianId = Guid.NewGuid(), patientId = cohort.Patient, durationMinutes = 50, timeZone = "America/New_York",
            startsAt = new DateTimeOffset(cohort.FirstMonday.AddDays(2).AddHours(12), NewYork.GetUtcOffset(cohort.FirstMonday.AddDays(2).AddHours(12)))
        }).Created();

        var individual = Modality(cohort, "individual", DateTimeOffset.UtcNow);
        await Deliver(individual, times: 2);

        Assert.All(await Rosters(cohort), roster => Assert.Equal([cohort.Other], roster));
        var removed = await scheduling.OutboxEventsAbout(cohort.ClinicId, cohort.Patient, nameof(SessionParticipantRemoved));
        Assert.Equal(cohort.Sessions.Order(), removed.Select(r => r.SessionId).Order());
        foreach (var (session, version) in removed) Assert.Equal(await scheduling.SessionVersion(cohort.ClinicId, session), version);

        var booked = (await scheduling.IndividualSessionsOf(cohort.ClinicId, cohort.Patient)).Where(s => s.SessionId != other.Id()).ToList();
        // Five a week asked for (the cohort meets five days), two free mornings a week: two booked in each week, no failure.
        Assert.True(booked.Count >= 100, $"two a week over the 400-day horizon, got {booked.Count}");
        Assert.All(booked, s =>
        {
            Assert.Equal((cohort.Facilitator, "scheduled"), (s.ClinicianId!.Value, s.Status));
            Assert.Equal(9, Local(s.StartsAt).Hour);
            Assert.Contains(Local(s.StartsAt).DayOfWeek, new[] { DayOfWeek.Monday, DayOfWeek.Tuesday });
        });
        Assert.Equal([cohort.FirstMonday.AddHours(9), cohort.FirstMonday.AddDays(1).AddHours(9), cohort.FirstMonday.AddDays(7).AddHours(9),
            cohort.FirstMonday.AddDays(8).AddHours(9)], booked.Select(s => Local(s.StartsAt)).Where(t => t >= cohort.FirstMonday).Take(4));
        var scheduled = await scheduling.OutboxEvents(cohort.ClinicId, nameof(SessionScheduled));
        Assert.Equal(booked.Select(s => (s.SessionId, s.Version)).Order(), scheduled.Where(e => booked.Any(b => b.SessionId == e.SessionId)).Order());
        Assert.Equal(booked.Count + 1, scheduled.Count(e => !cohort.Sessions.Contains(e.SessionId)));
        Assert.Equal(1, await scheduling.InboxRows(individual.EventId, "RecordPlanAdjustment"));

        // An older adjustment arriving late changes nothing.
        await Deliver(Modality(cohort, "group", DateTimeOffset.UtcNow.AddMinutes(-5)));
        Assert.Equal(booked.Count, (await scheduling.IndividualSessionsOf(cohort.ClinicId, cohort.Patient)).Count(s => s.Status == "scheduled") - 1);
        Assert.All(await Rosters(cohort), roster => Assert.DoesNotContain(cohort.Patient, roster));

        await Deliver(Modality(cohort, "group", DateTimeOffset.UtcNow));

        var after = await scheduling.IndividualSessionsOf(cohort.ClinicId, cohort.Patient);
        Assert.Equal("scheduled", after.Single(s => s.SessionId == other.Id()).Status);
        Assert.All(after.Where(s => s.SessionId != other.Id()), s => Assert.Equal(("cancelled", "programChange"), (s.Status, s.CancelReason)));
        var cancelled = await scheduling.OutboxEvents(cohort.ClinicId, nameof(SessionCancelled));
        Assert.Equal(booked.Select(s => s.SessionId).Order(), cancelled.Select(c => c.SessionId).Order());
        foreach (var (session, version) in cancelled) Assert.Equal(await scheduling.SessionVersion(cohort.ClinicId, session), version);
        Assert.All(await Rosters(cohort), roster => Assert.Equal(new[] { cohort.Patient, cohort.Other }.Order(), roster.Order()));
        var added = await scheduling.Broker.WaitFor<SessionParticipantAdded>(e => e.ClinicId == cohort.ClinicId && e.PatientId == cohort.Patient, 10);
        Assert.Equal(cohort.Sessions.Order(), added.Select(e => e.SessionId).Order());
    }

    [Fact]
    public async Task Hybrid_keeps_the_group_sessions_and_adds_one_individual_session_a_week()
    {
        var cohort = await CohortWithAFacilitatorFreeMondayAndTuesdayMornings();

        await Deliver(Modality(cohort, "hybrid", DateTimeOffset.UtcNow));

        Assert.All(await Rosters(cohort), roster => Assert.Contains(cohort.Patient, roster));
        Assert.Empty(await scheduling.OutboxEventsAbout(cohort.ClinicId, cohort.Patient, nameof(SessionParticipantRemoved)));
        var booked = await scheduling.IndividualSessionsOf(cohort.ClinicId, cohort.Patient);
        var weeks = booked.GroupBy(s => ISOWeek.GetWeekOfYear(Local(s.StartsAt)) + 100 * ISOWeek.GetYear(Local(s.StartsAt))).ToList();
        Assert.True(weeks.Count >= 50, $"one a week over the 400-day horizon, got {weeks.Count}");
        Assert.All(weeks, w => Assert.Single(w));
        // The earliest free morning of each week: Monday, or Tuesday in a week entered on a Tuesday.
        Assert.All(booked.Where(s => Local(s.StartsAt) >= cohort.FirstMonday), s => Assert.Equal((DayOfWeek.Monday, 9, cohort.Facilitator),
            (Local(s.StartsAt).DayOfWeek, Local(s.StartsAt).Hour, s.ClinicianId!.Value)));
    }

    [Fact]
    public async Task The_horizon_worker_books_the_individual_sessions_of_the_weeks_that_come_into_reach_one_a_week_for_hybrid()
    {
        var cohort = await CohortWithAFacilitatorFreeMondayAndTuesdayMornings();
        await Deliver(Modality(cohort, "hybrid", DateTimeOffset.UtcNow));
        var booked = await scheduling.IndividualSessionsOf(cohort.ClinicId, cohort.Patient);
        var bookedUntil = booked.Max(s => s.StartsAt);

        // Booked to the horizon a moment ago: nothing is due.
        await scheduling.RollSeriesHorizon(DateTimeOffset.UtcNow);
        Assert.Equal(booked.Count, (await scheduling.IndividualSessionsOf(cohort.ClinicId, cohort.Patient)).Count);

        // Four weeks on, the horizon has moved four weeks: the plan's one a week continues into them.
        var later = DateTimeOffset.UtcNow.AddDays(28);
        await scheduling.RollSeriesHorizon(later);
        await scheduling.RollSeriesHorizon(later);

        var after = await scheduling.IndividualSessionsOf(cohort.ClinicId, cohort.Patient);
        var added = after.Where(s => s.StartsAt > bookedUntil).ToList();
        Assert.InRange(added.Count, 4, 5);
        Assert.All(added, s => Assert.Equal((DayOfWeek.Monday, 9, cohort.Facilitator, "scheduled"),
            (Local(s.StartsAt).DayOfWeek, Local(s.StartsAt).Hour, s.ClinicianId!.Value, s.Status)));
        Assert.Equal(added.Count, added.Select(s => Local(s.StartsAt).Date).Distinct().Count());
        var scheduled = await scheduling.OutboxEvents(cohort.ClinicId, nameof(SessionScheduled));
        Assert.All(added, s => Assert.Contains((s.SessionId, s.Version), scheduled));

        // Going back to group cancels those too: the worker booked them as the plan's own.
        await Deliver(Modality(cohort, "group", DateTimeOffset.UtcNow));
        Assert.All(await scheduling.IndividualSessionsOf(cohort.ClinicId, cohort.Patient), s => Assert.Equal("cancelled", s.Status));
    }

    [Fact]
    public async Task The_preview_of_individual_shows_the_group_sessions_dropped_and_the_slots_the_change_then_books_writing_nothing()
    {
        var cohort = await CohortWithAFacilitatorFreeMondayAndTuesdayMornings();
        var clinician = scheduling.StaffClientFor(cohort.ClinicId, StaffRoles.Clinician);

        var preview = await (await clinician.GetAsync($"/api/scheduling/patients/{cohort.Patient}/plan/preview?modality=individual")).Json();

        Assert.Equal(cohort.Sessions.Order(), preview.GetProperty("dropped").EnumerateArray().Select(s => s.GetProperty("sessionId").GetGuid()).Order());
        Assert.Empty(preview.GetProperty("added").EnumerateArray());
        var slots = preview.GetProperty("booked").EnumerateArray().Select(s => s.GetProperty("startsAt").GetDateTimeOffset()).ToList();
        Assert.True(slots.Count >= 100, $"two a week over the horizon, got {slots.Count}");
        Assert.True(preview.GetProperty("shortfall").GetInt32() > 0);
        Assert.Empty(await scheduling.OutboxEventsAbout(cohort.ClinicId, cohort.Patient, nameof(SessionParticipantRemoved)));
        Assert.Empty(await scheduling.IndividualSessionsOf(cohort.ClinicId, cohort.Patient));
        Assert.All(await Rosters(cohort), roster => Assert.Contains(cohort.Patient, roster));

        await Deliver(Modality(cohort, "individual", DateTimeOffset.UtcNow));

        Assert.Equal(slots, (await scheduling.IndividualSessionsOf(cohort.ClinicId, cohort.Patient)).Select(s => s.StartsAt));
        await (await clinician.GetAsync($"/api/scheduling/patients/{cohort.Patient}/plan/preview?modality=online")).AssertValidationProblem("modality");
        await (await clinician.GetAsync($"/api/scheduling/patients/{cohort.Patient}/plan/preview?modality=group&sessionsPerWeek=9"))
            .AssertValidationProblem("sessionsPerWeek");
    }

    [Fact]
    public async Task A_frequency_change_while_seen_individually_changes_the_individual_sessions_a_week_and_keeps_the_patient_off_the_group()
    {
        var cohort = await CohortWithAFacilitatorFreeMondayAndTuesdayMornings();
        await Deliver(Modality(cohort, "individual", DateTimeOffset.UtcNow.AddMinutes(-1)));
        var before = await scheduling.IndividualSessionsOf(cohort.ClinicId, cohort.Patient);

        await Deliver(new PlanAdjusted(Guid.NewGuid(), cohort.ClinicId, Guid.NewGuid(), cohort.Patient, "frequency", 1, null, DateTimeOffset.UtcNow));

        Assert.All(await Rosters(cohort), roster => Assert.Equal([cohort.Other], roster));
        var after = await scheduling.IndividualSessionsOf(cohort.ClinicId, cohort.Patient);
        var tuesdays = before.Where(s => Local(s.StartsAt).DayOfWeek == DayOfWeek.Tuesday
            && before.Any(m => m.StartsAt < s.StartsAt && m.StartsAt > s.StartsAt.AddDays(-2))).Select(s => s.SessionId).Order().ToList();
        Assert.NotEmpty(tuesdays);
        Assert.Equal(tuesdays, after.Where(s => s.Status == "cancelled").Select(s => s.SessionId).Order());
        Assert.Equal(tuesdays, (await scheduling.OutboxEvents(cohort.ClinicId, nameof(SessionCancelled))).Select(c => c.SessionId).Order());
        Assert.Empty(await scheduling.OutboxEventsAbout(cohort.ClinicId, cohort.Patient, nameof(SessionParticipantAdded)));
    }
}
