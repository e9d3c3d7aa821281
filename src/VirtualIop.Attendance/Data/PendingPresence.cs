using Dapper;
using Npgsql;
using VirtualIop.Attendance.Domain;

namespace VirtualIop.Attendance.Data;

/// <summary>A join or leave held for a session (or a patient's membership) Attendance has not heard of yet.</summary>
public sealed class HeldMark
{
    public Guid ParticipantId { get; set; }
    public string ParticipantKind { get; set; } = "";
    public string Change { get; set; } = "";
    public DateTimeOffset OccurredAt { get; set; }
    public string RecordedBy { get; set; } = "";
}

/// <summary>
/// Presence that reaches Attendance before its copy of the session: a check-in right after the session was created, or
/// a telehealth join whose SessionScheduled is still on its way. It is held per clinic (another clinic's session with
/// the same id never takes it) and applied by <see cref="SessionChanges"/> when the session or the patient's membership
/// comes; what never finds its session is purged after Attendance:PendingPresenceRetention.
/// </summary>
public sealed class PendingPresence(NpgsqlDataSource db)
{
    /// <summary>Holds the mark; the same mark held twice is kept once. The caller holds the session's lock.</summary>
    internal static Task Hold(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid sessionId, Guid participantId, string kind,
        PresenceMark mark, string recordedBy, DateTimeOffset now, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition("""
            insert into pending_presence (clinic_id, session_id, participant_id, participant_kind, change, occurred_at, recorded_by, received_at)
            values (@Clinic, @SessionId, @ParticipantId, @Kind, @Change, @At, @RecordedBy, @Now)
            on conflict do nothing
            """,
            new
            {
                Clinic = clinicId, SessionId = sessionId, ParticipantId = participantId, Kind = kind,
                Change = mark.Change == PresenceChange.Join ? "join" : "leave", mark.At, RecordedBy = recordedBy, Now = now
            }, tx, cancellationToken: ct));

    /// <summary>The marks held for the session, or for one of its patients, oldest first.</summary>
    internal static async Task<IReadOnlyList<HeldMark>> Held(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid sessionId, Guid? patientId,
        CancellationToken ct) =>
        (await conn.QueryAsync<HeldMark>(new CommandDefinition("""
            select participant_id, participant_kind, change, occurred_at, recorded_by from pending_presence
            where clinic_id = @Clinic and session_id = @SessionId
              and (@PatientId::uuid is null or (participant_id = @PatientId and participant_kind = 'patient'))
            order by occurred_at, change
            for update
            """, new { Clinic = clinicId, SessionId = sessionId, PatientId = patientId }, tx, cancellationToken: ct))).ToList();

    internal static Task Release(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid sessionId, HeldMark mark, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition("""
            delete from pending_presence
            where clinic_id = @Clinic and session_id = @SessionId and participant_id = @ParticipantId and participant_kind = @ParticipantKind
              and change = @Change and occurred_at = @OccurredAt
            """, new { Clinic = clinicId, SessionId = sessionId, mark.ParticipantId, mark.ParticipantKind, mark.Change, mark.OccurredAt },
            tx, cancellationToken: ct));

    /// <summary>
    /// Purges up to <paramref name="batchSize"/> marks held since before <paramref name="cutoff"/>, in every clinic, in one
    /// statement; rows are claimed FOR UPDATE SKIP LOCKED, so replicas purging together take different rows.
    /// </summary>
    public async Task<int> PurgeHeldBefore(DateTimeOffset cutoff, int batchSize, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition("""
            with old as (
                select ctid from pending_presence
                where received_at < @Cutoff
                limit @BatchSize
                for update skip locked
            )
            delete from pending_presence p using old where p.ctid = old.ctid
            """, new { Cutoff = cutoff, BatchSize = batchSize }, cancellationToken: ct));
    }
}
