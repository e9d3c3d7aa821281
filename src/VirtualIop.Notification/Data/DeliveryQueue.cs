using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts.Notification;
using VirtualIop.Notification.Domain;

namespace VirtualIop.Notification.Data;

/// <summary>A delivery a dispatcher pass holds, with what it needs to render and address the message.</summary>
public sealed record ClaimedDelivery
{
    public Guid Id { get; init; }
    public Guid ClinicId { get; init; }
    public Guid PatientId { get; init; }
    public Guid SessionId { get; init; }
    public DeliveryKind Kind { get; init; }
    public DateTimeOffset SessionStartsAt { get; init; }
    public string TimeZone { get; init; } = "";
    public int Attempts { get; init; }
    /// <summary>Looked up at claim time, so a contact changed after planning is honoured.</summary>
    public string? Email { get; init; }
    public bool EmailOptedOut { get; init; }
    public Language Language { get; init; }
    /// <summary>The patient's own time zone when on file; messages give times in it rather than the session's.</summary>
    public string? PatientTimeZone { get; init; }
}

/// <summary>
/// The dispatcher's side of the delivery table. A pass claims due rows in one statement (FOR UPDATE SKIP
/// LOCKED, then a lease), so concurrent passes and replicas never take the same row; every later write names
/// the pass's claim id, so a pass whose lease ran out cannot overwrite the pass that took the row over.
/// </summary>
public sealed class DeliveryQueue(NpgsqlDataSource db, Outbox outbox)
{
    public async Task<IReadOnlyList<ClaimedDelivery>> Claim(Guid claimId, DateTimeOffset now, TimeSpan lease, int batchSize, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<ClaimedDelivery>(new CommandDefinition("""
            with due as (
                select id
                from delivery
                where (status = 'pending' and due_at <= @Now)
                   or (status = 'sending' and lease_until <= @Now)
                order by due_at, id
                limit @BatchSize
                for update skip locked
            ), claimed as (
                update delivery d
                set status = 'sending', attempts = d.attempts + 1, claim_id = @ClaimId, lease_until = @LeaseUntil
                from due
                where d.id = due.id
                returning d.id, d.clinic_id, d.patient_id, d.session_id, d.kind, d.session_starts_at, d.time_zone, d.attempts
            )
            select claimed.*, c.email, c.email_opted_out_at is not null as email_opted_out,
                   coalesce(c.language, 'en') as language, c.time_zone as patient_time_zone
            from claimed
            left join contact c on c.clinic_id = claimed.clinic_id and c.patient_id = claimed.patient_id
            """, new { ClaimId = claimId, Now = now, LeaseUntil = now + lease, BatchSize = batchSize }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <returns>false when the claim had been lost (lease expired and another pass took the row).</returns>
    public async Task<bool> MarkSent(ClaimedDelivery delivery, Guid claimId, DateTimeOffset sentAt, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var updated = await conn.ExecuteAsync(new CommandDefinition("""
            update delivery
            set status = 'sent', sent_at = @SentAt, detail = null, claim_id = null, lease_until = null
            where id = @Id and claim_id = @ClaimId and status = 'sending'
            """, new { delivery.Id, ClaimId = claimId, SentAt = sentAt }, tx, cancellationToken: ct));
        if (updated == 0) return false;
        if (delivery.Kind == DeliveryKind.Reminder)
        {
            await outbox.Add(conn, tx, new ReminderSent(Guid.CreateVersion7(), delivery.ClinicId, delivery.Id, delivery.SessionId,
                delivery.PatientId, "email", sentAt), ct);
        }
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>Records a final outcome other than sent: failed or skipped, with the reason.</summary>
    public Task<bool> Finish(Guid deliveryId, Guid claimId, DeliveryStatus status, string detail, CancellationToken ct) =>
        Update("""
            update delivery
            set status = @Status, detail = @Detail, claim_id = null, lease_until = null
            where id = @Id and claim_id = @ClaimId and status = 'sending'
            """, new { Id = deliveryId, ClaimId = claimId, Status = status switch
            {
                DeliveryStatus.Failed => "failed",
                DeliveryStatus.Skipped => "skipped",
                DeliveryStatus.Suppressed => "suppressed",
                _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Only failed, skipped or suppressed finish a delivery here.")
            }, Detail = detail }, ct);

    /// <summary>Hands the delivery back to a later pass after a transient failure.</summary>
    public Task<bool> Retry(Guid deliveryId, Guid claimId, DateTimeOffset dueAt, string detail, CancellationToken ct) =>
        Update("""
            update delivery
            set status = 'pending', due_at = @DueAt, detail = @Detail, claim_id = null, lease_until = null
            where id = @Id and claim_id = @ClaimId and status = 'sending'
            """, new { Id = deliveryId, ClaimId = claimId, DueAt = dueAt, Detail = detail }, ct);

    async Task<bool> Update(string sql, object parameters, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: ct)) == 1;
    }
}
