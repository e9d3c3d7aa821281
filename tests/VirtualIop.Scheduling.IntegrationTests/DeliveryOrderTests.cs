using System.Net;
using System.Net.Http.Json;
using VirtualIop.Contracts;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.Scheduling.IntegrationTests;

/// <summary>
/// Attendance's reports reach Scheduling in whatever order the relays and retries deliver them; the makeups end as they
/// would had the reports come in the order they happened.
/// </summary>
[Collection(SchedulingCollection.Name)]
public sealed class DeliveryOrderTests(SchedulingService scheduling) : IClassFixture<SchedulingService>
{
    static AbsenceNotified Notice(MakeupScenario scenario) => new(Guid.NewGuid(), scenario.ClinicId, Guid.NewGuid(), scenario.Sessions[1].Id(),
        scenario.Patients[0], "illness", true, scenario.Sessions[1].GetProperty("startsAt").GetDateTimeOffset(), "America/New_York", DateTimeOffset.UtcNow);

    static AbsenceNoticeWithdrawn Withdrawal(AbsenceNotified notice) =>
        new(Guid.NewGuid(), notice.ClinicId, notice.NoticeId, notice.SessionId, notice.PatientId, DateTimeOffset.UtcNow);

    static SessionMissed NoShow(AbsenceNotified notice) =>
        new(Guid.NewGuid(), notice.ClinicId, notice.SessionId, notice.PatientId, notice.SessionStartsAt, notice.TimeZone, DateTimeOffset.UtcNow);

    /// <summary>Delivers one report and waits until Scheduling consumed it, so the next goes out after it.</summary>
    async Task Deliver<T>(T report) where T : class, IIntegrationEvent
    {
        await scheduling.Broker.Publish(report);
        await scheduling.Consumed.WaitFor(report.EventId, 1);
    }

    async Task<string?> MakeupStatus(MakeupScenario scenario)
    {
        var makeups = (await (await scenario.Clinic.GetAsync($"/api/scheduling/makeups?patientId={scenario.Patients[0]}")).Json()).EnumerateArray().ToList();
        return makeups.Count == 0 ? null : Assert.Single(makeups).GetProperty("status").GetString();
    }

    [Fact]
    public async Task A_notice_that_arrives_after_its_withdrawal_offers_no_makeup()
    {
        var scenario = await MakeupScenario.Start(scheduling);
        var notice = Notice(scenario);

        await Deliver(Withdrawal(notice));
        await Deliver(notice);

        Assert.Null(await MakeupStatus(scenario));
        Assert.Empty(scheduling.Broker.Received<MakeupOffered>(e => e.ClinicId == scenario.ClinicId));
    }

    [Fact]
    public async Task A_no_show_keeps_its_makeup_offered_whether_the_notice_was_withdrawn_before_or_after_it_arrived()
    {
        var inOrder = await MakeupScenario.Start(scheduling);
        var notice = Notice(inOrder);
        await Deliver(notice);
        await Deliver(Withdrawal(notice));
        await Deliver(NoShow(notice));

        var crossed = await MakeupScenario.Start(scheduling);
        var crossedNotice = Notice(crossed);
        await Deliver(crossedNotice);
        await Deliver(NoShow(crossedNotice));
        await Deliver(Withdrawal(crossedNotice));

        Assert.Equal("offered", await MakeupStatus(inOrder));
        Assert.Equal("offered", await MakeupStatus(crossed));
        Assert.Empty(scheduling.Broker.Received<MakeupWithdrawn>(e => e.ClinicId == crossed.ClinicId));
    }

    [Fact]
    public async Task A_notice_that_arrives_after_its_session_was_cancelled_offers_no_makeup()
    {
        var scenario = await MakeupScenario.Start(scheduling);
        var notice = Notice(scenario);
        Assert.Equal(HttpStatusCode.OK,
            (await scenario.Clinic.PostAsJsonAsync($"/api/scheduling/sessions/{notice.SessionId}/cancel", new { reason = "clinicianUnavailable" })).StatusCode);

        await Deliver(notice);

        Assert.Null(await MakeupStatus(scenario));
        Assert.Empty(scheduling.Broker.Received<MakeupOffered>(e => e.ClinicId == scenario.ClinicId));
    }
}
