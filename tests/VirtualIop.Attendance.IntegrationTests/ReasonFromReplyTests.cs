using System.Net;
using Dapper;
using Npgsql;
using VirtualIop.Contracts.Notification;
using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.Attendance.IntegrationTests;

/// <summary>
/// Notification tells that a patient who declined by text then gave the reason (AbsenceReasonGivenByReply): the notice
/// the decline gave takes it, once, whichever of the two events comes first.
/// </summary>
[Collection(AttendanceCollection.Name)]
public sealed class ReasonFromReplyTests(AttendanceService attendance) : IClassFixture<AttendanceService>
{
    static SessionDeclinedByReply Declined(SessionScheduled session, DateTimeOffset receivedAt) =>
        new(Guid.CreateVersion7(), session.ClinicId, session.SessionId, session.PatientIds[0], "sms", receivedAt);

    static AbsenceReasonGivenByReply Reason(SessionScheduled session, string reason, DateTimeOffset receivedAt) =>
        new(Guid.CreateVersion7(), session.ClinicId, session.SessionId, session.PatientIds[0], reason, "sms", receivedAt);

    async Task<(string Reason, bool Excused)> Notice(SessionScheduled session)
    {
        await using var db = new NpgsqlConnection(attendance.ConnectionString);
        return await db.QuerySingleAsync<(string, bool)>(
            "select reason_category, excused from absence_notice where clinic_id = @ClinicId and session_id = @SessionId and withdrawn_at is null",
            new { session.ClinicId, session.SessionId });
    }

    [Fact]
    public async Task A_1_after_N_makes_the_notice_technical_difficulty_once_though_redelivered()
    {
        var session = AttendanceService.NewSession(Guid.NewGuid(), patients: 1);
        await attendance.Schedule(session);
        await attendance.Deliver(Declined(session, session.StartsAt.AddHours(-30)));
        var given = Reason(session, "technicalDifficulty", session.StartsAt.AddHours(-29));

        await attendance.Broker.Publish(given);
        await attendance.Broker.Publish(given);
        await attendance.Consumed.WaitFor(given.EventId, times: 2);

        Assert.Equal(("technicalDifficulty", true), await Notice(session));
        var record = await attendance.ClientFor(session.ClinicId).Record(session.SessionId, session.PatientIds[0]);
        Assert.Equal(("excusedAbsence", "technicalDifficulty"), (record.GetProperty("outcome").GetString(), record.GetProperty("reasonCategory").GetString()));
        Assert.Equal(1, await attendance.AbsenceNoticeRows(session.ClinicId));
    }

    [Fact]
    public async Task Illness_given_after_a_last_minute_N_excuses_the_absence()
    {
        var session = AttendanceService.NewSession(Guid.NewGuid(), patients: 1);
        await attendance.Schedule(session);
        await attendance.Deliver(Declined(session, session.StartsAt.AddHours(-2)));
        var before = await attendance.ClientFor(session.ClinicId).Record(session.SessionId, session.PatientIds[0]);
        Assert.Equal("unexcusedAbsence", before.GetProperty("outcome").GetString());

        await attendance.Deliver(Reason(session, "illness", session.StartsAt.AddHours(-1)));

        Assert.Equal(("illness", true), await Notice(session));
        var after = await attendance.ClientFor(session.ClinicId).Record(session.SessionId, session.PatientIds[0]);
        Assert.Equal(("excusedAbsence", "illness"), (after.GetProperty("outcome").GetString(), after.GetProperty("reasonCategory").GetString()));
    }

    [Fact]
    public async Task A_reason_taken_in_before_its_decline_is_the_reason_of_the_notice_the_decline_records()
    {
        var session = AttendanceService.NewSession(Guid.NewGuid(), patients: 1);
        await attendance.Schedule(session);

        await attendance.Deliver(Reason(session, "emergency", session.StartsAt.AddHours(-1)));
        Assert.Equal(0, await attendance.AbsenceNoticeRows(session.ClinicId));
        await attendance.Deliver(Declined(session, session.StartsAt.AddHours(-2)));

        Assert.Equal(("emergency", true), await Notice(session));
    }

    [Fact]
    public async Task A_reason_for_a_session_the_patient_did_not_decline_by_text_changes_no_notice()
    {
        var session = AttendanceService.NewSession(Guid.NewGuid(), patients: 1);
        await attendance.Schedule(session);
        var clinic = attendance.ClientFor(session.ClinicId);
        Assert.Equal(HttpStatusCode.Created, (await clinic.NotifyAbsence(new
        {
            sessionId = session.SessionId, patientId = session.PatientIds[0], reasonCategory = "schedulingConflict"
        })).StatusCode);

        await attendance.Deliver(Reason(session, "lowMotivation", DateTimeOffset.UtcNow));

        Assert.Equal("schedulingConflict", (await Notice(session)).Reason);
    }
}
