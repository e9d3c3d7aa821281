using System.Diagnostics.Metrics;
using System.Net;
using VirtualIop.Attendance.Workers;
using VirtualIop.Contracts.Attendance;
using VirtualIop.TestSupport;

namespace VirtualIop.Attendance.IntegrationTests;

/// <summary>The sweep runs at a time the test chooses (RunOnce(now)); the sessions start in an hour, so the real-time pass leaves them alone.</summary>
[Collection(AttendanceCollection.Name)]
public sealed class NoShowSweepTests(AttendanceService attendance) : IClassFixture<AttendanceService>
{
    static DateTimeOffset GraceOver(Contracts.Scheduling.SessionScheduled session) => session.EndsAt + AttendanceService.NoShowGrace;

    [Fact]
    public async Task Once_the_grace_has_passed_everyone_still_pending_is_a_no_show_and_each_miss_is_announced()
    {
        var clinicId = Guid.NewGuid();
        var session = AttendanceService.NewSession(clinicId, patients: 3);
        var clinic = attendance.ClientFor(clinicId);
        await attendance.Schedule(session);
        Assert.Equal(HttpStatusCode.OK, (await clinic.CheckIn(session.SessionId, session.PatientIds[0])).StatusCode);
        var now = GraceOver(session);

        await attendance.Sweep.RunOnce(now, CancellationToken.None);

        Assert.Equal([(session.PatientIds[0], "present"), (session.PatientIds[1], "noShow"), (session.PatientIds[2], "noShow")],
            await clinic.Outcomes(session.SessionId));
        var missed = await attendance.Broker.WaitFor<SessionMissed>(e => e.SessionId == session.SessionId, 2);
        Assert.Equal(session.PatientIds.Skip(1).Order(), missed.Select(m => m.PatientId).Order());
        Assert.All(missed, m =>
        {
            Assert.Equal(clinicId, m.ClinicId);
            Assert.Equal(session.StartsAt, m.SessionStartsAt);
            Assert.Equal("America/Chicago", m.TimeZone);
            Assert.Equal(now, m.DetectedAt);
            Assert.NotEqual(Guid.Empty, m.EventId);
        });
        Assert.Equal(2, missed.Select(m => m.EventId).Distinct().Count());
    }

    [Fact]
    public async Task The_sweep_reports_the_no_shows_it_decided_and_its_duration_on_the_attendance_meter()
    {
        var session = AttendanceService.NewSession(Guid.NewGuid(), patients: 3);
        await attendance.Schedule(session);
        var meters = attendance.Meters;
        long noShows = 0;
        var passes = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only this service's meter: other fixtures in the process run sweeps of their own.
            if (instrument.Meter.Name == SweepMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meters)) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == "virtualiop.attendance.no_shows") Interlocked.Add(ref noShows, value);
        });
        listener.SetMeasurementEventCallback<double>((instrument, _, _, _) =>
        {
            if (instrument.Name == "virtualiop.attendance.sweep.duration") Interlocked.Increment(ref passes);
        });
        listener.Start();

        await attendance.Sweep.RunOnce(GraceOver(session), CancellationToken.None);

        // At least this session's three: the pass also decides what earlier tests of the class left pending and due by then.
        Assert.True(Interlocked.Read(ref noShows) >= 3, $"The meter counted {Interlocked.Read(ref noShows)} no-shows.");
        Assert.True(Volatile.Read(ref passes) >= 1, "The pass recorded its duration.");
    }

    [Fact]
    public async Task Before_the_grace_has_passed_the_sweep_decides_nothing()
    {
        var clinicId = Guid.NewGuid();
        var session = AttendanceService.NewSession(clinicId, patients: 2);
        var clinic = attendance.ClientFor(clinicId);
        await attendance.Schedule(session);

        await attendance.Sweep.RunOnce(GraceOver(session).AddSeconds(-1), CancellationToken.None);

        Assert.All(await clinic.Outcomes(session.SessionId), r => Assert.Equal("pending", r.Outcome));
        Assert.Equal(0, await attendance.SessionMissedRowsInOutbox(session.SessionId));
    }

    [Fact]
    public async Task Concurrent_and_repeated_sweeps_announce_each_miss_once()
    {
        var clinicId = Guid.NewGuid();
        var session = AttendanceService.NewSession(clinicId, patients: 4);
        await attendance.Schedule(session);
        var now = GraceOver(session).AddMinutes(1);

        // As if several replicas ran their pass at the same moment, then one ran again.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => attendance.Sweep.RunOnce(now, CancellationToken.None))));
        await attendance.Sweep.RunOnce(now.AddMinutes(1), CancellationToken.None);

        Assert.All(await attendance.ClientFor(clinicId).Outcomes(session.SessionId), r => Assert.Equal("noShow", r.Outcome));
        Assert.Equal(4, await attendance.SessionMissedRowsInOutbox(session.SessionId));
        await Eventually.Until(attendance.UnsentOutboxRows, n => n == 0, "the outbox to drain");
        var missed = await attendance.Broker.WaitFor<SessionMissed>(e => e.SessionId == session.SessionId, 4);
        Assert.Equal(session.PatientIds.Order(), missed.Select(m => m.PatientId).Order());
    }

    [Fact]
    public async Task A_late_check_in_after_the_sweep_corrects_the_no_show_to_present()
    {
        var clinicId = Guid.NewGuid();
        var session = AttendanceService.NewSession(clinicId, patients: 1);
        var clinic = attendance.ClientFor(clinicId);
        var patient = session.PatientIds[0];
        await attendance.Schedule(session);
        await attendance.Sweep.RunOnce(GraceOver(session), CancellationToken.None);
        Assert.Equal([(patient, "noShow")], await clinic.Outcomes(session.SessionId));

        var late = await clinic.CheckIn(session.SessionId, patient);

        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        Assert.Equal("present", (await late.Json()).GetProperty("outcome").GetString());
        Assert.Equal([(patient, "present")], await clinic.Outcomes(session.SessionId));
        await attendance.Broker.WaitFor<SessionAttended>(e => e.SessionId == session.SessionId && e.PatientId == patient, 1);
    }
}
