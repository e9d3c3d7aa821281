using System.Net;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Notification;
using VirtualIop.TestSupport;

namespace VirtualIop.Attendance.IntegrationTests;

/// <summary>Notification tells that a patient replied N to a reminder (SessionDeclinedByReply); the default policy: 24 h, or illness/emergency.</summary>
[Collection(AttendanceCollection.Name)]
public sealed class DeclinedReplyTests(AttendanceService attendance) : IClassFixture<AttendanceService>
{
    static SessionDeclinedByReply Declined(Contracts.Scheduling.SessionScheduled session, Guid patientId, DateTimeOffset receivedAt) =>
        new(Guid.CreateVersion7(), session.ClinicId, session.SessionId, patientId, "sms", receivedAt);

    [Fact]
    public async Task A_reply_of_N_is_a_notice_from_the_patient_excused_by_notice_hours_and_announced_once_though_redelivered()
    {
        var clinicId = Guid.NewGuid();
        var session = AttendanceService.NewSession(clinicId, patients: 2);
        await attendance.Schedule(session);
        var early = Declined(session, session.PatientIds[0], session.StartsAt.AddHours(-25));
        var late = Declined(session, session.PatientIds[1], session.StartsAt.AddHours(-2));

        await attendance.Broker.Publish(early);
        await attendance.Broker.Publish(early);
        await attendance.Broker.Publish(late);
        await attendance.Consumed.WaitFor(early.EventId, times: 2);
        await attendance.Consumed.WaitFor(late.EventId, times: 1);

        var clinic = attendance.ClientFor(clinicId);
        Assert.Equal([(session.PatientIds[0], "excusedAbsence"), (session.PatientIds[1], "unexcusedAbsence")], await clinic.Outcomes(session.SessionId));
        var record = await clinic.Record(session.SessionId, session.PatientIds[0]);
        Assert.Equal(("other", "patient:sms-reply"), (record.GetProperty("reasonCategory").GetString(), record.GetProperty("recordedBy").GetString()));
        await Eventually.Until(attendance.UnsentOutboxRows, n => n == 0, "the outbox to drain");
        var notified = await attendance.Broker.WaitFor<AbsenceNotified>(e => e.SessionId == session.SessionId, 2);
        Assert.Equal(2, notified.Count);
        var excused = notified.Single(n => n.PatientId == session.PatientIds[0]);
        Assert.Equal(("other", true, early.ReceivedAt), (excused.ReasonCategory, excused.Excused, excused.NotifiedAt));
        Assert.False(notified.Single(n => n.PatientId == session.PatientIds[1]).Excused);
        var notice = await clinic.GetAsync($"/api/attendance/absence-notices/{excused.NoticeId}");
        Assert.Equal(HttpStatusCode.OK, notice.StatusCode);
        Assert.Equal("patient", (await notice.Json()).GetProperty("notifiedBy").GetString());
    }

    [Fact]
    public async Task A_reply_after_the_session_ended_or_for_a_patient_not_in_it_changes_nothing()
    {
        var clinicId = Guid.NewGuid();
        var session = AttendanceService.NewSession(clinicId, patients: 1);
        await attendance.Schedule(session);
        var tooLate = Declined(session, session.PatientIds[0], session.EndsAt);
        var stranger = Declined(session, Guid.NewGuid(), session.StartsAt.AddHours(-30));
        var otherClinic = Declined(session, session.PatientIds[0], session.StartsAt.AddHours(-30)) with { ClinicId = Guid.NewGuid() };

        await attendance.Broker.Publish(tooLate);
        await attendance.Broker.Publish(stranger);
        await attendance.Broker.Publish(otherClinic);
        await attendance.Consumed.WaitFor(tooLate.EventId, times: 1);
        await attendance.Consumed.WaitFor(stranger.EventId, times: 1);
        await attendance.Consumed.WaitFor(otherClinic.EventId, times: 1);

        Assert.Equal([(session.PatientIds[0], "pending")], await attendance.ClientFor(clinicId).Outcomes(session.SessionId));
        Assert.Equal(0, await attendance.AbsenceNoticeRows(clinicId));
        Assert.Equal(0, await attendance.AbsenceNoticeRows(otherClinic.ClinicId));
    }
}
