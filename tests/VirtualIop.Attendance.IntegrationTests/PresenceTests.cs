using System.Net;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.TestSupport;

namespace VirtualIop.Attendance.IntegrationTests;

/// <summary>Joins and leaves at chosen instants (the service's clock is set), adding up to minutes and outcomes.</summary>
[Collection(AttendanceCollection.Name)]
public sealed class PresenceTests(AttendanceService attendance) : IClassFixture<AttendanceService>
{
    [Fact]
    public async Task Several_joins_and_leaves_add_up_and_leaving_early_makes_the_patient_partial()
    {
        var clinicId = Guid.NewGuid();
        var session = AttendanceService.NewSession(clinicId, patients: 1);
        var clinic = attendance.ClientFor(clinicId);
        var patient = session.PatientIds[0];
        await attendance.Schedule(session);

        attendance.Clock.Set(session.StartsAt);
        Assert.Equal(HttpStatusCode.OK, (await clinic.CheckIn(session.SessionId, patient)).StatusCode);
        attendance.Clock.Set(session.StartsAt.AddMinutes(30));
        var dropped = await (await clinic.CheckOut(session.SessionId, patient)).Json();
        attendance.Clock.Set(session.StartsAt.AddMinutes(35));
        var back = await (await clinic.CheckIn(session.SessionId, patient)).Json();
        attendance.Clock.Set(session.StartsAt.AddMinutes(60));
        var left = await clinic.CheckOut(session.SessionId, patient);

        Assert.Equal("partial", dropped.GetProperty("outcome").GetString());
        Assert.Equal(30, dropped.GetProperty("minutesAttended").GetInt32());
        Assert.Equal("present", back.GetProperty("outcome").GetString());
        Assert.Equal(HttpStatusCode.OK, left.StatusCode);
        var record = await clinic.Record(session.SessionId, patient);
        Assert.Equal("partial", record.GetProperty("outcome").GetString());
        Assert.Equal(55, record.GetProperty("minutesAttended").GetInt32());
        Assert.True(record.GetProperty("checkedInAt").GetDateTimeOffset() < session.StartsAt.AddMinutes(1));
        Assert.True(record.GetProperty("checkedOutAt").GetDateTimeOffset() >= session.StartsAt.AddMinutes(60));
        Assert.Equal("test-client", record.GetProperty("recordedBy").GetString());
        await Eventually.Until(attendance.UnsentOutboxRows, n => n == 0, "the outbox to drain");
        Assert.Single(attendance.Broker.Received<SessionAttended>(e => e.SessionId == session.SessionId));
    }

    [Fact]
    public async Task Joining_after_the_late_threshold_is_late()
    {
        var clinicId = Guid.NewGuid();
        var session = AttendanceService.NewSession(clinicId, patients: 1);
        var clinic = attendance.ClientFor(clinicId);
        await attendance.Schedule(session);
        attendance.Clock.Set(session.StartsAt.AddMinutes(11));

        var late = await clinic.CheckIn(session.SessionId, session.PatientIds[0]);

        Assert.Equal("late", (await late.Json()).GetProperty("outcome").GetString());
        await attendance.Broker.WaitFor<SessionAttended>(e => e.SessionId == session.SessionId, 1);
    }

    [Fact]
    public async Task A_facilitator_and_a_stand_in_clinician_are_shown_as_staff_and_never_become_patient_no_shows()
    {
        var clinicId = Guid.NewGuid();
        var facilitator = Guid.NewGuid();
        var standIn = Guid.NewGuid();
        var planned = AttendanceService.NewSession(clinicId, patients: 2);
        // Scheduling listed the facilitator among the participants too: they still get no patient record.
        var session = planned with { ClinicianId = facilitator, PatientIds = [.. planned.PatientIds, facilitator] };
        var clinic = attendance.ClientFor(clinicId);
        await attendance.Schedule(session);
        attendance.Clock.Set(session.StartsAt);

        Assert.Equal(HttpStatusCode.NoContent, (await clinic.CheckInStaff(session.SessionId, facilitator)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await clinic.CheckInStaff(session.SessionId, standIn)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await clinic.CheckInStaff(session.SessionId, standIn)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await clinic.CheckIn(session.SessionId, session.PatientIds[0])).StatusCode);
        var asPatient = await clinic.CheckIn(session.SessionId, facilitator);
        var patientAsStaff = await clinic.CheckInStaff(session.SessionId, session.PatientIds[1]);
        await attendance.Sweep.RunOnce(session.EndsAt + AttendanceService.NoShowGrace, CancellationToken.None);

        Assert.Equal(HttpStatusCode.BadRequest, asPatient.StatusCode);
        Assert.True((await asPatient.Json()).GetProperty("errors").TryGetProperty("patientId", out _));
        Assert.Equal(HttpStatusCode.BadRequest, patientAsStaff.StatusCode);
        Assert.True((await patientAsStaff.Json()).GetProperty("errors").TryGetProperty("staffId", out _));
        Assert.Equal([(session.PatientIds[0], "present"), (session.PatientIds[1], "noShow")], await clinic.Outcomes(session.SessionId));
        var staff = (await (await clinic.GetAttendance(session.SessionId)).Json()).GetProperty("staff").EnumerateArray()
            .Select(s => (s.GetProperty("staffId").GetGuid(), s.GetProperty("role").GetString())).OrderBy(s => s.Item2).ToList();
        Assert.Equal([(facilitator, "facilitator"), (standIn, "standIn")], staff);
        Assert.Equal(1, await attendance.SessionMissedRowsInOutbox(session.SessionId));
        var missed = await attendance.Broker.WaitFor<SessionMissed>(e => e.SessionId == session.SessionId, 1);
        Assert.Equal(session.PatientIds[1], Assert.Single(missed).PatientId);
    }

    [Fact]
    public async Task Staff_document_an_absence_with_reason_and_notes_and_the_sweep_leaves_it_alone()
    {
        var clinicId = Guid.NewGuid();
        var session = AttendanceService.NewSession(clinicId, patients: 1);
        var clinic = attendance.ClientFor(clinicId);
        var patient = session.PatientIds[0];
        await attendance.Schedule(session);
        attendance.Clock.Set(session.StartsAt.AddMinutes(5));

        var recorded = await clinic.RecordAbsence(session.SessionId,
            new { patientId = patient, outcome = "excusedAbsence", reasonCategory = "illness", notes = "Called in with a fever" });
        await attendance.Sweep.RunOnce(session.EndsAt + AttendanceService.NoShowGrace, CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);
        var record = await clinic.Record(session.SessionId, patient);
        Assert.Equal("excusedAbsence", record.GetProperty("outcome").GetString());
        Assert.Equal("illness", record.GetProperty("reasonCategory").GetString());
        Assert.Equal("Called in with a fever", record.GetProperty("notes").GetString());
        Assert.Equal("test-client", record.GetProperty("recordedBy").GetString());
        Assert.Equal(0, await attendance.SessionMissedRowsInOutbox(session.SessionId));
        var present = await clinic.RecordAbsence(session.SessionId,
            new { patientId = patient, outcome = "noShow", reasonCategory = "other" });
        Assert.Equal(HttpStatusCode.Conflict, present.StatusCode);
    }

    [Fact]
    public async Task An_absence_with_an_unknown_reason_or_outcome_is_refused_naming_the_field_and_nothing_is_written()
    {
        var clinicId = Guid.NewGuid();
        var session = AttendanceService.NewSession(clinicId, patients: 1);
        var clinic = attendance.ClientFor(clinicId);
        var patient = session.PatientIds[0];
        await attendance.Schedule(session);

        var badReason = await clinic.RecordAbsence(session.SessionId, new { patientId = patient, outcome = "excusedAbsence", reasonCategory = "hangover" });
        var badOutcome = await clinic.RecordAbsence(session.SessionId, new { patientId = patient, outcome = "present", reasonCategory = "illness" });
        var otherClinic = await attendance.ClientFor(Guid.NewGuid()).RecordAbsence(session.SessionId,
            new { patientId = patient, outcome = "excusedAbsence", reasonCategory = "illness" });

        Assert.Equal(HttpStatusCode.BadRequest, badReason.StatusCode);
        Assert.True((await badReason.Json()).GetProperty("errors").TryGetProperty("reasonCategory", out _));
        Assert.Equal(HttpStatusCode.BadRequest, badOutcome.StatusCode);
        Assert.True((await badOutcome.Json()).GetProperty("errors").TryGetProperty("outcome", out _));
        Assert.Equal(HttpStatusCode.NotFound, otherClinic.StatusCode);
        Assert.Equal([(patient, "pending")], await clinic.Outcomes(session.SessionId));
    }
}
