using Dapper;
using Npgsql;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Engagement.Domain;

namespace VirtualIop.Engagement.Data;

/// <summary>
/// The latest correction of each patient's outcome of a session, as the consumers that close what a miss opened keep it.
/// The consumers of the no-show and of the correction each take the lock of the patient's session first, so a miss and
/// its correction consumed at the same moment take turns: the miss either opens before the correction closes, or sees it.
/// </summary>
static class MissCorrections
{
    /// <summary>Takes the patient's session lock for the rest of the transaction.</summary>
    public static Task Hold(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinic, Guid session, Guid patient, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition(HoldSql, new { Clinic = clinic, Session = session, Patient = patient }, tx, cancellationToken: ct));

    /// <summary>The statement behind <see cref="Hold"/> (parameters @Clinic, @Session, @Patient), for a caller that sends it in one batch with its reads.</summary>
    public const string HoldSql = """
        select pg_advisory_xact_lock(hashtextextended('engagement.miss:' || @Clinic::text || ':' || @Session::text || ':' || @Patient::text, 0))
        """;

    /// <summary>
    /// Keeps the correction unless a later one is already kept, under the session lock. Both consumers of a correction
    /// keep it, so the second finds it there already and takes it as standing all the same.
    /// </summary>
    /// <returns>True when this correction is the latest and takes the miss back (AttendanceCorrected.UndoesMiss).</returns>
    public static async Task<bool> Record(NpgsqlConnection conn, NpgsqlTransaction tx, AttendanceCorrected corrected, CancellationToken ct)
    {
        await Hold(conn, tx, corrected.ClinicId, corrected.SessionId, corrected.PatientId, ct);
        var standing = await conn.QuerySingleOrDefaultAsync<bool?>(new CommandDefinition("""
            insert into miss_correction (clinic_id, session_id, patient_id, corrected_at, undoes_miss)
            values (@Clinic, @Session, @Patient, @CorrectedAt, @Undoes)
            on conflict (clinic_id, session_id, patient_id) do update
                set corrected_at = excluded.corrected_at, undoes_miss = excluded.undoes_miss
                where miss_correction.corrected_at <= excluded.corrected_at
            returning undoes_miss
            """, new
        {
            Clinic = corrected.ClinicId, Session = corrected.SessionId, Patient = corrected.PatientId, corrected.CorrectedAt,
            Undoes = AttendanceCorrected.UndoesMiss(corrected.Outcome)
        }, tx, cancellationToken: ct));
        return standing is true;
    }

    /// <summary>Whether the latest correction kept for the patient's session took the miss back (parameters @Clinic, @Session, @Patient); the caller holds the session lock.</summary>
    public const string TakenBackSql = """
        select exists (select 1 from miss_correction
                       where clinic_id = @Clinic and session_id = @Session and patient_id = @Patient and undoes_miss)
        """;
}
