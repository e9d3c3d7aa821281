using System.Net.Http.Json;
using System.Text.Json;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Scheduling.Messaging;

namespace VirtualIop.Scheduling.IntegrationTests;

/// <summary>A clinician corrects a no-show to present or excused: the makeup offered for the miss is taken back, whatever order the reports come in.</summary>
[Collection(SchedulingCollection.Name)]
public sealed class CorrectionMakeupTests(SchedulingService scheduling) : IClassFixture<SchedulingService>
{
    static SessionMissed Missed(MakeupScenario scenario, JsonElement session, Guid patient, DateTimeOffset detectedAt) =>
        new(Guid.NewGuid(), scenario.ClinicId, session.Id(), patient, session.GetProperty("startsAt").GetDateTimeOffset(), "America/New_York", detectedAt);

    static AttendanceCorrected Corrected(MakeupScenario scenario, JsonElement session, Guid patient, string outcome, DateTimeOffset correctedAt) =>
        new(Guid.NewGuid(), scenario.ClinicId, session.Id(), patient, "noShow", outcome, outcome == "excusedAbsence" ? "illness" : null, correctedAt);

    [Fact]
    public async Task Correcting_a_no_show_to_excused_withdraws_its_makeup_once_however_often_the_correction_is_delivered()
    {
        var scenario = await MakeupScenario.Start(scheduling);
        var offered = await scenario.Miss(scenario.Sessions[0], scenario.Patients[0]);
        var correction = Corrected(scenario, scenario.Sessions[0], scenario.Patients[0], "excusedAbsence", DateTimeOffset.UtcNow);

        await scheduling.Broker.Publish(correction);
        await scheduling.Broker.Publish(correction);
        await scheduling.Consumed.WaitFor(correction.EventId, 2);

        var makeup = await scenario.Makeup(offered.Id());
        Assert.Equal("withdrawn", makeup.GetProperty("status").GetString());
        var announced = Assert.Single(await scheduling.Broker.WaitFor<MakeupWithdrawn>(e => e.ClinicId == scenario.ClinicId, 1));
        Assert.Equal((offered.Id(), correction.SessionId, correction.PatientId, makeup.GetProperty("withdrawnAt").GetDateTimeOffset()),
            (announced.MakeupId, announced.MissedSessionId, announced.PatientId, announced.WithdrawnAt));
        Assert.Equal(1, await scheduling.InboxRows(correction.EventId, WithdrawMakeupOnCorrection.InboxKey));
    }

    [Fact]
    public async Task A_correction_to_an_unexcused_absence_keeps_the_makeup_and_one_to_present_withdraws_it()
    {
        var scenario = await MakeupScenario.Start(scheduling);
        var offered = await scenario.Miss(scenario.Sessions[0], scenario.Patients[0]);
        var unexcused = Corrected(scenario, scenario.Sessions[0], scenario.Patients[0], "unexcusedAbsence", DateTimeOffset.UtcNow);

        await scheduling.Broker.Publish(unexcused);
        await scheduling.Consumed.WaitFor(unexcused.EventId, 1);
        Assert.Equal("offered", (await scenario.Makeup(offered.Id())).GetProperty("status").GetString());

        var present = Corrected(scenario, scenario.Sessions[0], scenario.Patients[0], "present", DateTimeOffset.UtcNow.AddSeconds(1));
        await scheduling.Broker.Publish(present);
        await scheduling.Consumed.WaitFor(present.EventId, 1);
        Assert.Equal("withdrawn", (await scenario.Makeup(offered.Id())).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_makeup_the_patient_already_booked_stays_theirs_when_the_miss_is_corrected()
    {
        var scenario = await MakeupScenario.Start(scheduling);
        await scenario.SetAvailability(scenario.Facilitator, "09:00", "22:00");
        var offered = await scenario.Miss(scenario.Sessions[0], scenario.Patients[0]);
        var slot = (await (await scenario.Clinic.GetAsync($"/api/scheduling/makeups/{offered.Id()}/slots")).Json())[0];
        await scenario.Clinic.PostAsJsonAsync($"/api/scheduling/makeups/{offered.Id()}/book",
            new { clinicianId = slot.GetProperty("clinicianId").GetGuid(), startsAt = slot.GetProperty("startsAt").GetDateTimeOffset() }).Created();
        var correction = Corrected(scenario, scenario.Sessions[0], scenario.Patients[0], "present", DateTimeOffset.UtcNow);

        await scheduling.Broker.Publish(correction);
        await scheduling.Consumed.WaitFor(correction.EventId, 1);

        Assert.Equal("booked", (await scenario.Makeup(offered.Id())).GetProperty("status").GetString());
        Assert.Empty(scheduling.Broker.Received<MakeupWithdrawn>(e => e.ClinicId == scenario.ClinicId));
    }

    [Fact]
    public async Task A_no_show_that_arrives_after_its_correction_offers_no_makeup()
    {
        var scenario = await MakeupScenario.Start(scheduling, patients: 2);
        var correctedAt = DateTimeOffset.UtcNow;
        var correction = Corrected(scenario, scenario.Sessions[0], scenario.Patients[0], "excusedAbsence", correctedAt);
        var late = Missed(scenario, scenario.Sessions[0], scenario.Patients[0], correctedAt.AddMinutes(-5));

        await scheduling.Broker.Publish(correction);
        await scheduling.Consumed.WaitFor(correction.EventId, 1);
        await scheduling.Broker.Publish(late);
        await scheduling.Consumed.WaitFor(late.EventId, 1);
        // The other patient's miss, not corrected, is offered a makeup: it shows the offers went through while the late one did not.
        await scenario.Miss(scenario.Sessions[0], scenario.Patients[1]);

        Assert.Empty(scheduling.Broker.Received<MakeupOffered>(e => e.ClinicId == scenario.ClinicId && e.PatientId == scenario.Patients[0]));
        Assert.Equal(1, (await scheduling.MakeupRowsFor(scenario.ClinicId)).Makeups);
    }
}
