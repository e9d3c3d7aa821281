using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Scheduling.Messaging;
using VirtualIop.TestSupport;

namespace VirtualIop.Scheduling.IntegrationTests;

/// <summary>
/// A program in two phases (Triggers, then Cravings): a patient moves to the second only once every session of the
/// first they missed is made up, caught up on or waived.
/// </summary>
[Collection(SchedulingCollection.Name)]
public sealed class PhaseGateTests(SchedulingService scheduling) : IClassFixture<SchedulingService>
{
    Task<MakeupScenario> Start() => PhasedProgram.Start(scheduling);

    /// <summary>Attendance reports the no-show; waits until Scheduling kept the outcome and offered the makeup.</summary>
    async Task<Guid> Miss(MakeupScenario s, JsonElement session)
    {
        var missed = new SessionMissed(Guid.NewGuid(), s.ClinicId, session.Id(), s.Patients[0], session.GetProperty("startsAt").GetDateTimeOffset(),
            "America/New_York", DateTimeOffset.UtcNow);
        await scheduling.Broker.Publish(missed);
        await Eventually.Until(() => scheduling.InboxRows(missed.EventId, RecordAttendanceOutcome.InboxKey), n => n == 1, "the no-show kept");
        return Assert.Single(await scheduling.Broker.WaitFor<MakeupOffered>(e => e.MissedSessionId == missed.SessionId && e.PatientId == s.Patients[0], 1))
            .MakeupId;
    }

    static Task<HttpResponseMessage> Advance(HttpClient client, MakeupScenario s, int fromPhase) =>
        client.PostAsJsonAsync($"/api/scheduling/patients/{s.Patients[0]}/phase/advance", new { fromPhase });

    static async Task<JsonElement> Phase(MakeupScenario s) => await (await s.Clinic.GetAsync($"/api/scheduling/patients/{s.Patients[0]}/phase")).Json();

    async Task AssertAdvanced(MakeupScenario s)
    {
        var response = await Advance(scheduling.StaffClientFor(s.ClinicId, StaffRoles.Clinician), s, 1);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var standing = await Phase(s);
        Assert.Equal((2, "Maintenance", 0), (standing.GetProperty("phase").GetInt32(), standing.GetProperty("phaseName").GetString(),
            standing.GetProperty("outstandingCount").GetInt32()));
    }

    [Fact]
    public async Task Advancing_past_a_missed_session_is_refused_with_what_is_outstanding_and_a_follow_up_in_the_facilitators_next_free_slot()
    {
        var s = await Start();
        (await s.SetAvailability(s.Facilitator, "09:00", "22:00")).EnsureSuccessStatusCode();
        var makeup = await Miss(s, s.Sessions[0]);
        var nextFree = (await (await s.Clinic.GetAsync($"/api/scheduling/makeups/{makeup}/slots")).Json())[0];

        var refused = await Advance(scheduling.StaffClientFor(s.ClinicId, StaffRoles.Clinician), s, 1);

        await refused.AssertProblem(HttpStatusCode.Conflict);
        var problem = await refused.Json();
        var outstanding = Assert.Single(problem.GetProperty("outstanding").EnumerateArray());
        Assert.Equal((s.Sessions[0].Id(), "Triggers", s.Sessions[0].GetProperty("startsAt").GetDateTimeOffset(), "noShow", makeup),
            (outstanding.GetProperty("sessionId").GetGuid(), outstanding.GetProperty("topic").GetString(),
                outstanding.GetProperty("startsAt").GetDateTimeOffset(), outstanding.GetProperty("outcome").GetString(),
                outstanding.GetProperty("makeupId").GetGuid()));
        var proposal = problem.GetProperty("proposedFollowUp");
        Assert.Equal((s.Facilitator, s.Patients[0], "makeup", nextFree.GetProperty("startsAt").GetDateTimeOffset()),
            (proposal.GetProperty("clinicianId").GetGuid(), proposal.GetProperty("patientId").GetGuid(), proposal.GetProperty("kind").GetString(),
                proposal.GetProperty("startsAt").GetDateTimeOffset()));
        Assert.Equal([s.Sessions[0].Id()], proposal.GetProperty("covers").EnumerateArray().Select(c => c.GetGuid()));
        var standing = await Phase(s);
        Assert.Equal((1, 1), (standing.GetProperty("phase").GetInt32(), standing.GetProperty("outstandingCount").GetInt32()));

        // The proposal is a booking request as it stands.
        var booked = await s.Clinic.PostAsync("/api/scheduling/bookings", JsonContent.Create(proposal)).Created();
        Assert.Equal((s.Facilitator, nextFree.GetProperty("startsAt").GetDateTimeOffset()),
            (booked.GetProperty("clinicianId").GetGuid(), booked.GetProperty("startsAt").GetDateTimeOffset()));
    }

    [Fact]
    public async Task A_completed_makeup_lets_the_patient_advance()
    {
        var s = await Start();
        (await s.SetAvailability(s.Facilitator, "09:00", "22:00")).EnsureSuccessStatusCode();
        var makeup = await Miss(s, s.Sessions[0]);
        var slot = (await (await s.Clinic.GetAsync($"/api/scheduling/makeups/{makeup}/slots")).Json())[0];
        var booked = await s.Clinic.PostAsJsonAsync($"/api/scheduling/makeups/{makeup}/book",
            new { clinicianId = slot.GetProperty("clinicianId").GetGuid(), startsAt = slot.GetProperty("startsAt").GetDateTimeOffset() }).Created();
        await (await Advance(s.Clinic, s, 1)).AssertProblem(HttpStatusCode.Conflict);

        await scheduling.Broker.Publish(new SessionAttended(Guid.NewGuid(), s.ClinicId, booked.GetProperty("sessionId").GetGuid(), s.Patients[0],
            DateTimeOffset.UtcNow));
        await scheduling.Broker.WaitFor<MakeupCompleted>(e => e.MakeupId == makeup, 1);

        await AssertAdvanced(s);
    }

    [Fact]
    public async Task A_catch_up_package_addressed_through_the_bus_lets_the_patient_advance_whether_it_arrives_before_or_after_the_miss()
    {
        var s = await Start();
        var addressed = new ContinuityPackageAddressed(Guid.NewGuid(), s.ClinicId, Guid.NewGuid(), s.Patients[0], s.Sessions[0].Id(), "completed",
            DateTimeOffset.UtcNow);
        await scheduling.Broker.Publish(addressed);
        await scheduling.Broker.Publish(addressed);
        await scheduling.Consumed.WaitFor(addressed.EventId, 2);
        await Miss(s, s.Sessions[0]);
        Assert.Equal(1, await scheduling.InboxRows(addressed.EventId, RecordContinuityPackageAddressed.InboxKey));

        await AssertAdvanced(s);
    }

    [Fact]
    public async Task A_package_for_another_session_leaves_the_miss_outstanding()
    {
        var s = await Start();
        await Miss(s, s.Sessions[0]);
        var addressed = new ContinuityPackageAddressed(Guid.NewGuid(), s.ClinicId, Guid.NewGuid(), s.Patients[0], s.Sessions[1].Id(), "completed",
            DateTimeOffset.UtcNow);
        await scheduling.Broker.Publish(addressed);
        await scheduling.Consumed.WaitFor(addressed.EventId, 1);

        await (await Advance(s.Clinic, s, 1)).AssertProblem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_clinicians_waiver_with_a_reason_lets_the_patient_advance_once()
    {
        var s = await Start();
        await Miss(s, s.Sessions[0]);
        var clinician = scheduling.StaffClientFor(s.ClinicId, StaffRoles.Clinician);
        var waiver = $"/api/scheduling/patients/{s.Patients[0]}/missed-sessions/{s.Sessions[0].Id()}/waiver";

        await (await clinician.PutAsJsonAsync(waiver, new { reason = " " })).AssertValidationProblem("reason");
        await (await Advance(clinician, s, 1)).AssertProblem(HttpStatusCode.Conflict);
        var waived = await clinician.PutAsJsonAsync(waiver, new { reason = "Covered the topic in the individual session on Friday" });

        Assert.Equal(HttpStatusCode.OK, waived.StatusCode);
        Assert.Equal("Covered the topic in the individual session on Friday", (await waived.Json()).GetProperty("reason").GetString());
        await AssertAdvanced(s);
        var again = await Advance(clinician, s, 1);
        await again.AssertProblem(HttpStatusCode.Conflict);
        Assert.Equal("Phase moved", (await again.Json()).GetProperty("title").GetString());
        var last = await Advance(clinician, s, 2);
        await last.AssertProblem(HttpStatusCode.Conflict);
        Assert.Equal("Last phase", (await last.Json()).GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_miss_corrected_to_excused_holds_nothing_back()
    {
        var s = await Start();
        await Miss(s, s.Sessions[0]);
        var corrected = new AttendanceCorrected(Guid.NewGuid(), s.ClinicId, s.Sessions[0].Id(), s.Patients[0], "noShow", "excusedAbsence", "illness",
            DateTimeOffset.UtcNow.AddSeconds(1));
        await scheduling.Broker.Publish(corrected);
        await Eventually.Until(() => scheduling.InboxRows(corrected.EventId, RecordAttendanceOutcome.InboxKey), n => n == 1, "the correction kept");

        await AssertAdvanced(s);
    }

    [Fact]
    public async Task Another_clinics_patient_answers_404_and_a_bad_request_names_its_field()
    {
        var s = await Start();
        await Miss(s, s.Sessions[0]);
        var other = scheduling.StaffClientFor(Guid.NewGuid(), StaffRoles.Admin);

        await (await other.GetAsync($"/api/scheduling/patients/{s.Patients[0]}/phase")).AssertProblem(HttpStatusCode.NotFound);
        await (await Advance(other, s, 1)).AssertProblem(HttpStatusCode.NotFound);
        await (await other.PutAsJsonAsync($"/api/scheduling/patients/{s.Patients[0]}/missed-sessions/{s.Sessions[0].Id()}/waiver",
            new { reason = "Not ours to waive" })).AssertProblem(HttpStatusCode.NotFound);
        await (await s.Clinic.PostAsJsonAsync($"/api/scheduling/patients/{s.Patients[0]}/phase/advance", new { })).AssertValidationProblem("fromPhase");
        Assert.Equal(HttpStatusCode.Forbidden, (await scheduling.PatientClientFor(s.ClinicId, s.Patients[0]).PostAsJsonAsync(
            $"/api/scheduling/patients/{s.Patients[0]}/phase/advance", new { fromPhase = 1 })).StatusCode);

        var standing = await Phase(s);
        Assert.Equal((1, 1, JsonValueKind.Null), (standing.GetProperty("phase").GetInt32(), standing.GetProperty("outstandingCount").GetInt32(),
            standing.GetProperty("enteredAt").ValueKind));
    }
}

/// <summary>The ground of the phase tests, shared with the audit walk.</summary>
static class PhasedProgram
{
    /// <summary>A clinic with the two-phase program, a cohort with one patient, and a daily series from tomorrow: Triggers, then Cravings.</summary>
    public static async Task<MakeupScenario> Start(SchedulingService scheduling, Guid? forClinic = null)
    {
        var clinicId = forClinic ?? Guid.NewGuid();
        var clinic = scheduling.ClientFor(clinicId);
        var program = await clinic.PostAsJsonAsync("/api/scheduling/programs", new
        {
            name = "Adult SUD IOP",
            topics = new[] { new { title = "Triggers", kind = "groupTherapy" }, new { title = "Cravings", kind = "groupTherapy" } },
            phases = new[] { new { name = "Stabilisation", topics = new[] { 1 } }, new { name = "Maintenance", topics = new[] { 2 } } }
        }).Created();
        var facilitator = Guid.NewGuid();
        var cohort = await clinic.CreateCohort(program.Id(), facilitator: facilitator);
        var patient = Guid.NewGuid();
        await clinic.Enrol(cohort.Id(), patient).Created();
        var sessions = await MakeupScenario.AddDailySeries(clinic, cohort.Id(), 2);
        Assert.Equal(program.GetProperty("phases")[0].GetProperty("topicIds")[0].GetGuid(), sessions[0].GetProperty("topicId").GetGuid());
        return new MakeupScenario(scheduling, clinic, clinicId, program, cohort.Id(), facilitator, [patient], sessions);
    }
}
