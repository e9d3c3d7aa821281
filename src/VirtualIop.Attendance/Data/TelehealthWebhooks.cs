using Dapper;
using Npgsql;
using VirtualIop.Attendance.Domain;

namespace VirtualIop.Attendance.Data;

/// <summary>Who joined or left in the telehealth platform's eyes: a patient of the session, or a clinician (facilitator or stand-in).</summary>
public enum ParticipantRole
{
    Patient,
    Clinician
}

/// <summary>A participant joined or left a session's video room, at OccurredAt (the platform's clock).</summary>
public sealed record TelehealthEvent(string EventId, Guid SessionId, Guid ParticipantId, ParticipantRole Role, PresenceChange Change, DateTimeOffset OccurredAt);

public enum TelehealthStatus
{
    Recorded,
    /// <summary>This event was taken in before, with the same body: nothing happens again.</summary>
    Duplicate,
    /// <summary>This event id was taken in before with another body.</summary>
    ConflictingReplay,
    /// <summary>The session is not known yet: the presence is held and applies when it comes.</summary>
    Held,
    /// <summary>A patient participant who is not a patient of the session.</summary>
    NotParticipant,
    /// <summary>A clinician participant whose id is a patient of the session.</summary>
    IsPatient
}

/// <summary>
/// Presence from the telehealth platform's webhook (already authenticated by its signature): the event id and the
/// presence it records commit together, so a redelivered event has no second effect and a refused one leaves nothing.
/// </summary>
public sealed class TelehealthWebhooks(NpgsqlDataSource db, AttendanceSessions sessions, TimeProvider clock)
{
    public const string RecordedBy = "telehealth";

    public async Task<TelehealthStatus> Record(Guid clinicId, TelehealthEvent e, byte[] bodySha256, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var args = new { Clinic = clinicId, e.EventId, Hash = bodySha256, e.SessionId, Now = clock.GetUtcNow() };
        // A concurrent delivery of the same event waits here for the first one's commit or rollback.
        var first = await conn.ExecuteAsync(new CommandDefinition("""
            insert into telehealth_event (clinic_id, event_id, body_sha256, session_id, received_at)
            values (@Clinic, @EventId, @Hash, @SessionId, @Now)
            on conflict do nothing
            """, args, tx, cancellationToken: ct));
        if (first == 0)
        {
            var seen = await conn.ExecuteScalarAsync<byte[]>(new CommandDefinition(
                "select body_sha256 from telehealth_event where clinic_id = @Clinic and event_id = @EventId", args, tx, cancellationToken: ct));
            return seen is not null && seen.AsSpan().SequenceEqual(bodySha256) ? TelehealthStatus.Duplicate : TelehealthStatus.ConflictingReplay;
        }

        var at = AttendanceSessions.ToStoredPrecision(e.OccurredAt.ToUniversalTime());
        var status = e.Role == ParticipantRole.Patient
            ? (await sessions.RecordPatientPresence(conn, tx, clinicId, e.SessionId, e.ParticipantId, e.Change, at, RecordedBy, ct)).Status switch
            {
                PresenceStatus.Held => TelehealthStatus.Held,
                PresenceStatus.NotParticipant => TelehealthStatus.NotParticipant,
                _ => TelehealthStatus.Recorded
            }
            : await AttendanceSessions.RecordStaffPresence(conn, tx, clinicId, e.SessionId, e.ParticipantId, e.Change, at, RecordedBy, args.Now, ct) switch
            {
                StaffPresenceResult.Held => TelehealthStatus.Held,
                StaffPresenceResult.IsPatient => TelehealthStatus.IsPatient,
                _ => TelehealthStatus.Recorded
            };
        // Anything but Recorded or Held rolls back with the transaction's disposal: the event row included.
        if (status is TelehealthStatus.Recorded or TelehealthStatus.Held) await tx.CommitAsync(ct);
        return status;
    }

    /// <summary>
    /// Forgets up to <paramref name="batchSize"/> event ids taken in before <paramref name="cutoff"/>, in every clinic, in one
    /// statement. Rows are claimed FOR UPDATE SKIP LOCKED, so replicas purging together take different rows.
    /// </summary>
    public async Task<int> ForgetEventsBefore(DateTimeOffset cutoff, int batchSize, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition("""
            with old as (
                select clinic_id, event_id from telehealth_event
                where received_at < @Cutoff
                limit @BatchSize
                for update skip locked
            )
            delete from telehealth_event t using old
            where t.clinic_id = old.clinic_id and t.event_id = old.event_id
            """, new { Cutoff = cutoff, BatchSize = batchSize }, cancellationToken: ct));
    }
}
