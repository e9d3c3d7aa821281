using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts.Notification;
using VirtualIop.Notification.Domain;
using VirtualIop.Notification.Extensions;

namespace VirtualIop.Notification.Data;

/// <summary>
/// How a C or N was taken: the session it answered (the patient's next session they were reminded of), the answer that
/// now stands for it, and whether this text changed it. Null session: nothing upcoming to answer for. AskReason: this N
/// declined the session, so the reason question is to be texted back.
/// </summary>
public sealed record SessionReplyResult(Guid? SessionId, Guid? PatientId, DateTimeOffset? StartsAt, string? TimeZone, Language Language, bool Declined, bool Changed,
    bool AskReason = false);

public enum ConfirmationResult
{
    Confirmed,
    /// <summary>No such session of the patient in this clinic, or it was cancelled or they left it.</summary>
    NotFound,
    Started,
    /// <summary>The patient already answered that they cannot attend; that answer stands.</summary>
    Declined
}

/// <summary>
/// Answers to reminders by text. C confirms the patient's next reminded session; N declines it: the patient's pending
/// reminders for it are withdrawn and SessionDeclinedByReply goes out through the outbox in the same transaction, for
/// Attendance to record the advance absence notice. A decline stands: a later C for the same session changes nothing,
/// and a repeated N publishes nothing twice. The N that declines also opens the reason question (answered by a number
/// within Notification:ReasonReplyWindow, see <see cref="ReasonReplies"/>). Each text is taken once, by the provider's message id, in the same
/// transaction as its effect: a replayed N never declines a later session.
/// </summary>
public sealed class SessionReplies(NpgsqlDataSource db, Outbox outbox, IOptions<NotificationOptions> options, PatientAudit audit, TimeProvider clock)
{
    /// <summary>
    /// The patient confirms an upcoming session of theirs from their own page, as a C to a reminder does: the answer is
    /// recorded on the web channel. A decline stands, as it does by text; confirming twice changes nothing.
    /// </summary>
    public async Task<ConfirmationResult> Confirm(Guid clinicId, Guid patientId, Guid sessionId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var startsAt = await conn.QuerySingleOrDefaultAsync<DateTimeOffset?>(new CommandDefinition("""
            select s.starts_at from session s
            join session_participant p on p.clinic_id = s.clinic_id and p.session_id = s.id and p.patient_id = @Patient and p.removed_at is null
            where s.clinic_id = @Clinic and s.id = @Session and s.cancelled_at is null
            """, new { Clinic = clinicId, Session = sessionId, Patient = patientId }, tx, cancellationToken: ct));
        if (startsAt is null) return ConfirmationResult.NotFound;
        if (startsAt <= now) return ConfirmationResult.Started;
        await conn.ExecuteAsync(new CommandDefinition("""
            insert into session_reply (clinic_id, session_id, patient_id, reply, channel, received_at)
            values (@Clinic, @Session, @Patient, 'confirmed', 'web', @Now)
            on conflict (clinic_id, session_id, patient_id) do nothing
            """, new { Clinic = clinicId, Session = sessionId, Patient = patientId, Now = now }, tx, cancellationToken: ct));
        var standing = await conn.QuerySingleAsync<string>(new CommandDefinition("""
            select reply from session_reply where clinic_id = @Clinic and session_id = @Session and patient_id = @Patient
            """, new { Clinic = clinicId, Session = sessionId, Patient = patientId }, tx, cancellationToken: ct));
        await audit.Change(conn, tx, [patientId], ct);
        await tx.CommitAsync(ct);
        return standing == "declined" ? ConfirmationResult.Declined : ConfirmationResult.Confirmed;
    }

    /// <returns>How the answer was taken; null when the provider's message was taken before, and nothing changed.</returns>
    public async Task<SessionReplyResult?> Record(Guid clinicId, string providerMessageId, string phone, bool decline, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        if (!await InboundTexts.Claim(conn, tx, clinicId, providerMessageId, now, ct)) return null;
        var next = await conn.QuerySingleOrDefaultAsync<NextSession>(new CommandDefinition("""
            select d.patient_id, d.session_id, s.starts_at, coalesce(c.time_zone, s.time_zone) as time_zone, c.language
            from contact c
            join delivery d on d.clinic_id = c.clinic_id and d.patient_id = c.patient_id
            join session s on s.clinic_id = d.clinic_id and s.id = d.session_id
            join session_participant p on p.clinic_id = s.clinic_id and p.session_id = s.id and p.patient_id = d.patient_id and p.removed_at is null
            where c.clinic_id = @Clinic and c.phone = @Phone
              and d.kind in ('reminder', 'joinAlert') and d.status = 'sent'
              and s.starts_at > @Now and s.cancelled_at is null
            order by s.starts_at, d.patient_id
            limit 1
            """, new { Clinic = clinicId, Phone = phone, Now = now }, tx, cancellationToken: ct));
        if (next is null)
        {
            var language = await conn.QueryFirstOrDefaultAsync<string>(new CommandDefinition(
                "select language from contact where clinic_id = @Clinic and phone = @Phone order by patient_id limit 1",
                new { Clinic = clinicId, Phone = phone }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
            return new SessionReplyResult(null, null, null, null, Parse(language), false, false);
        }

        var changed = await conn.QuerySingleOrDefaultAsync<string>(new CommandDefinition("""
            insert into session_reply (clinic_id, session_id, patient_id, reply, channel, received_at)
            values (@Clinic, @SessionId, @PatientId, @Reply, 'sms', @Now)
            on conflict (clinic_id, session_id, patient_id) do update set reply = excluded.reply, received_at = excluded.received_at
            where session_reply.reply = 'confirmed' and excluded.reply = 'declined'
            returning reply
            """, new { Clinic = clinicId, next.SessionId, next.PatientId, Reply = decline ? "declined" : "confirmed", Now = now }, tx, cancellationToken: ct));
        var standing = changed ?? await conn.QuerySingleAsync<string>(new CommandDefinition("""
            select reply from session_reply where clinic_id = @Clinic and session_id = @SessionId and patient_id = @PatientId
            """, new { Clinic = clinicId, next.SessionId, next.PatientId }, tx, cancellationToken: ct));

        if (changed == "declined")
        {
            await conn.ExecuteAsync(new CommandDefinition("""
                update delivery set status = 'cancelled', detail = 'The patient answered that they cannot attend.'
                where clinic_id = @Clinic and session_id = @SessionId and patient_id = @PatientId
                  and kind in ('reminder', 'joinAlert') and status = 'pending'
                """, new { Clinic = clinicId, next.SessionId, next.PatientId }, tx, cancellationToken: ct));
            await outbox.Add(conn, tx, new SessionDeclinedByReply(Guid.CreateVersion7(), clinicId, next.SessionId, next.PatientId, "sms", now), ct);
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into reason_question (clinic_id, session_id, patient_id, asked_at, expires_at)
                values (@Clinic, @SessionId, @PatientId, @Now, @ExpiresAt)
                on conflict do nothing
                """, new { Clinic = clinicId, next.SessionId, next.PatientId, Now = now, ExpiresAt = now + options.Value.ReasonReplyWindow },
                tx, cancellationToken: ct));
        }
        await tx.CommitAsync(ct);
        return new SessionReplyResult(next.SessionId, next.PatientId, next.StartsAt, next.TimeZone, Parse(next.Language), standing == "declined", changed is not null,
            AskReason: changed == "declined");
    }

    internal static Language Parse(string? language) => language is null ? Language.En : Enum.Parse<Language>(language, ignoreCase: true);

    sealed record NextSession
    {
        public Guid PatientId { get; init; }
        public Guid SessionId { get; init; }
        public DateTimeOffset StartsAt { get; init; }
        public string TimeZone { get; init; } = "";
        public string? Language { get; init; }
    }
}
