using System.Net;
using Dapper;
using Npgsql;
using VirtualIop.Contracts.Attendance;
using VirtualIop.TestSupport;

namespace VirtualIop.Attendance.IntegrationTests;

/// <summary>Advance notices at chosen instants (the service's clock is set); the default policy: 24 h, or illness/emergency.</summary>
[Collection(AttendanceCollection.Name)]
public sealed class AbsenceNoticeTests(AttendanceService attendance) : IClassFixture<AttendanceService>
{
    [Fact]
    public async Task A_notice_a_day_ahead_is_an_excused_absence_announced_once_and_the_sweep_does_not_make_it_a_no_show()
    {
        var clinicId = Guid.NewGuid();
        var session = AttendanceService.NewSession(clinicId, patients: 2);
        var clinic = attendance.ClientFor(clinicId);
        var patient = session.PatientIds[0];
        await attendance.Schedule(session);
        attendance.Clock.Set(session.StartsAt.AddHours(-25));

        var created = await clinic.NotifyAbsence(new
        {
            sessionId = session.SessionId, patientId = patient, reasonCategory = "schedulingConflict", notes = "Work shift", notifiedBy = "patient"
        });
        await attendance.Sweep.RunOnce(session.EndsAt + AttendanceService.NoShowGrace, CancellationToken.None);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var notice = await created.Json();
        Assert.True(notice.GetProperty("excused").GetBoolean());
        Assert.Equal("active", notice.GetProperty("status").GetString());
        Assert.Equal($"/api/attendance/absence-notices/{notice.GetProperty("id").GetGuid()}", created.Headers.Location?.OriginalString);
        Assert.Equal([(patient, "excusedAbsence"), (session.PatientIds[1], "noShow")], await clinic.Outcomes(session.SessionId));
        var record = await clinic.Record(session.SessionId, patient);
        Assert.Equal("schedulingConflict", record.GetProperty("reasonCategory").GetString());
        Assert.Equal("Work shift", record.GetProperty("notes").GetString());
        var notified = Assert.Single(await attendance.Broker.WaitFor<AbsenceNotified>(e => e.SessionId == session.SessionId, 1));
        Assert.Equal((notice.GetProperty("id").GetGuid(), patient, "schedulingConflict", true, session.StartsAt),
            (notified.NoticeId, notified.PatientId, notified.ReasonCategory, notified.Excused, notified.SessionStartsAt));
        var missed = await attendance.Broker.WaitFor<SessionMissed>(e => e.SessionId == session.SessionId, 1);
        Assert.Equal(session.PatientIds[1], Assert.Single(missed).PatientId);
    }

    [Fact]
    public async Task A_late_notice_is_excused_for_illness_but_not_for_low_motivation()
    {
        var clinicId = Guid.NewGuid();
        var session = AttendanceService.NewSession(clinicId, patients: 2);
        var clinic = attendance.ClientFor(clinicId);
        await attendance.Schedule(session);
        attendance.Clock.Set(session.StartsAt.AddHours(-2));

        var ill = await (await clinic.NotifyAbsence(new { sessionId = session.SessionId, patientId = session.PatientIds[0], reasonCategory = "illness" })).Json();
        var unmotivated = await (await clinic.NotifyAbsence(new
        {
            sessionId = session.SessionId, patientId = session.PatientIds[1], reasonCategory = "lowMotivation", notifiedBy = "staff"
        })).Json();

        Assert.True(ill.GetProperty("excused").GetBoolean());
        Assert.False(unmotivated.GetProperty("excused").GetBoolean());
        Assert.Equal("staff", unmotivated.GetProperty("notifiedBy").GetString());
        Assert.Equal([(session.PatientIds[0], "excusedAbsence"), (session.PatientIds[1], "unexcusedAbsence")], await clinic.Outcomes(session.SessionId));
    }

    [Fact]
    public async Task Withdrawing_a_notice_before_the_session_makes_the_patient_expected_again_and_is_announced()
    {
        var clinicId = Guid.NewGuid();
        var session = AttendanceService.NewSession(clinicId, patients: 1);
        var clinic = attendance.ClientFor(clinicId);
        var patient = session.PatientIds[0];
        await attendance.Schedule(session);
        attendance.Clock.Set(session.StartsAt.AddHours(-3));
        var noticeId = (await (await clinic.NotifyAbsence(new { sessionId = session.SessionId, patientId = patient, reasonCategory = "emergency" })).Json())
            .GetProperty("id").GetGuid();

        attendance.Clock.Set(session.StartsAt.AddMinutes(-1));
        var withdrawn = await clinic.WithdrawNotice(noticeId);
        var again = await clinic.WithdrawNotice(noticeId);

        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        Assert.Equal("withdrawn", (await withdrawn.Json()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal([(patient, "pending")], await clinic.Outcomes(session.SessionId));
        var announced = await attendance.Broker.WaitFor<AbsenceNoticeWithdrawn>(e => e.NoticeId == noticeId, 1);
        await Eventually.Until(attendance.UnsentOutboxRows, n => n == 0, "the outbox to drain");
        Assert.Single(attendance.Broker.Received<AbsenceNoticeWithdrawn>(e => e.NoticeId == noticeId));
        Assert.Equal(patient, Assert.Single(announced).PatientId);
        var renewed = await clinic.NotifyAbsence(new { sessionId = session.SessionId, patientId = patient, reasonCategory = "illness" });
        Assert.Equal(HttpStatusCode.Created, renewed.StatusCode);
    }

    [Fact]
    public async Task A_notice_cannot_be_withdrawn_once_the_session_has_started()
    {
        var clinicId = Guid.NewGuid();
        var session = AttendanceService.NewSession(clinicId, patients: 1);
        var clinic = attendance.ClientFor(clinicId);
        await attendance.Schedule(session);
        attendance.Clock.Set(session.StartsAt.AddHours(-3));
        var noticeId = (await (await clinic.NotifyAbsence(new { sessionId = session.SessionId, patientId = session.PatientIds[0], reasonCategory = "illness" })).Json())
            .GetProperty("id").GetGuid();
        attendance.Clock.Set(session.StartsAt);

        var late = await clinic.WithdrawNotice(noticeId);

        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal([(session.PatientIds[0], "excusedAbsence")], await clinic.Outcomes(session.SessionId));
        Assert.Equal(HttpStatusCode.NotFound, (await attendance.ClientFor(Guid.NewGuid()).WithdrawNotice(noticeId)).StatusCode);
    }

    [Fact]
    public async Task A_notice_after_the_session_ended_with_an_unknown_reason_or_a_second_time_is_refused_and_nothing_is_written()
    {
        var clinicId = Guid.NewGuid();
        var session = AttendanceService.NewSession(clinicId, patients: 1);
        var clinic = attendance.ClientFor(clinicId);
        var patient = session.PatientIds[0];
        await attendance.Schedule(session);

        attendance.Clock.Set(session.EndsAt);
        var afterEnd = await clinic.NotifyAbsence(new { sessionId = session.SessionId, patientId = patient, reasonCategory = "illness" });
        attendance.Clock.Set(session.StartsAt.AddHours(-1));
        var unknownReason = await clinic.NotifyAbsence(new { sessionId = session.SessionId, patientId = patient, reasonCategory = "hangover" });
        var stranger = await clinic.NotifyAbsence(new { sessionId = session.SessionId, patientId = Guid.NewGuid(), reasonCategory = "illness" });
        var otherClinic = await attendance.ClientFor(Guid.NewGuid()).NotifyAbsence(new { sessionId = session.SessionId, patientId = patient, reasonCategory = "illness" });
        var first = await clinic.NotifyAbsence(new { sessionId = session.SessionId, patientId = patient, reasonCategory = "illness" });
        var second = await clinic.NotifyAbsence(new { sessionId = session.SessionId, patientId = patient, reasonCategory = "other" });

        foreach (var (response, field) in new[] { (afterEnd, "sessionId"), (unknownReason, "reasonCategory"), (stranger, "patientId") })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.Json()).GetProperty("errors").TryGetProperty(field, out _), field);
        }
        Assert.Equal(HttpStatusCode.NotFound, otherClinic.StatusCode);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal(1, await NoticeRows(session.SessionId));
    }

    [Fact]
    public async Task Notices_need_a_token()
    {
        var response = await attendance.AnonymousClient().NotifyAbsence(new { sessionId = Guid.NewGuid(), patientId = Guid.NewGuid(), reasonCategory = "illness" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    async Task<int> NoticeRows(Guid sessionId)
    {
        await using var db = new NpgsqlConnection(attendance.ConnectionString);
        return await db.ExecuteScalarAsync<int>("select count(*)::int from absence_notice where session_id = @SessionId", new { SessionId = sessionId });
    }
}
