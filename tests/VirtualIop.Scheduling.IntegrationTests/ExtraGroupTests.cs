using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.Scheduling.IntegrationTests;

[Collection(SchedulingCollection.Name)]
public sealed class ExtraGroupTests(SchedulingService scheduling) : IClassFixture<SchedulingService>
{
    /// <summary>
    /// A program with two topics and a cohort whose daily series starts tomorrow at 18:00 New York time (Triggers first,
    /// then Coping): the first <paramref name="triggers"/> patients missed Triggers, the next <paramref name="coping"/> Coping.
    /// </summary>
    async Task<(HttpClient Clinic, Guid ClinicId, JsonElement Program, Guid Facilitator, Guid[] Patients, List<JsonElement> Sessions, JsonElement[] Makeups,
        Guid CohortId)> ThreeMissedTriggers(int triggers = 3, int coping = 1)
    {
        var clinicId = Guid.NewGuid();
        var clinic = scheduling.ClientFor(clinicId);
        var program = await clinic.CreateProgram(("Triggers", "groupTherapy"), ("Coping", "groupTherapy"));
        var facilitator = Guid.NewGuid();
        var cohort = await clinic.CreateCohort(program.Id(), facilitator: facilitator);
        var patients = Enumerable.Range(0, triggers + coping).Select(_ => Guid.NewGuid()).ToArray();
        foreach (var patient in patients) await clinic.Enrol(cohort.Id(), patient).Created();
        var sessions = await MakeupScenario.AddDailySeries(clinic, cohort.Id(), 2);
        var makeups = new List<JsonElement>();
        for (var i = 0; i < patients.Length; i++) makeups.Add(await Miss(clinic, clinicId, sessions[i < triggers ? 0 : 1], patients[i]));
        return (clinic, clinicId, program, facilitator, patients, sessions, makeups.ToArray(), cohort.Id());
    }

    async Task<JsonElement> Miss(HttpClient clinic, Guid clinicId, JsonElement session, Guid patient)
    {
        var missed = new SessionMissed(Guid.NewGuid(), clinicId, session.Id(), patient, session.GetProperty("startsAt").GetDateTimeOffset(),
            "America/New_York", DateTimeOffset.UtcNow);
        await scheduling.Broker.Publish(missed);
        var offered = Assert.Single(await scheduling.Broker.WaitFor<MakeupOffered>(e => e.MissedSessionId == missed.SessionId && e.PatientId == patient, 1));
        return await (await clinic.GetAsync($"/api/scheduling/makeups/{offered.MakeupId}")).Json();
    }

    static Guid Topic(JsonElement program, int position) => program.GetProperty("topics")[position].Id();

    /// <summary>The day after tomorrow at noon New York time: after the missed sessions, clear of the cohort's evenings.</summary>
    static string DayAfterTomorrowNoon()
    {
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, MakeupScenario.NewYork).Date.AddDays(2).AddHours(12);
        return new DateTimeOffset(local, MakeupScenario.NewYork.GetUtcOffset(local)).ToString("O", CultureInfo.InvariantCulture);
    }

    static object Group(Guid topicId, Guid facilitator, int capacity = 2) => new
    {
        topicId, startsAt = DayAfterTomorrowNoon(), durationMinutes = 90, facilitatorClinicianId = facilitator, capacity, timeZone = "America/New_York"
    };

    static async Task<Guid[]> Roster(HttpClient clinic, Guid sessionId) =>
        (await (await clinic.GetAsync($"/api/scheduling/sessions/{sessionId}")).Json()).GetProperty("patientIds").EnumerateArray().Select(p => p.GetGuid()).ToArray();

    [Fact]
    public async Task An_extra_group_offers_its_seats_to_the_patients_who_missed_the_topic_and_the_overflow_waits_for_a_freed_seat()
    {
        var (clinic, clinicId, program, facilitator, patients, _, makeups, _) = await ThreeMissedTriggers();
        var coordinator = scheduling.StaffClientFor(clinicId, StaffRoles.Coordinator);

        var opened = await coordinator.PostAsJsonAsync($"/api/scheduling/programs/{program.Id()}/extra-groups", Group(Topic(program, 0), facilitator)).Created();

        var groupId = opened.GetProperty("sessionId").GetGuid();
        var invited = opened.GetProperty("invited").EnumerateArray().Select(i => i.GetProperty("patientId").GetGuid()).Order().ToArray();
        Assert.Equal(patients[..3].Order(), invited);
        var scheduled = Assert.Single(await scheduling.Broker.WaitFor<SessionScheduled>(e => e.SessionId == groupId, 1));
        Assert.Equal(("makeup", (Guid?)Topic(program, 0), (Guid?)facilitator, 0), (scheduled.Kind, scheduled.TopicId, scheduled.ClinicianId, scheduled.PatientIds.Count));
        // Each invited makeup is offered again, with its version bumped past the first offer; the Coping makeup is not.
        foreach (var makeup in makeups[..3]) await scheduling.Broker.WaitFor<MakeupOffered>(e => e.MakeupId == makeup.Id() && e.Version == 2, 1);
        Assert.Equal(1, await scheduling.MakeupVersion(clinicId, makeups[3].Id()));

        var options = (await (await clinic.GetAsync($"/api/scheduling/makeups/{makeups[0].Id()}/group-sessions")).Json()).EnumerateArray().ToList();
        var option = Assert.Single(options, o => o.GetProperty("sessionId").GetGuid() == groupId);
        Assert.Equal((true, 2, JsonValueKind.Null), (option.GetProperty("extraGroup").GetBoolean(), option.GetProperty("capacity").GetInt32(),
            option.GetProperty("cohortId").ValueKind));

        var answers = new List<HttpStatusCode>();
        foreach (var makeup in makeups[..3])
            answers.Add((await clinic.PostAsJsonAsync($"/api/scheduling/makeups/{makeup.Id()}/group-seat", new { sessionId = groupId })).StatusCode);
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Accepted], answers);
        Assert.Equal(patients[..2], await Roster(clinic, groupId));
        await (await clinic.PostAsJsonAsync($"/api/scheduling/makeups/{makeups[3].Id()}/group-seat", new { sessionId = groupId }))
            .AssertValidationProblem("sessionId");

        // The first patient gives the seat back: the one waiting takes it.
        Assert.Equal(HttpStatusCode.OK, (await clinic.DeleteAsync($"/api/scheduling/makeups/{makeups[0].Id()}/group-seat")).StatusCode);
        Assert.Equal([patients[1], patients[2]], await Roster(clinic, groupId));
        var promoted = Assert.Single(await scheduling.Broker.WaitFor<WaitlistPromoted>(e => e.SessionId == groupId, 1));
        Assert.Equal(patients[2], promoted.PatientId);
        var booked = await scheduling.Broker.WaitFor<MakeupBooked>(e => e.SessionId == groupId && e.Kind == "extraGroupSlot", 3);
        Assert.Equal(patients[..3].Order(), booked.Select(e => e.PatientId).Order());
        var seated = await scheduling.Broker.WaitFor<SessionParticipantAdded>(e => e.SessionId == groupId, 3);
        Assert.Equal(seated.Count, seated.Select(e => e.Version).Distinct().Count());
    }

    [Fact]
    public async Task Opening_an_extra_group_is_for_coordinators_and_bad_input_names_the_field_and_writes_nothing()
    {
        var (clinic, clinicId, program, facilitator, _, _, _, _) = await ThreeMissedTriggers();
        var path = $"/api/scheduling/programs/{program.Id()}/extra-groups";
        var before = await scheduling.RowsFor(clinicId);

        Assert.Equal(HttpStatusCode.Forbidden,
            (await scheduling.StaffClientFor(clinicId, StaffRoles.Clinician).PostAsJsonAsync(path, Group(Topic(program, 0), facilitator))).StatusCode);
        await (await clinic.PostAsJsonAsync(path, Group(Guid.NewGuid(), facilitator))).AssertValidationProblem("topicId");
        await (await clinic.PostAsJsonAsync(path, Group(Topic(program, 0), Guid.NewGuid()))).AssertValidationProblem("facilitatorClinicianId");
        await (await clinic.PostAsJsonAsync(path, Group(Topic(program, 0), facilitator, capacity: 0))).AssertValidationProblem("capacity");
        await (await clinic.PostAsJsonAsync(path, new { topicId = Topic(program, 0), facilitatorClinicianId = facilitator, capacity = 2, durationMinutes = 90,
            timeZone = "America/New_York", startsAt = DateTimeOffset.UtcNow.AddDays(40).ToString("O") })).AssertValidationProblem("startsAt");
        await (await clinic.PostAsJsonAsync($"/api/scheduling/programs/{Guid.NewGuid()}/extra-groups", Group(Topic(program, 0), facilitator)))
            .AssertProblem(HttpStatusCode.NotFound);
        await (await scheduling.ClientFor(Guid.NewGuid()).PostAsJsonAsync(path, Group(Topic(program, 0), facilitator))).AssertProblem(HttpStatusCode.NotFound);

        Assert.Equal(before, await scheduling.RowsFor(clinicId));
    }

    [Fact]
    public async Task A_topic_is_proposed_for_an_extra_group_once_three_patients_missed_it_with_a_free_slot_of_the_facilitator()
    {
        var (clinic, clinicId, program, facilitator, _, sessions, _, cohortId) = await ThreeMissedTriggers(triggers: 3, coping: 2);
        var coordinator = scheduling.StaffClientFor(clinicId, StaffRoles.Coordinator);
        var path = $"/api/scheduling/programs/{program.Id()}/extra-group-proposals";
        (await clinic.PutAsJsonAsync($"/api/scheduling/clinicians/{facilitator}/availability", new
        {
            timeZone = "America/New_York",
            weeklyHours = Enum.GetValues<DayOfWeek>().Select(d => new { day = JsonNamingPolicy.CamelCase.ConvertName(d.ToString()), from = "09:00", to = "22:00" })
        })).EnsureSuccessStatusCode();

        var proposal = Assert.Single((await (await coordinator.GetAsync(path)).Json()).EnumerateArray());

        Assert.Equal((Topic(program, 0), "Triggers", 3), (proposal.GetProperty("topicId").GetGuid(), proposal.GetProperty("topicTitle").GetString(),
            proposal.GetProperty("patientCount").GetInt32()));
        var slot = proposal.GetProperty("suggestedSlot");
        Assert.Equal(facilitator, slot.GetProperty("clinicianId").GetGuid());
        var (start, end) = (slot.GetProperty("startsAt").GetDateTimeOffset(), slot.GetProperty("endsAt").GetDateTimeOffset());
        Assert.Equal(TimeSpan.FromHours(3), end - start);
        Assert.True(start >= sessions[0].GetProperty("endsAt").GetDateTimeOffset(), $"the slot {start:O} comes before the missed session ended");
        Assert.All(sessions, s => Assert.False(start < s.GetProperty("endsAt").GetDateTimeOffset() && s.GetProperty("startsAt").GetDateTimeOffset() < end));

        // A third patient misses Coping: it is proposed too, after Triggers, whose misses came first.
        var third = Guid.NewGuid();
        await clinic.Enrol(cohortId, third).Created();
        await Miss(clinic, clinicId, sessions[1], third);
        var (both, pages) = await coordinator.AllPages($"{path}?limit=1");
        Assert.Equal([Topic(program, 0), Topic(program, 1)], both.Select(p => p.GetProperty("topicId").GetGuid()));
        Assert.Equal(2, pages);
        Assert.Equal(3, both[1].GetProperty("patientCount").GetInt32());

        // An extra group opened for Triggers serves its patients: the topic is no longer proposed.
        await coordinator.PostAsJsonAsync($"/api/scheduling/programs/{program.Id()}/extra-groups", Group(Topic(program, 0), facilitator)).Created();
        Assert.Equal([Topic(program, 1)], (await (await coordinator.GetAsync(path)).Json()).EnumerateArray().Select(p => p.GetProperty("topicId").GetGuid()));

        Assert.Equal(HttpStatusCode.Forbidden, (await scheduling.StaffClientFor(clinicId, StaffRoles.Clinician).GetAsync(path)).StatusCode);
        await (await coordinator.GetAsync($"{path}?limit=0")).AssertValidationProblem("limit");
        await (await coordinator.GetAsync($"/api/scheduling/programs/{Guid.NewGuid()}/extra-group-proposals")).AssertProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Two_patients_who_missed_a_topic_are_below_the_threshold_and_propose_nothing()
    {
        var (_, clinicId, program, _, _, _, _, _) = await ThreeMissedTriggers(triggers: 2, coping: 2);

        var proposals = await (await scheduling.StaffClientFor(clinicId, StaffRoles.Admin).GetAsync($"/api/scheduling/programs/{program.Id()}/extra-group-proposals")).Json();

        Assert.Empty(proposals.EnumerateArray());
    }
}
