using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.TestSupport;

namespace VirtualIop.Scheduling.IntegrationTests;

/// <summary>
/// What a patient's own token (redeemed from a personal link) reaches in Scheduling: their schedule and their makeups,
/// never another patient's, nor any staff endpoint; and which staff roles change the clinic's settings.
/// </summary>
[Collection(SchedulingCollection.Name)]
public sealed class PatientAccessTests(SchedulingService scheduling) : IClassFixture<SchedulingService>
{
    static readonly string[] OpenToPatients =
    [
        "BookMakeup", "ChooseMakeupRecording", "GetMakeup", "GetPatientMakeups", "GetPatientSchedule", "ListMakeupGroupSessions",
        "ProposeMakeupSlots", "ReleaseMakeupSeat", "TakeMakeupSeat"
    ];

    [Fact]
    public async Task A_patient_token_reaches_only_the_endpoints_opened_to_patients_and_is_refused_everywhere_else()
    {
        Assert.Equal(OpenToPatients, PatientSelfAccessWalk.Marked(scheduling.Routes));
        await PatientSelfAccessWalk.RefusedUnlessMarked(scheduling.Routes, scheduling.PatientClientFor(Guid.NewGuid(), Guid.NewGuid()));
    }

    [Fact]
    public Task Each_endpoint_open_to_patients_serves_the_patients_own_data_and_answers_404_for_another_patient_of_the_clinic() =>
        PatientSelfAccessWalk.OwnDataOnly(scheduling.Routes, scheduling.PatientClientFor, new Dictionary<string, Func<Guid, Guid, Guid, Task<PatientCalls>>>
        {
            ["GetPatientSchedule"] = async (clinicId, own, other) =>
            {
                await TwoPatients(clinicId, own, other);
                return new(Get($"/api/scheduling/patients/{own}/sessions"), Get($"/api/scheduling/patients/{other}/sessions"));
            },
            ["GetPatientMakeups"] = async (clinicId, own, other) =>
            {
                await Missed(clinicId, own, other);
                return new(Get($"/api/scheduling/patients/{own}/makeups"), Get($"/api/scheduling/patients/{other}/makeups"));
            },
            ["GetMakeup"] = async (clinicId, own, other) =>
            {
                var (_, mine, theirs) = await Missed(clinicId, own, other);
                return new(Get($"/api/scheduling/makeups/{mine}"), Get($"/api/scheduling/makeups/{theirs}"));
            },
            ["ProposeMakeupSlots"] = async (clinicId, own, other) =>
            {
                var (_, mine, theirs) = await Missed(clinicId, own, other);
                return new(Get($"/api/scheduling/makeups/{mine}/slots"), Get($"/api/scheduling/makeups/{theirs}/slots"));
            },
            ["BookMakeup"] = async (clinicId, own, other) =>
            {
                var (s, mine, theirs) = await Missed(clinicId, own, other);
                var slot = (await (await s.Clinic.GetAsync($"/api/scheduling/makeups/{mine}/slots")).Json())[0];
                var body = new { clinicianId = slot.GetProperty("clinicianId").GetGuid(), startsAt = slot.GetProperty("startsAt").GetDateTimeOffset() };
                return new(Post($"/api/scheduling/makeups/{mine}/book", body), Post($"/api/scheduling/makeups/{theirs}/book", body));
            },
            ["ListMakeupGroupSessions"] = async (clinicId, own, other) =>
            {
                var (_, mine, theirs, _) = await SeatElsewhere(clinicId, own, other);
                return new(Get($"/api/scheduling/makeups/{mine}/group-sessions"), Get($"/api/scheduling/makeups/{theirs}/group-sessions"));
            },
            ["TakeMakeupSeat"] = async (clinicId, own, other) =>
            {
                var (_, mine, theirs, target) = await SeatElsewhere(clinicId, own, other);
                return new(Post($"/api/scheduling/makeups/{mine}/group-seat", new { sessionId = target }),
                    Post($"/api/scheduling/makeups/{theirs}/group-seat", new { sessionId = target }));
            },
            ["ReleaseMakeupSeat"] = async (clinicId, own, other) =>
            {
                var (s, mine, theirs, target) = await SeatElsewhere(clinicId, own, other);
                foreach (var makeup in new[] { mine, theirs })
                    (await s.Clinic.PostAsJsonAsync($"/api/scheduling/makeups/{makeup}/group-seat", new { sessionId = target })).EnsureSuccessStatusCode();
                return new(new(HttpMethod.Delete, $"/api/scheduling/makeups/{mine}/group-seat"), new(HttpMethod.Delete, $"/api/scheduling/makeups/{theirs}/group-seat"));
            },
            ["ChooseMakeupRecording"] = async (clinicId, own, other) =>
            {
                var s = await TwoPatients(clinicId, own, other, "educationalModule");
                (await s.Clinic.PutAsJsonAsync($"/api/scheduling/sessions/{s.Sessions[0].Id()}/recording",
                    new { url = "https://video.example.org/modules/cravings-101" })).EnsureSuccessStatusCode();
                var mine = (await s.Miss(s.Sessions[0], own)).Id();
                var theirs = (await s.Miss(s.Sessions[0], other)).Id();
                return new(Post($"/api/scheduling/makeups/{mine}/recording", null), Post($"/api/scheduling/makeups/{theirs}/recording", null));
            }
        });

    [Fact]
    public async Task The_patients_own_schedule_gives_the_join_link_and_never_names_the_others_in_the_group()
    {
        var (clinicId, own, other) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var s = await TwoPatients(clinicId, own, other);

        var mine = await (await scheduling.PatientClientFor(clinicId, own).GetAsync($"/api/scheduling/patients/{own}/sessions")).Json();
        var staffView = await (await s.Clinic.GetAsync($"/api/scheduling/patients/{own}/sessions")).Json();

        Assert.Equal(3, mine.GetArrayLength());
        Assert.All(mine.EnumerateArray(), session =>
        {
            Assert.Equal([own], session.GetProperty("patientIds").EnumerateArray().Select(p => p.GetGuid()));
            Assert.Equal(SchedulingService.JoinUrlTemplate.Replace("{sessionId}", session.Id().ToString()), session.GetProperty("joinUrl").GetString());
        });
        Assert.All(staffView.EnumerateArray(), session => Assert.Contains(other, session.GetProperty("patientIds").EnumerateArray().Select(p => p.GetGuid())));
    }

    [Fact]
    public async Task The_patients_makeups_are_those_still_open_or_booked_with_the_kinds_on_offer()
    {
        var (clinicId, own, other) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var (s, mine, _) = await Missed(clinicId, own, other);
        var second = (await s.Miss(s.Sessions[1], own)).Id();
        await scheduling.SetMakeupExpiry(clinicId, second, DateTimeOffset.UtcNow.AddMinutes(-1));
        Assert.True(await scheduling.ExpireMakeups(DateTimeOffset.UtcNow) >= 1);

        var makeups = await (await scheduling.PatientClientFor(clinicId, own).GetAsync($"/api/scheduling/patients/{own}/makeups")).Json();

        var only = Assert.Single(makeups.EnumerateArray());
        Assert.Equal((mine, own, "offered"), (only.Id(), only.GetProperty("patientId").GetGuid(), only.GetProperty("status").GetString()));
        Assert.Contains("oneOnOne", only.GetProperty("offeredKinds").EnumerateArray().Select(k => k.GetString()));
    }

    [Fact]
    public async Task Only_an_admin_among_staff_reads_the_audit_log_and_only_an_admin_or_coordinator_sets_makeup_rules_while_partner_systems_pass()
    {
        var clinicId = Guid.NewGuid();
        var program = await scheduling.ClientFor(clinicId).CreateProgram(("Triggers", "groupTherapy"));
        var settings = new { allowedKinds = new[] { "oneOnOne" }, expiryDays = 7, searchWindowDays = 14, oneOnOneMinutes = 50, recordingCompletionShare = 0.8 };
        var path = $"/api/scheduling/programs/{program.Id()}/makeup-settings";

        Assert.Equal(HttpStatusCode.Forbidden, (await scheduling.StaffClientFor(clinicId, StaffRoles.Clinician).GetAsync("/api/scheduling/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await scheduling.StaffClientFor(clinicId, StaffRoles.Coordinator).GetAsync("/api/scheduling/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await scheduling.StaffClientFor(clinicId, StaffRoles.Admin).GetAsync("/api/scheduling/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await scheduling.ClientFor(clinicId).GetAsync("/api/scheduling/audit")).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await scheduling.StaffClientFor(clinicId, StaffRoles.Clinician).PutAsJsonAsync(path, settings)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await scheduling.StaffClientFor(clinicId, StaffRoles.Coordinator).PutAsJsonAsync(path, settings)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await scheduling.ClientFor(clinicId).PutAsJsonAsync(path, settings)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await scheduling.StaffClientFor(clinicId, StaffRoles.Clinician).GetAsync(path)).StatusCode);
    }

    /// <summary>Two patients of one cohort with a daily series from tomorrow.</summary>
    async Task<MakeupScenario> TwoPatients(Guid clinicId, Guid own, Guid other, string topicKind = "groupTherapy")
    {
        var clinic = scheduling.ClientFor(clinicId);
        var program = await clinic.CreateProgram(("Triggers", topicKind));
        var facilitator = Guid.NewGuid();
        var cohort = await clinic.CreateCohort(program.Id(), facilitator: facilitator);
        await clinic.Enrol(cohort.Id(), own).Created();
        await clinic.Enrol(cohort.Id(), other).Created();
        var sessions = await MakeupScenario.AddDailySeries(clinic, cohort.Id(), 3);
        return new MakeupScenario(scheduling, clinic, clinicId, program, cohort.Id(), facilitator, [own, other], sessions);
    }

    /// <summary>Both missed the first session; the facilitator works all day, so one-on-one slots exist.</summary>
    async Task<(MakeupScenario Scenario, Guid Own, Guid Other)> Missed(Guid clinicId, Guid own, Guid other)
    {
        var s = await TwoPatients(clinicId, own, other);
        (await s.SetAvailability(s.Facilitator, "09:00", "22:00")).EnsureSuccessStatusCode();
        return (s, (await s.Miss(s.Sessions[0], own)).Id(), (await s.Miss(s.Sessions[0], other)).Id());
    }

    /// <summary>Both missed a session, and another cohort of the program meets on the topic with seats free.</summary>
    async Task<(MakeupScenario Scenario, Guid Own, Guid Other, Guid Target)> SeatElsewhere(Guid clinicId, Guid own, Guid other)
    {
        var s = await TwoPatients(clinicId, own, other);
        var elsewhere = await s.Clinic.CreateCohort(s.Program.Id());
        var sessions = await MakeupScenario.AddDailySeries(s.Clinic, elsewhere.Id(), 3);
        return (s, (await s.Miss(s.Sessions[0], own)).Id(), (await s.Miss(s.Sessions[0], other)).Id(), sessions[1].Id());
    }

    static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);

    static HttpRequestMessage Post(string path, object? body) => new(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
}
