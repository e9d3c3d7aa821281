using System.Net;
using System.Net.Http.Json;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Scheduling.Messaging;

namespace VirtualIop.Scheduling.IntegrationTests;

[Collection(SchedulingCollection.Name)]
public sealed class NoticeWithdrawalMakeupTests(SchedulingService scheduling) : IClassFixture<SchedulingService>
{
    static AbsenceNotified Notice(MakeupScenario scenario, Guid patient) => new(Guid.NewGuid(), scenario.ClinicId, Guid.NewGuid(),
        scenario.Sessions[1].Id(), patient, "schedulingConflict", true, scenario.Sessions[1].GetProperty("startsAt").GetDateTimeOffset(),
        "America/New_York", DateTimeOffset.UtcNow);

    static AbsenceNoticeWithdrawn Withdrawal(AbsenceNotified notice) =>
        new(Guid.NewGuid(), notice.ClinicId, notice.NoticeId, notice.SessionId, notice.PatientId, DateTimeOffset.UtcNow);

    async Task<MakeupOffered> Offered(AbsenceNotified notice, int times = 1)
    {
        await scheduling.Broker.Publish(notice);
        return (await scheduling.Broker.WaitFor<MakeupOffered>(e => e.MissedSessionId == notice.SessionId && e.PatientId == notice.PatientId, times))[^1];
    }

    [Fact]
    public async Task Withdrawing_the_notice_withdraws_the_makeup_it_offered_once_however_often_it_is_delivered_and_a_new_notice_offers_it_again()
    {
        var scenario = await MakeupScenario.Start(scheduling);
        var notice = Notice(scenario, scenario.Patients[0]);
        var offered = await Offered(notice);
        var withdrawal = Withdrawal(notice);

        await scheduling.Broker.Publish(withdrawal);
        await scheduling.Broker.Publish(withdrawal);
        await scheduling.Consumed.WaitFor(withdrawal.EventId, 2);

        var makeup = await scenario.Makeup(offered.MakeupId);
        Assert.Equal("withdrawn", makeup.GetProperty("status").GetString());
        var announced = Assert.Single(await scheduling.Broker.WaitFor<MakeupWithdrawn>(e => e.ClinicId == scenario.ClinicId, 1));
        Assert.Equal((offered.MakeupId, notice.SessionId, notice.PatientId, makeup.GetProperty("withdrawnAt").GetDateTimeOffset()),
            (announced.MakeupId, announced.MissedSessionId, announced.PatientId, announced.WithdrawnAt));
        Assert.Equal(1, await scheduling.InboxRows(withdrawal.EventId, WithdrawMakeupOnNoticeWithdrawal.InboxKey));
        await (await scenario.Clinic.GetAsync($"/api/scheduling/makeups/{offered.MakeupId}/slots")).AssertProblem(HttpStatusCode.Conflict);

        // The patient gives notice again: the same makeup is offered afresh.
        var again = await Offered(Notice(scenario, scenario.Patients[0]), times: 2);
        Assert.Equal(offered.MakeupId, again.MakeupId);
        Assert.Equal("offered", (await scenario.Makeup(offered.MakeupId)).GetProperty("status").GetString());
        Assert.Equal(1, (await scheduling.MakeupRowsFor(scenario.ClinicId)).Makeups);
        Assert.Single(scheduling.Broker.Received<MakeupWithdrawn>(e => e.ClinicId == scenario.ClinicId));
    }

    [Fact]
    public async Task Cancelling_the_session_a_notice_was_given_for_withdraws_the_makeup_offered_for_it()
    {
        var scenario = await MakeupScenario.Start(scheduling);
        var notice = Notice(scenario, scenario.Patients[0]);
        var offered = await Offered(notice);

        var cancelled = await scenario.Clinic.PostAsJsonAsync($"/api/scheduling/sessions/{notice.SessionId}/cancel", new { reason = "clinicianUnavailable" });

        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        var makeup = await scenario.Makeup(offered.MakeupId);
        Assert.Equal("withdrawn", makeup.GetProperty("status").GetString());
        var announced = Assert.Single(await scheduling.Broker.WaitFor<MakeupWithdrawn>(e => e.ClinicId == scenario.ClinicId, 1));
        Assert.Equal((offered.MakeupId, notice.SessionId, notice.PatientId), (announced.MakeupId, announced.MissedSessionId, announced.PatientId));
    }

    [Fact]
    public async Task A_makeup_the_patient_already_booked_stays_booked_when_the_notice_is_withdrawn()
    {
        var scenario = await MakeupScenario.Start(scheduling);
        await scenario.SetAvailability(scenario.Facilitator, "09:00", "22:00");
        var notice = Notice(scenario, scenario.Patients[0]);
        var offered = await Offered(notice);
        var slot = (await (await scenario.Clinic.GetAsync($"/api/scheduling/makeups/{offered.MakeupId}/slots")).Json())[0];
        await scenario.Clinic.PostAsJsonAsync($"/api/scheduling/makeups/{offered.MakeupId}/book",
            new { clinicianId = slot.GetProperty("clinicianId").GetGuid(), startsAt = slot.GetProperty("startsAt").GetDateTimeOffset() }).Created();
        var withdrawal = Withdrawal(notice);

        await scheduling.Broker.Publish(withdrawal);
        await scheduling.Consumed.WaitFor(withdrawal.EventId, 1);

        Assert.Equal("booked", (await scenario.Makeup(offered.MakeupId)).GetProperty("status").GetString());
        Assert.Empty(scheduling.Broker.Received<MakeupWithdrawn>(e => e.ClinicId == scenario.ClinicId));
    }

    [Fact]
    public async Task Withdrawing_a_notice_withdraws_only_that_notices_makeup_never_a_no_shows()
    {
        var scenario = await MakeupScenario.Start(scheduling, patients: 2);
        var noShow = await scenario.Miss(scenario.Sessions[1], scenario.Patients[0]);
        var notice = Notice(scenario, scenario.Patients[1]);
        var noticed = await Offered(notice);
        var neverOffered = Withdrawal(Notice(scenario, scenario.Patients[0]));
        var withdrawal = Withdrawal(notice);

        await scheduling.Broker.Publish(neverOffered);
        await scheduling.Broker.Publish(withdrawal);
        await scheduling.Consumed.WaitFor(neverOffered.EventId, 1);
        await scheduling.Consumed.WaitFor(withdrawal.EventId, 1);

        Assert.Equal("offered", (await scenario.Makeup(noShow.Id())).GetProperty("status").GetString());
        Assert.Equal("withdrawn", (await scenario.Makeup(noticed.MakeupId)).GetProperty("status").GetString());
        var announced = Assert.Single(await scheduling.Broker.WaitFor<MakeupWithdrawn>(e => e.ClinicId == scenario.ClinicId, 1));
        Assert.Equal(noticed.MakeupId, announced.MakeupId);
    }
}
