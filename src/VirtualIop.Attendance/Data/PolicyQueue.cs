using Dapper;
using Npgsql;

namespace VirtualIop.Attendance.Data;

/// <summary>Puts a patient on the policy evaluator's queue, inside the caller's transaction (sessions outside a program are not evaluated).</summary>
static class PolicyQueue
{
    public static Task Enqueue(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid sessionId, Guid patientId, DateTimeOffset now,
        CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition("""
            insert into policy_reevaluation (clinic_id, program_id, patient_id, queued_at)
            select clinic_id, program_id, @PatientId, @Now from attendance_session
            where clinic_id = @Clinic and id = @SessionId and program_id is not null
            on conflict do nothing
            """, new { Clinic = clinicId, SessionId = sessionId, PatientId = patientId, Now = now }, tx, cancellationToken: ct));
}
