using System.Net;
using System.Net.Http.Json;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.Scheduling.IntegrationTests;

[Collection(SchedulingCollection.Name)]
public sealed class MakeupOfferTests(SchedulingService scheduling) : IClassFixture<SchedulingService>
{
    [Fact]
    public async Task A_no_show_gets_one_makeup_with_the_kinds_the_program_allows_however_often_Attendance_reports_it()
    {
        var scenario = await MakeupScenario.Start(scheduling, topicKind: "educationalModule",
            settings: new { allowedKinds = new[] { "recording", "oneOnOne" }, expiryDays = 3, searchWindowDays = 10, oneOnOneMinutes = 45, recordingCompletionShare = 0.8 });
        var session = scenario.Sessions[0];
        var patient = scenario.Patients[0];

        var makeup = await scenario.Miss(session, patient);

        Assert.Equal("offered", makeup.GetProperty("status").GetString());
        Assert.Equal(["oneOnOne", "recording"], makeup.GetProperty("offeredKinds").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal(session.Id(), makeup.GetProperty("missedSessionId").GetGuid());
        // An offer for a session still ahead runs from the session's start.
        Assert.Equal(session.GetProperty("startsAt").GetDateTimeOffset().AddDays(3), makeup.GetProperty("expiresAt").GetDateTimeOffset());

        var redelivered = new SessionMissed(Guid.NewGuid(), scenario.ClinicId, session.Id(), patient, DateTimeOffset.UtcNow, "America/New_York", DateTimeOffset.UtcNow);
        var notice = new AbsenceNotified(Guid.NewGuid(), scenario.ClinicId, Guid.NewGuid(), session.Id(), patient, "illness", true,
            session.GetProperty("startsAt").GetDateTimeOffset(), "America/New_York", DateTimeOffset.UtcNow);
        await scheduling.Broker.Publish(redelivered);
        await scheduling.Broker.Publish(redelivered);
        await scheduling.Broker.Publish(notice);
        await scheduling.Consumed.WaitFor(redelivered.EventId, 2);
        await scheduling.Consumed.WaitFor(notice.EventId, 1);

        var list = await (await scenario.Clinic.GetAsync($"/api/scheduling/makeups?patientId={patient}")).Json();
        Assert.Equal(1, list.GetArrayLength());
        Assert.Equal(1, (await scenario.Scheduling.MakeupRowsFor(scenario.ClinicId)).Makeups);
        Assert.Single(scheduling.Broker.Received<MakeupOffered>(e => e.ClinicId == scenario.ClinicId));
    }

    [Fact]
    public async Task An_advance_absence_notice_offers_a_makeup_and_a_group_sessions_makeup_never_offers_a_recording()
    {
        var scenario = await MakeupScenario.Start(scheduling);
        var notice = new AbsenceNotified(Guid.NewGuid(), scenario.ClinicId, Guid.NewGuid(), scenario.Sessions[1].Id(), scenario.Patients[0],
            "schedulingConflict", true, scenario.Sessions[1].GetProperty("startsAt").GetDateTimeOffset(), "America/New_York", DateTimeOffset.UtcNow);

        await scheduling.Broker.Publish(notice);

        var offered = Assert.Single(await scheduling.Broker.WaitFor<MakeupOffered>(e => e.ClinicId == scenario.ClinicId, 1));
        Assert.Equal(["oneOnOne", "extraGroupSlot"], offered.OfferedKinds);
        var choose = await scenario.Clinic.PostAsync($"/api/scheduling/makeups/{offered.MakeupId}/recording", null);
        await choose.AssertValidationProblem("kind");
        Assert.Equal("offered", (await scenario.Makeup(offered.MakeupId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_patient_who_was_not_on_the_session_gets_no_makeup()
    {
        var scenario = await MakeupScenario.Start(scheduling);
        var stranger = new SessionMissed(Guid.NewGuid(), scenario.ClinicId, scenario.Sessions[0].Id(), Guid.NewGuid(), DateTimeOffset.UtcNow,
            "America/New_York", DateTimeOffset.UtcNow);

        await scheduling.Broker.Publish(stranger);
        await scheduling.Consumed.WaitFor(stranger.EventId, 1);

        Assert.Equal(0, (await scheduling.MakeupRowsFor(scenario.ClinicId)).Makeups);
    }

    [Fact]
    public async Task An_offer_nobody_took_up_expires_once_with_MakeupExpired_and_can_no_longer_be_booked()
    {
        var scenario = await MakeupScenario.Start(scheduling);
        var makeup = await scenario.Miss(scenario.Sessions[0], scenario.Patients[0]);
        var expiresAt = makeup.GetProperty("expiresAt").GetDateTimeOffset();

        await scheduling.ExpireMakeups(expiresAt.AddSeconds(-1));
        Assert.Equal("offered", (await scenario.Makeup(makeup.Id())).GetProperty("status").GetString());
        Assert.True(await scheduling.ExpireMakeups(expiresAt) >= 1);
        await scheduling.ExpireMakeups(expiresAt.AddDays(1));

        var expired = await scenario.Makeup(makeup.Id());
        Assert.Equal("expired", expired.GetProperty("status").GetString());
        var announced = Assert.Single(await scheduling.Broker.WaitFor<MakeupExpired>(e => e.MakeupId == makeup.Id(), 1));
        Assert.Equal(expiresAt, expired.GetProperty("expiredAt").GetDateTimeOffset());
        Assert.Equal((scenario.Sessions[0].Id(), scenario.Patients[0]), (announced.MissedSessionId, announced.PatientId));
        // Offered (version 1), expired (2): the expiry worker writes its event's body in SQL and must carry the version too.
        Assert.Equal((2L, 2L), (announced.Version!.Value, await scheduling.MakeupVersion(scenario.ClinicId, makeup.Id())));
        await (await scenario.Clinic.PostAsJsonAsync($"/api/scheduling/makeups/{makeup.Id()}/book",
            new { clinicianId = scenario.Facilitator, startsAt = DateTimeOffset.UtcNow.AddDays(1) })).AssertProblem(HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("""{"allowedKinds":[],"expiryDays":7,"searchWindowDays":14,"oneOnOneMinutes":50,"recordingCompletionShare":0.8}""", "allowedKinds")]
    [InlineData("""{"allowedKinds":["teleport"],"expiryDays":7,"searchWindowDays":14,"oneOnOneMinutes":50,"recordingCompletionShare":0.8}""", "allowedKinds[0]")]
    [InlineData("""{"allowedKinds":["recording"],"expiryDays":0,"searchWindowDays":14,"oneOnOneMinutes":50,"recordingCompletionShare":0.8}""", "expiryDays")]
    [InlineData("""{"allowedKinds":["recording"],"expiryDays":7,"searchWindowDays":14,"oneOnOneMinutes":50,"recordingCompletionShare":1.5}""", "recordingCompletionShare")]
    public async Task Bad_makeup_settings_are_refused_naming_the_field_and_the_defaults_stay(string body, string field)
    {
        var clinic = scheduling.ClientFor(Guid.NewGuid());
        var program = await clinic.CreateProgram(("Triggers", "groupTherapy"));

        var response = await clinic.PutAsync($"/api/scheduling/programs/{program.Id()}/makeup-settings",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await response.AssertValidationProblem(field);
        var settings = await (await clinic.GetAsync($"/api/scheduling/programs/{program.Id()}/makeup-settings")).Json();
        Assert.Equal(7, settings.GetProperty("expiryDays").GetInt32());
        Assert.Equal(3, settings.GetProperty("allowedKinds").GetArrayLength());
    }

    [Fact]
    public async Task Another_clinic_gets_404_for_a_makeup_and_a_programs_settings()
    {
        var scenario = await MakeupScenario.Start(scheduling);
        var makeup = await scenario.Miss(scenario.Sessions[0], scenario.Patients[0]);
        var clinicB = scheduling.ClientFor(Guid.NewGuid());

        await (await clinicB.GetAsync($"/api/scheduling/makeups/{makeup.Id()}")).AssertProblem(HttpStatusCode.NotFound);
        await (await clinicB.GetAsync($"/api/scheduling/makeups/{makeup.Id()}/slots")).AssertProblem(HttpStatusCode.NotFound);
        await (await clinicB.PostAsJsonAsync($"/api/scheduling/makeups/{makeup.Id()}/book",
            new { clinicianId = scenario.Facilitator, startsAt = DateTimeOffset.UtcNow.AddDays(1) })).AssertProblem(HttpStatusCode.NotFound);
        await (await clinicB.GetAsync($"/api/scheduling/programs/{scenario.Program.Id()}/makeup-settings")).AssertProblem(HttpStatusCode.NotFound);
        await (await scenario.Clinic.GetAsync($"/api/scheduling/makeups/{Guid.NewGuid()}")).AssertProblem(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.Unauthorized, (await scheduling.AnonymousClient().GetAsync($"/api/scheduling/makeups/{makeup.Id()}")).StatusCode);
    }

    [Fact]
    public async Task Makeup_settings_of_a_program_the_clinic_does_not_have_answer_the_shared_unknown_program_404_and_write_nothing()
    {
        var scenario = await MakeupScenario.Start(scheduling);
        var clinicB = scheduling.ClientFor(Guid.NewGuid());
        var settings = new { allowedKinds = new[] { "recording" }, expiryDays = 3, searchWindowDays = 14, oneOnOneMinutes = 50, recordingCompletionShare = 0.8 };

        foreach (var response in new[]
                 {
                     await clinicB.PutAsJsonAsync($"/api/scheduling/programs/{scenario.Program.Id()}/makeup-settings", settings),
                     await scenario.Clinic.PutAsJsonAsync($"/api/scheduling/programs/{Guid.NewGuid()}/makeup-settings", settings),
                     await clinicB.GetAsync($"/api/scheduling/programs/{scenario.Program.Id()}/makeup-settings"),
                 })
        {
            await response.AssertProblem(HttpStatusCode.NotFound);
            var problem = await response.Json();
            Assert.Equal(("Unknown program", "program"), (problem.GetProperty("title").GetString(), problem.GetProperty("resource").GetString()));
        }
        var own = await (await scenario.Clinic.GetAsync($"/api/scheduling/programs/{scenario.Program.Id()}/makeup-settings")).Json();
        Assert.Equal(7, own.GetProperty("expiryDays").GetInt32());
    }
}
