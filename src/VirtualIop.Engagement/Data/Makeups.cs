using Dapper;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Engagement.Messaging;

namespace VirtualIop.Engagement.Data;

/// <summary>Engagement's copy of each patient's makeups; booked and completed may arrive in either order.</summary>
public sealed class Makeups(Inbox inbox, TimeProvider clock)
{
    public Task<bool> Booked(MakeupBooked m, CancellationToken ct) =>
        inbox.ProcessOnce(m, nameof(RecordMakeupBooked), (conn, tx) =>
            conn.ExecuteAsync(new CommandDefinition("""
                insert into makeup as k (clinic_id, makeup_id, patient_id, missed_session_id, kind, booked_at)
                values (@ClinicId, @MakeupId, @PatientId, @MissedSessionId, @Kind, @Now)
                on conflict (clinic_id, makeup_id) do update set booked_at = coalesce(k.booked_at, excluded.booked_at)
                """, new { m.ClinicId, m.MakeupId, m.PatientId, m.MissedSessionId, m.Kind, Now = clock.GetUtcNow() }, tx, cancellationToken: ct)), ct);

    public Task<bool> Completed(MakeupCompleted m, CancellationToken ct) =>
        inbox.ProcessOnce(m, nameof(RecordMakeupCompleted), (conn, tx) =>
            conn.ExecuteAsync(new CommandDefinition("""
                insert into makeup as k (clinic_id, makeup_id, patient_id, missed_session_id, kind, completed_at)
                values (@ClinicId, @MakeupId, @PatientId, @MissedSessionId, @Kind, @CompletedAt)
                on conflict (clinic_id, makeup_id) do update set completed_at = excluded.completed_at
                """, new { m.ClinicId, m.MakeupId, m.PatientId, m.MissedSessionId, m.Kind, m.CompletedAt }, tx, cancellationToken: ct)), ct);
}
