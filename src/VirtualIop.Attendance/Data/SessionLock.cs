using Dapper;
using Npgsql;

namespace VirtualIop.Attendance.Data;

/// <summary>
/// Serialises everything that creates or changes one session's copy (Scheduling's events, presence held for a session
/// not known yet) until the transaction ends, so a report about a session that is not there yet and the
/// SessionScheduled that creates it never both miss each other.
/// </summary>
static class SessionLock
{
    public static Task Take(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid sessionId, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition("select pg_advisory_xact_lock(hashtextextended(@Clinic::text || @SessionId::text, 0))",
            new { Clinic = clinicId, SessionId = sessionId }, tx, cancellationToken: ct));
}
