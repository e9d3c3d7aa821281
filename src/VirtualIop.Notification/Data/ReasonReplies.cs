using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts.Notification;
using VirtualIop.Notification.Domain;

namespace VirtualIop.Notification.Data;

/// <summary>How a number from the reason menu was taken: whether it answered an open question, and the language to answer in.</summary>
public sealed record ReasonReplyResult(bool Answered, Language Language, Guid? SessionId = null, Guid? PatientId = null);

/// <summary>
/// Answers to the reason question texted after an N. A number answers the newest open question (asked within
/// Notification:ReasonReplyWindow, not yet answered) of a patient the sending number belongs to: the question is closed
/// with the reason, AbsenceReasonGivenByReply goes out through the outbox for Attendance to set the notice's reason, and
/// technical difficulty starts the technical-help path (the help message and a help-desk ticket), all in one transaction
/// with the text's id, so a retried webhook changes nothing. A number with no open question changes nothing.
/// </summary>
public sealed class ReasonReplies(NpgsqlDataSource db, Outbox outbox, PatientOutreach outreach, TimeProvider clock)
{
    /// <returns>How the number was taken; null when the provider's message was taken before, and nothing changed.</returns>
    public async Task<ReasonReplyResult?> Record(Guid clinicId, string providerMessageId, string phone, string reasonCategory, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        if (!await InboundTexts.Claim(conn, tx, clinicId, providerMessageId, now, ct)) return null;
        var open = await conn.QuerySingleOrDefaultAsync<OpenQuestion>(new CommandDefinition("""
            select q.session_id, q.patient_id, c.language
            from reason_question q
            join contact c on c.clinic_id = q.clinic_id and c.patient_id = q.patient_id
            where q.clinic_id = @Clinic and c.phone = @Phone and q.answered_at is null and q.expires_at > @Now
            order by q.asked_at desc, q.patient_id
            limit 1
            for update of q
            """, new { Clinic = clinicId, Phone = phone, Now = now }, tx, cancellationToken: ct));
        if (open is null)
        {
            var language = await conn.QueryFirstOrDefaultAsync<string>(new CommandDefinition(
                "select language from contact where clinic_id = @Clinic and phone = @Phone order by patient_id limit 1",
                new { Clinic = clinicId, Phone = phone }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
            return new ReasonReplyResult(false, SessionReplies.Parse(language));
        }

        await conn.ExecuteAsync(new CommandDefinition("""
            update reason_question set answered_at = @Now, reason_category = @Reason
            where clinic_id = @Clinic and session_id = @SessionId and patient_id = @PatientId
            """, new { Clinic = clinicId, open.SessionId, open.PatientId, Now = now, Reason = reasonCategory }, tx, cancellationToken: ct));
        await outbox.Add(conn, tx, new AbsenceReasonGivenByReply(Guid.CreateVersion7(), clinicId, open.SessionId, open.PatientId, reasonCategory, "sms", now), ct);
        if (reasonCategory == PatientOutreach.TechnicalDifficulty)
            await outreach.OfferTechnicalSupportAfterReply(conn, tx, clinicId, open.PatientId, open.SessionId, now, ct);
        await tx.CommitAsync(ct);
        return new ReasonReplyResult(true, SessionReplies.Parse(open.Language), open.SessionId, open.PatientId);
    }

    sealed record OpenQuestion
    {
        public Guid SessionId { get; init; }
        public Guid PatientId { get; init; }
        public string? Language { get; init; }
    }
}
