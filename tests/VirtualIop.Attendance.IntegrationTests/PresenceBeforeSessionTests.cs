using System.Net;
using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.Attendance.IntegrationTests;

/// <summary>
/// A check-in or a telehealth join can reach Attendance before Scheduling's SessionScheduled does (the README's flow
/// checks patient 1 in right after creating the session). It is held and applied when the session comes, so the patient
/// is never swept as a no-show for a session they attended.
/// </summary>
[Collection(AttendanceCollection.Name)]
public sealed class PresenceBeforeSessionTests(AttendanceService attendance) : IClassFixture<AttendanceService>
{
    static DateTimeOffset GraceOver(SessionScheduled session) => session.EndsAt + AttendanceService.NoShowGrace + TimeSpan.FromMinutes(1);

    [Fact]
    public async Task A_check_in_before_the_session_is_known_is_held_applied_when_it_comes_and_the_patient_is_not_a_no_show()
    {
        var clinicId = Guid.NewGuid();
        var session = AttendanceService.NewSession(clinicId, patients: 2);
        var (first, second) = (session.PatientIds[0], session.PatientIds[1]);
        var clinic = attendance.ClientFor(clinicId);
        var checkedInAt = session.StartsAt.AddMinutes(-5);
        attendance.Clock.Set(checkedInAt);

        var early = await clinic.CheckIn(session.SessionId, first);
        Assert.Equal(HttpStatusCode.Accepted, early.StatusCode);
        var body = await early.Json();
        Assert.Equal("held", body.GetProperty("status").GetString());
        Assert.Equal(first, body.GetProperty("patientId").GetGuid());
        Assert.Equal(HttpStatusCode.NotFound, (await clinic.GetAttendance(session.SessionId)).StatusCode);

        attendance.Clock.Set(checkedInAt.AddMinutes(1));
        await attendance.Schedule(session);

        var record = await clinic.Record(session.SessionId, first);
        Assert.Equal("present", record.GetProperty("outcome").GetString());
        Assert.Equal(checkedInAt, record.GetProperty("checkedInAt").GetDateTimeOffset());
        Assert.Equal(0, await attendance.PendingPresenceRows(clinicId));

        await attendance.Sweep.RunOnce(GraceOver(session), CancellationToken.None);

        Assert.Equal([(first, "present"), (second, "noShow")], await clinic.Outcomes(session.SessionId));
        Assert.Equal(1, await attendance.SessionMissedRowsInOutbox(session.SessionId));
    }

    [Fact]
    public async Task A_telehealth_join_before_the_session_is_known_is_held_applied_when_it_comes_and_the_patient_is_not_a_no_show()
    {
        var (clinicId, secret) = attendance.NewTelehealthClinic();
        var session = AttendanceService.NewSession(clinicId, patients: 1);
        var patient = session.PatientIds[0];
        var platform = attendance.AnonymousClient();
        var joinedAt = session.StartsAt.AddMinutes(2);
        attendance.Clock.Set(joinedAt.AddSeconds(5));

        var joined = await platform.Telehealth(clinicId, secret,
            new { eventId = "evt-early", sessionId = session.SessionId, participantId = patient, participantRole = "patient", kind = "joined", occurredAt = joinedAt },
            joinedAt.AddSeconds(5));
        Assert.Equal(HttpStatusCode.Accepted, joined.StatusCode);
        Assert.Equal("held", (await joined.Json()).GetProperty("status").GetString());

        await attendance.Schedule(session);

        var clinic = attendance.ClientFor(clinicId);
        var record = await clinic.Record(session.SessionId, patient);
        Assert.Equal("present", record.GetProperty("outcome").GetString());
        Assert.Equal(joinedAt, record.GetProperty("checkedInAt").GetDateTimeOffset());
        Assert.Equal("telehealth", record.GetProperty("recordedBy").GetString());

        await attendance.Sweep.RunOnce(GraceOver(session), CancellationToken.None);

        Assert.Equal([(patient, "present")], await clinic.Outcomes(session.SessionId));
        Assert.Equal(0, await attendance.SessionMissedRowsInOutbox(session.SessionId));
    }

    [Fact]
    public async Task A_facilitators_check_in_before_the_session_is_known_is_held_and_shows_once_it_comes()
    {
        var clinicId = Guid.NewGuid();
        var facilitator = Guid.NewGuid();
        var session = AttendanceService.NewSession(clinicId, patients: 1) with { ClinicianId = facilitator };
        var clinic = attendance.ClientFor(clinicId);
        attendance.Clock.Set(session.StartsAt.AddMinutes(-2));

        var early = await clinic.CheckInStaff(session.SessionId, facilitator);
        Assert.Equal(HttpStatusCode.Accepted, early.StatusCode);
        Assert.Equal(facilitator, (await early.Json()).GetProperty("staffId").GetGuid());
        await attendance.Schedule(session);

        var staff = Assert.Single((await (await clinic.GetAttendance(session.SessionId)).Json()).GetProperty("staff").EnumerateArray());
        Assert.Equal((facilitator, "facilitator"), (staff.GetProperty("staffId").GetGuid(), staff.GetProperty("role").GetString()));
        Assert.Equal([(session.PatientIds[0], "pending")], await clinic.Outcomes(session.SessionId));
    }

    [Fact]
    public async Task A_check_in_held_for_a_patient_not_yet_on_the_roster_applies_when_their_membership_comes()
    {
        var clinicId = Guid.NewGuid();
        var session = AttendanceService.NewSession(clinicId, patients: 1) with { Version = 1 };
        var joining = Guid.NewGuid();
        var clinic = attendance.ClientFor(clinicId);
        attendance.Clock.Set(session.StartsAt.AddMinutes(-1));

        Assert.Equal(HttpStatusCode.Accepted, (await clinic.CheckIn(session.SessionId, joining)).StatusCode);
        await attendance.Schedule(session);
        Assert.Equal(1, await attendance.PendingPresenceRows(clinicId));
        await attendance.Deliver(new SessionParticipantAdded(Guid.CreateVersion7(), clinicId, session.SessionId, joining, session.StartsAt,
            session.EndsAt, session.TimeZone, 2));

        Assert.Equal([(session.PatientIds[0], "pending"), (joining, "present")], await clinic.Outcomes(session.SessionId));
        Assert.Equal(0, await attendance.PendingPresenceRows(clinicId));
    }

    [Fact]
    public async Task A_check_in_held_by_one_clinic_is_never_taken_by_another_clinics_session_of_the_same_id()
    {
        var clinicId = Guid.NewGuid();
        var otherClinicId = Guid.NewGuid();
        var session = AttendanceService.NewSession(otherClinicId, patients: 1);
        attendance.Clock.Set(session.StartsAt.AddMinutes(-1));

        Assert.Equal(HttpStatusCode.Accepted, (await attendance.ClientFor(clinicId).CheckIn(session.SessionId, session.PatientIds[0])).StatusCode);
        await attendance.Schedule(session);

        Assert.Equal([(session.PatientIds[0], "pending")], await attendance.ClientFor(otherClinicId).Outcomes(session.SessionId));
        Assert.Equal(1, await attendance.PendingPresenceRows(clinicId));
    }

    [Fact]
    public async Task Presence_held_for_a_session_that_never_comes_is_purged_once_older_than_the_retention()
    {
        var clinicId = Guid.NewGuid();
        var clinic = attendance.ClientFor(clinicId);
        var now = DateTimeOffset.UtcNow;
        var (old, young) = (Guid.NewGuid(), Guid.NewGuid());
        attendance.Clock.Set(now - TimeSpan.FromDays(8));
        Assert.Equal(HttpStatusCode.Accepted, (await clinic.CheckIn(old, Guid.NewGuid())).StatusCode);
        attendance.Clock.Set(now - TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Accepted, (await clinic.CheckIn(young, Guid.NewGuid())).StatusCode);

        await attendance.PendingPresencePurge.RunOnce(now, CancellationToken.None);

        Assert.Equal(1, await attendance.PendingPresenceRows(clinicId));
        Assert.Equal(1, await attendance.PendingPresenceRows(clinicId, young));
    }
}
