using VirtualIop.Contracts.Scheduling;

namespace VirtualIop.Attendance.IntegrationTests;

/// <summary>Attendance follows Scheduling's changes, so the sweep decides no-shows for the session as it really is.</summary>
[Collection(AttendanceCollection.Name)]
public sealed class SessionChangesTests(AttendanceService attendance) : IClassFixture<AttendanceService>
{
    [Fact]
    public async Task Nobody_becomes_a_no_show_for_a_cancelled_session()
    {
        var clinicId = Guid.NewGuid();
        var session = AttendanceService.NewSession(clinicId, patients: 2);
        await attendance.Schedule(session);
        var cancelled = new SessionCancelled(Guid.CreateVersion7(), clinicId, session.SessionId, session.StartsAt, session.TimeZone, "holiday");
        await attendance.Broker.Publish(cancelled);
        await attendance.Consumed.WaitFor(cancelled.EventId, times: 1);

        await attendance.Sweep.RunOnce(session.EndsAt + AttendanceService.NoShowGrace + TimeSpan.FromHours(1), CancellationToken.None);

        Assert.All(await attendance.ClientFor(clinicId).Outcomes(session.SessionId), r => Assert.Equal("pending", r.Outcome));
        Assert.Equal(0, await attendance.SessionMissedRowsInOutbox(session.SessionId));
    }

    [Fact]
    public async Task A_moved_session_is_swept_at_its_new_end_not_its_old_one()
    {
        var clinicId = Guid.NewGuid();
        var session = AttendanceService.NewSession(clinicId, patients: 1);
        await attendance.Schedule(session);
        var later = session.StartsAt.AddDays(1);
        var moved = new SessionRescheduled(Guid.CreateVersion7(), clinicId, session.SessionId, session.StartsAt, later,
            later + (session.EndsAt - session.StartsAt), session.TimeZone, "clinicianUnavailable");
        await attendance.Broker.Publish(moved);
        await attendance.Consumed.WaitFor(moved.EventId, times: 1);
        var clinic = attendance.ClientFor(clinicId);

        await attendance.Sweep.RunOnce(session.EndsAt + AttendanceService.NoShowGrace + TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.All(await clinic.Outcomes(session.SessionId), r => Assert.Equal("pending", r.Outcome));

        await attendance.Sweep.RunOnce(moved.EndsAt + AttendanceService.NoShowGrace + TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.All(await clinic.Outcomes(session.SessionId), r => Assert.Equal("noShow", r.Outcome));
    }

    [Fact]
    public async Task A_patient_who_joins_is_expected_and_one_who_leaves_is_not()
    {
        var clinicId = Guid.NewGuid();
        var session = AttendanceService.NewSession(clinicId, patients: 1);
        await attendance.Schedule(session);
        var joining = Guid.NewGuid();
        var leaving = session.PatientIds[0];
        var added = new SessionParticipantAdded(Guid.CreateVersion7(), clinicId, session.SessionId, joining, session.StartsAt, session.EndsAt, session.TimeZone);
        var removed = new SessionParticipantRemoved(Guid.CreateVersion7(), clinicId, session.SessionId, leaving);
        await attendance.Broker.Publish(added);
        await attendance.Broker.Publish(removed);
        await attendance.Broker.Publish(added); // a redelivery changes nothing
        await attendance.Consumed.WaitFor(added.EventId, times: 2);
        await attendance.Consumed.WaitFor(removed.EventId, times: 1);

        var outcomes = await attendance.ClientFor(clinicId).Outcomes(session.SessionId);

        Assert.Equal(new[] { (joining, "pending") }, outcomes);
    }
}
