using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts;
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
    public string[] FailedChannels { get; init; } = [];
    // The patient's contact preferences, read at claim time so a change made after planning is honoured.
    public string? Email { get; init; }
    public string? Phone { get; init; }
    public string? PushAddress { get; init; }
    public string[] Channels { get; init; } = [];
    public bool EmailOptedOut { get; init; }
    public bool SmsOptedOut { get; init; }
    public bool PushOptedOut { get; init; }
    public Language Language { get; init; }
    /// <summary>The patient's own time zone when on file; messages give times in it rather than the session's.</summary>
    public string? PatientTimeZone { get; init; }

    public string? Address(Channel channel) => channel switch
    {
        Channel.Email => Email,
        Channel.Sms => Phone,
        Channel.Push => PushAddress,
        _ => null
    };

    public IReadOnlyList<ChannelOption> ChannelOptions() => Channels
        .Select(c => Enum.Parse<Channel>(c, ignoreCase: true))
        .Select(c => new ChannelOption(c, Address(c) is not null, c switch
        {
            Channel.Email => EmailOptedOut,
            Channel.Sms => SmsOptedOut,
            _ => PushOptedOut
        }))
        .ToList();

    public IReadOnlyCollection<Channel> FailedChannelSet() => FailedChannels.Select(c => Enum.Parse<Channel>(c, ignoreCase: true)).ToHashSet();
}

/// <summary>A channel that refused a delivery for good, with the reason code DeliveryFailed carries and the detail the delivery records.</summary>
public sealed record ChannelFailure(Channel Channel, string Reason, string Detail);

/// <summary>How a pass leaves a delivery: its new status, the channel it went out on or was last tried on, and the channels that refused it.</summary>
public sealed record DeliveryOutcome(
    DeliveryStatus Status, Channel? Channel, string? Detail, IReadOnlyList<ChannelFailure> Failures, DateTimeOffset? SentAt = null, DateTimeOffset? RetryAt = null);

/// <summary>
/// The dispatcher's side of the delivery table. A pass claims due rows in one statement (FOR UPDATE SKIP
/// LOCKED, then a lease), so concurrent passes and replicas never take the same row; every later write names
/// the pass's claim id, so a pass whose lease ran out cannot overwrite the pass that took the row over.
/// </summary>
public sealed class DeliveryQueue(NpgsqlDataSource db, Outbox outbox, TimeProvider clock)
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
                returning d.id, d.clinic_id, d.patient_id, d.session_id, d.kind, d.session_starts_at, d.time_zone, d.attempts, d.failed_channels
            )
            select claimed.*, c.email, c.phone, c.push_address, coalesce(c.channels, '{}') as channels,
                   c.email_opted_out_at is not null as email_opted_out,
                   c.sms_opted_out_at is not null as sms_opted_out,
                   c.push_opted_out_at is not null as push_opted_out,
                   coalesce(c.language, 'en') as language, c.time_zone as patient_time_zone
            from claimed
            left join contact c on c.clinic_id = claimed.clinic_id and c.patient_id = claimed.patient_id
            """, new { ClaimId = claimId, Now = now, LeaseUntil = now + lease, BatchSize = batchSize }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>
    /// Records how the pass left the delivery, with ReminderSent for a sent reminder and DeliveryFailed for each
    /// channel that refused it, in the same transaction.
    /// </summary>
    /// <returns>false when the claim had been lost (lease expired and another pass took the row): nothing is written.</returns>
    public async Task<bool> Record(ClaimedDelivery delivery, Guid claimId, DeliveryOutcome outcome, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var updated = await conn.ExecuteAsync(new CommandDefinition("""
            update delivery
            set status = @Status, channel = coalesce(@Channel, channel), failed_channels = failed_channels || @Failed,
                detail = @Detail, sent_at = @SentAt, due_at = coalesce(@RetryAt, due_at), claim_id = null, lease_until = null
            where id = @Id and claim_id = @ClaimId and status = 'sending'
            """, new
        {
            delivery.Id,
            ClaimId = claimId,
            Status = StatusName(outcome.Status),
            Channel = outcome.Channel is { } channel ? Contacts.Name(channel) : null,
            Failed = outcome.Failures.Select(f => Contacts.Name(f.Channel)).ToArray(),
            outcome.Detail,
            outcome.SentAt,
            outcome.RetryAt
        }, tx, cancellationToken: ct));
        if (updated == 0) return false;

        var now = clock.GetUtcNow();
        var events = new List<IIntegrationEvent>();
        events.AddRange(outcome.Failures.Select(f => new DeliveryFailed(Guid.CreateVersion7(), delivery.ClinicId, delivery.Id, delivery.PatientId,
            delivery.SessionId, Contacts.Name(f.Channel), f.Reason, now)));
        if (outcome is { Status: DeliveryStatus.Sent, Channel: { } sentOn } && (delivery.Kind is DeliveryKind.Reminder or DeliveryKind.JoinAlert))
            events.Add(new ReminderSent(Guid.CreateVersion7(), delivery.ClinicId, delivery.Id, delivery.SessionId, delivery.PatientId,
                Contacts.Name(sentOn), outcome.SentAt ?? now));
        await outbox.AddRange(conn, tx, events, ct);
        await tx.CommitAsync(ct);
        return true;
    }

    static string StatusName(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Sent => "sent",
        DeliveryStatus.Failed => "failed",
        DeliveryStatus.Skipped => "skipped",
        DeliveryStatus.Suppressed => "suppressed",
        DeliveryStatus.Pending => "pending",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "A pass leaves a delivery sent, failed, skipped, suppressed or pending.")
    };
}
