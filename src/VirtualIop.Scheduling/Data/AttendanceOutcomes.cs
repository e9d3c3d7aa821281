using Dapper;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts;
using VirtualIop.Scheduling.Domain.Fhir;

namespace VirtualIop.Scheduling.Data;

/// <summary>Scheduling's copy of Attendance's per-patient outcomes, fed by Attendance's events, read by the FHIR views.</summary>
public sealed class AttendanceOutcomes(Inbox inbox)
{
    /// <summary>
    /// Keeps an outcome Attendance decided at <paramref name="decidedAt"/> unless a newer decision is already kept, once per
    /// event (the inbox). Any delivery order therefore ends at the newest decision; the earliest check-in reported stays.
    /// </summary>
    public Task<bool> Record(IIntegrationEvent message, Guid sessionId, Guid patientId, AttendanceOutcome outcome, DateTimeOffset decidedAt,
        DateTimeOffset? checkedInAt, string consumer, CancellationToken ct) =>
        inbox.ProcessOnce(message, consumer, (conn, tx) => conn.ExecuteAsync(new CommandDefinition("""
            insert into attendance_outcome as o (clinic_id, session_id, patient_id, outcome, decided_at, checked_in_at)
            values (@Clinic, @Session, @Patient, @Outcome, @DecidedAt, @CheckedInAt)
            on conflict (clinic_id, session_id, patient_id) do update set
                outcome = case when excluded.decided_at > o.decided_at then excluded.outcome else o.outcome end,
                decided_at = greatest(o.decided_at, excluded.decided_at),
                checked_in_at = least(o.checked_in_at, excluded.checked_in_at)
            """,
            new
            {
                Clinic = message.ClinicId, Session = sessionId, Patient = patientId, Outcome = outcome.Name(), DecidedAt = decidedAt,
                CheckedInAt = checkedInAt
            }, tx, cancellationToken: ct)), ct);
}
