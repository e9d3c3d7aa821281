using System.Net;
using System.Net.Http.Json;
using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.Scheduling.IntegrationTests;

[Collection(SchedulingCollection.Name)]
public sealed class RollingCohortTests(SchedulingService scheduling) : IClassFixture<SchedulingService>
{
    static async Task<Guid> RollingCohort(HttpClient clinic)
    {
        var program = await clinic.CreateProgram(("Triggers", "groupTherapy"));
        var cohort = await clinic.PostAsJsonAsync("/api/scheduling/cohorts", new
        {
            programId = program.Id(), name = "Open group", facilitatorClinicianId = Guid.NewGuid(), capacity = 10, timeZone = "America/New_York",
            rolling = true
        }).Created();
        Assert.True(cohort.GetProperty("rolling").GetBoolean());
        return cohort.Id();
    }

    static async Task<Guid[]> Roster(HttpClient clinic, Guid sessionId) =>
        (await (await clinic.GetAsync($"/api/scheduling/sessions/{sessionId}")).Json()).GetProperty("patientIds").EnumerateArray().Select(p => p.GetGuid()).ToArray();

    [Fact]
    public async Task A_patient_joins_a_rolling_cohort_that_already_met_from_its_next_occurrence()
    {
        var clinicId = Guid.NewGuid();
        var clinic = scheduling.ClientFor(clinicId);
        var cohortId = await RollingCohort(clinic);
        var sessions = await MakeupScenario.AddDailySeries(clinic, cohortId, 3);
        // The cohort has met once already.
        await scheduling.Execute("""
            update session set starts_at = now() - interval '4 hours', ends_at = now() - interval '1 hour' where clinic_id = @Clinic and id = @Id
            """, new { Clinic = clinicId, Id = sessions[0].Id() });
        var patient = Guid.NewGuid();

        await clinic.Enrol(cohortId, patient).Created();

        var added = await scheduling.Broker.WaitFor<SessionParticipantAdded>(e => e.PatientId == patient, 2);
        Assert.Equal(new[] { sessions[1].Id(), sessions[2].Id() }.Order(), added.Select(e => e.SessionId).Order());
        Assert.All(added, e => Assert.Equal(2, e.Version));
        Assert.Empty(await Roster(clinic, sessions[0].Id()));
        Assert.Equal([patient], await Roster(clinic, sessions[1].Id()));
    }

    [Fact]
    public async Task A_patient_discharged_from_a_rolling_cohort_rejoins_its_future_sessions_on_the_same_enrolment()
    {
        var clinicId = Guid.NewGuid();
        var clinic = scheduling.ClientFor(clinicId);
        var cohortId = await RollingCohort(clinic);
        var patient = Guid.NewGuid();
        var enrolment = await clinic.Enrol(cohortId, patient).Created();
        var sessions = await MakeupScenario.AddDailySeries(clinic, cohortId, 3);
        Assert.Equal(HttpStatusCode.NoContent, (await clinic.DeleteAsync($"/api/scheduling/cohorts/{cohortId}/enrolments/{patient}")).StatusCode);
        var removed = await scheduling.Broker.WaitFor<SessionParticipantRemoved>(e => e.PatientId == patient, 3);

        var rejoined = await clinic.PostAsync($"/api/scheduling/cohorts/{cohortId}/enrolments/{patient}/rejoin", null);

        Assert.Equal(HttpStatusCode.OK, rejoined.StatusCode);
        Assert.Equal(enrolment.Id(), (await rejoined.Json()).Id());
        Assert.Equal(1, (await scheduling.ProgramRowsFor(clinicId)).Enrolments);
        var added = await scheduling.Broker.WaitFor<SessionParticipantAdded>(e => e.PatientId == patient, 3);
        Assert.Equal(sessions.Select(s => s.Id()).Order(), added.Select(e => e.SessionId).Order());
        foreach (var e in added)
        {
            Assert.Equal(removed.Single(r => r.SessionId == e.SessionId).Version + 1, e.Version);
            Assert.Equal(e.Version, await scheduling.SessionVersion(clinicId, e.SessionId));
        }
        Assert.Equal([patient], await Roster(clinic, sessions[2].Id()));

        await (await clinic.PostAsync($"/api/scheduling/cohorts/{cohortId}/enrolments/{patient}/rejoin", null)).AssertProblem(HttpStatusCode.Conflict);
        await (await clinic.PostAsync($"/api/scheduling/cohorts/{cohortId}/enrolments/{Guid.NewGuid()}/rejoin", null)).AssertProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_cohort_that_is_not_rolling_takes_no_one_back_and_a_put_marks_it_rolling()
    {
        var clinicId = Guid.NewGuid();
        var clinic = scheduling.ClientFor(clinicId);
        var cohort = await clinic.CreateCohort((await clinic.CreateProgram(("Triggers", "groupTherapy"))).Id());
        Assert.False(cohort.GetProperty("rolling").GetBoolean());
        var patient = Guid.NewGuid();
        await clinic.Enrol(cohort.Id(), patient).Created();
        await clinic.DeleteAsync($"/api/scheduling/cohorts/{cohort.Id()}/enrolments/{patient}");
        var rejoin = $"/api/scheduling/cohorts/{cohort.Id()}/enrolments/{patient}/rejoin";

        await (await clinic.PostAsync(rejoin, null)).AssertProblem(HttpStatusCode.Conflict);
        await (await clinic.PutAsJsonAsync($"/api/scheduling/cohorts/{cohort.Id()}/rolling", new { })).AssertValidationProblem("rolling");
        Assert.Empty((await (await clinic.GetAsync($"/api/scheduling/cohorts/{cohort.Id()}")).Json()).Roster());

        var marked = await clinic.PutAsJsonAsync($"/api/scheduling/cohorts/{cohort.Id()}/rolling", new { rolling = true });
        Assert.True((await marked.Json()).GetProperty("rolling").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await clinic.PostAsync(rejoin, null)).StatusCode);
        Assert.Equal([patient], (await (await clinic.GetAsync($"/api/scheduling/cohorts/{cohort.Id()}")).Json()).Roster());
        await (await clinic.PutAsJsonAsync($"/api/scheduling/cohorts/{Guid.NewGuid()}/rolling", new { rolling = true })).AssertProblem(HttpStatusCode.NotFound);
    }
}
