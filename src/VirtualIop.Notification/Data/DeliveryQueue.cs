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
    public Guid? SessionId { get; init; }
    /// <summary>For a message about a makeup whose own session it sits on: the missed session the makeup is for.</summary>
    public Guid? MissedSessionId { get; init; }
    public DeliveryKind Kind { get; init; }
    public Recipient Recipient { get; init; }
    public Guid? RecipientId { get; init; }
    /// <summary>What an alert or a ticket is about, as a code (e.g. "attendanceWarning:minimumAttendance:2:3").</summary>
    public string? Topic { get; init; }
    public DateTimeOffset? SessionStartsAt { get; init; }
    public string? TimeZone { get; init; }
    public int Attempts { get; init; }
    public string[] FailedChannels { get; init; } = [];
    // The recipient's contact preferences, read at claim time so a change made after planning is honoured.
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
    /// <summary>The makeups still on offer for the session (missed or notified), for the messages that list them.</summary>
    public string[]? OfferedKinds { get; init; }
    /// <summary>The clinic's own wording for this kind and language, by channel, as JSON ({"sms": {"subject": null, "body": "..."}}).</summary>
    public string? Wording { get; init; }
    // For a support contact: who they are to the patient, and the consent that names them, as Notification knows it.
    public string? SupportRecipientKind { get; init; }
    public Guid? ConsentId { get; init; }
    /// <summary>The clinic's own patient app, when it runs one: personal links point there instead of the default portal.</summary>
    public string? PatientPortalUrl { get; init; }
    public string? ConsentPurpose { get; init; }
    public string? ConsentRecipientKind { get; init; }
    public DateTimeOffset? ConsentGrantedAt { get; init; }
    public DateTimeOffset? ConsentExpiresAt { get; init; }
    public DateTimeOffset? ConsentRevokedAt { get; init; }

    public ConsentFacts Consent() => new(ConsentPurpose, ConsentRecipientKind, ConsentGrantedAt, ConsentExpiresAt, ConsentRevokedAt);

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

    /// <summary>The clinic's wording for a channel, when it has one.</summary>
    public TemplateText? ClinicWording(Channel channel)
    {
        if (Wording is null) return null;
        using var json = System.Text.Json.JsonDocument.Parse(Wording);
        if (!json.RootElement.TryGetProperty(channel.ToString().ToLowerInvariant(), out var text)) return null;
        return new TemplateText(text.GetProperty("subject").GetString(), text.GetProperty("body").GetString()!);
    }
}

/// <summary>A channel that refused a delivery for good, with the reason code DeliveryFailed carries and the detail the delivery records.</summary>
public sealed record ChannelFailure(Channel Channel, string Reason, string Detail);

/// <summary>How a pass leaves a delivery: its new status, the channel it went out on or was last tried on (or may have gone out on, when unknown), and the channels that refused it.</summary>
public sealed record DeliveryOutcome(
    DeliveryStatus Status, Channel? Channel, string? Detail, IReadOnlyList<ChannelFailure> Failures, DateTimeOffset? SentAt = null, DateTimeOffset? RetryAt = null,
    string? ReasonCode = null);

/// <summary>The deliveries due and waiting to be claimed.</summary>
public sealed record DueBacklog
{
    public long Count { get; init; }
    public DateTimeOffset? OldestDueAt { get; init; }
}

/// <summary>The ids a log line may name for a delivery whose sender stopped mid-send.</summary>
public sealed record InterruptedDelivery(Guid Id, Guid ClinicId, Guid? ClaimId, string? Channel);

/// <summary>
/// The dispatcher's side of the delivery table. A pass claims due rows in one statement (FOR UPDATE SKIP LOCKED,
/// then a lease), so concurrent passes and replicas never take the same row. Before each provider call it marks the
/// row in flight under its claim id (and renews the lease); a pass that lost its claim cannot start the call. Each
/// delivery's outcome is recorded on its own as soon as it is known, naming the claim id. A row still in flight when
/// its lease runs out is never claimed again: it becomes unknown.
/// </summary>
public sealed class DeliveryQueue(NpgsqlDataSource db, Outbox outbox, TimeProvider clock)
{
    /// <summary>
    /// A delivery that has not begun to go out: pending, or claimed by a pass that has not started its provider call.
    /// Withdrawing one of these (status 'cancelled', claim cleared) stops that pass: it no longer holds the row, so it
    /// neither sends nor records. One whose call has begun is on its way and is left alone.
    /// </summary>
    public const string NotBegun = "(status = 'pending' or (status = 'sending' and attempt_started_at is null))";

    /// <summary>The assignments that withdraw a delivery <see cref="NotBegun"/>, after the caller's own status, detail and reason.</summary>
    public const string ClearClaim = "claim_id = null, lease_until = null";

    public async Task<IReadOnlyList<ClaimedDelivery>> Claim(Guid claimId, DateTimeOffset now, TimeSpan lease, int batchSize, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<ClaimedDelivery>(new CommandDefinition("""
            with due as (
                select id
                from delivery
                where (status = 'pending' and due_at <= @Now)
                   or (status = 'sending' and lease_until <= @Now and attempt_started_at is null)
                order by due_at, id
                limit @BatchSize
                for update skip locked
            ), claimed as (
                update delivery d
                set status = 'sending', attempts = d.attempts + 1, claim_id = @ClaimId, lease_until = @LeaseUntil
                from due
                where d.id = due.id
                returning d.id, d.clinic_id, d.patient_id, d.session_id, d.missed_session_id, d.kind, d.recipient, d.recipient_id, d.topic,
                          d.session_starts_at, d.time_zone, d.attempts, d.failed_channels, d.channel
            )
            select claimed.*,
                   coalesce(c.email, cc.email, sc.email, oc.email) as email, coalesce(c.phone, cc.phone, oc.phone) as phone, c.push_address,
                   case when claimed.kind = 'safetyAlert' then array[claimed.channel] else case claimed.recipient
                        when 'clinician' then case when cc.email is null then '{}'::text[] else '{email}'::text[] end
                        when 'supportContact' then case when sc.email is null then '{}'::text[] else '{email}'::text[] end
                        else coalesce(c.channels, '{}') end end as channels,
                   c.email_opted_out_at is not null as email_opted_out,
                   c.sms_opted_out_at is not null as sms_opted_out,
                   c.push_opted_out_at is not null as push_opted_out,
                   coalesce(c.language, cc.language, sc.language, 'en') as language, c.time_zone as patient_time_zone,
                   sc.recipient_kind as support_recipient_kind, sc.consent_id, k.purpose as consent_purpose,
                   k.recipient_kind as consent_recipient_kind, k.granted_at as consent_granted_at, k.expires_at as consent_expires_at,
                   k.revoked_at as consent_revoked_at,
                   case when claimed.kind in ('missedSession', 'absenceAcknowledged', 'makeupOptions', 'makeupReopened') then
                       (select array_agg(distinct k order by k)
                        from makeup_offer o cross join unnest(o.offered_kinds) as k
                        where o.clinic_id = claimed.clinic_id and o.missed_session_id = coalesce(claimed.missed_session_id, claimed.session_id)
                          and o.patient_id = claimed.patient_id and o.expires_at > @Now and o.withdrawn_at is null and o.expired_at is null)
                   end as offered_kinds,
                   (select jsonb_object_agg(t.channel, jsonb_build_object('subject', t.subject, 'body', t.body))::text
                    from template_override t
                    where t.clinic_id = claimed.clinic_id and t.kind = claimed.kind
                      and t.language = coalesce(c.language, cc.language, sc.language, 'en')) as wording,
                   (select p.url from clinic_patient_portal p where p.clinic_id = claimed.clinic_id) as patient_portal_url
            from claimed
            left join contact c on claimed.recipient = 'patient' and c.clinic_id = claimed.clinic_id and c.patient_id = claimed.patient_id
            left join clinician_contact cc on claimed.recipient = 'clinician' and cc.clinic_id = claimed.clinic_id and cc.clinician_id = claimed.recipient_id
            left join support_contact sc on claimed.recipient = 'supportContact' and sc.clinic_id = claimed.clinic_id and sc.id = claimed.recipient_id
                                        and sc.patient_id = claimed.patient_id
            left join program_on_call oc on claimed.recipient = 'onCall' and oc.clinic_id = claimed.clinic_id and oc.program_id = claimed.recipient_id
            left join consent k on k.clinic_id = sc.clinic_id and k.consent_id = sc.consent_id and k.patient_id = sc.patient_id
            """, new { ClaimId = claimId, Now = now, LeaseUntil = now + lease, BatchSize = batchSize }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>Deliveries due by <paramref name="now"/> and waiting to be claimed, and when the oldest came due (one scan of the partial index delivery_due).</summary>
    public async Task<DueBacklog> Due(DateTimeOffset now, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleAsync<DueBacklog>(new CommandDefinition("""
            select count(*) as count, min(due_at) as oldest_due_at from delivery where status = 'pending' and due_at <= @Now
            """, new { Now = now }, cancellationToken: ct));
    }

    /// <summary>
    /// Turns the rows that were in flight when their lease ran out (the sender died, or stopped hearing from the
    /// provider and from the database) into unknown: the message may have gone out, so it is not sent again. The claim
    /// id stays, so a sender that was only slow can still record what it learned.
    /// </summary>
    public async Task<IReadOnlyList<InterruptedDelivery>> MarkInterrupted(DateTimeOffset now, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<InterruptedDelivery>(new CommandDefinition("""
            with lost as (
                select id
                from delivery
                where status = 'sending' and lease_until <= @Now and attempt_started_at is not null
                for update skip locked
            )
            update delivery d
            set status = 'unknown', channel = coalesce(d.attempt_channel, d.channel), reason_code = 'interrupted',
                detail = 'The sender stopped while the message was being handed over; it may have been delivered, so it is not sent again.'
            from lost
            where d.id = lost.id
            returning d.id, d.clinic_id, d.claim_id, d.attempt_channel as channel
            """, new { Now = now }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>
    /// Marks a claimed delivery as in flight on a channel (null for a help-desk ticket) just before the provider call,
    /// and renews the lease, so the call and the recording of its outcome end while it holds.
    /// </summary>
    /// <returns>False when the pass no longer holds the delivery (its lease ran out and another pass took it): do not send.</returns>
    public async Task<bool> BeginAttempt(Guid claimId, Guid deliveryId, Channel? channel, DateTimeOffset now, TimeSpan lease, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition("""
            update delivery
            set attempt_started_at = @Now, attempt_channel = @Channel, lease_until = @LeaseUntil
            where id = @Id and claim_id = @ClaimId and status = 'sending'
            """, new { Id = deliveryId, ClaimId = claimId, Channel = channel is { } c ? Contacts.Name(c) : null, Now = now, LeaseUntil = now + lease },
            cancellationToken: ct)) == 1;
    }

    /// <summary>
    /// As <see cref="BeginAttempt"/>, for a message to the patient: the same statement mints the personal link the
    /// message carries (<see cref="PersonalLinks"/>), so no link exists for a delivery this pass no longer holds.
    /// </summary>
    /// <returns>The link's token, or null when the pass no longer holds the delivery: do not send.</returns>
    public async Task<string?> BeginAttemptWithLink(Guid claimId, ClaimedDelivery delivery, Channel channel, DateTimeOffset now, TimeSpan lease,
        TimeSpan linkLifetime, CancellationToken ct)
    {
        var (token, args) = PersonalLinks.NewLink(delivery.ClinicId, delivery.PatientId, delivery.Id, now, linkLifetime);
        args.AddDynamicParams(new { delivery.Id, ClaimId = claimId, Channel = Contacts.Name(channel), Now = now, LeaseUntil = now + lease });
        await using var conn = await db.OpenConnectionAsync(ct);
        var held = await conn.ExecuteAsync(new CommandDefinition($"""
            with held as (
                update delivery
                set attempt_started_at = @Now, attempt_channel = @Channel, lease_until = @LeaseUntil
                where id = @Id and claim_id = @ClaimId and status = 'sending'
                returning id
            )
            {PersonalLinks.InsertSql}
            from held
            """, args, cancellationToken: ct)) == 1;
        return held ? token : null;
    }

    /// <summary>Hands the deliveries a stopping pass claimed but never started back to the queue, due as before.</summary>
    public async Task Release(Guid claimId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            update delivery
            set status = 'pending', attempts = attempts - 1, claim_id = null, lease_until = null
            where claim_id = @ClaimId and status = 'sending' and attempt_started_at is null
            """, new { ClaimId = claimId }, cancellationToken: ct));
    }

    /// <summary>
    /// Records how one delivery ended, as soon as it is known, with ReminderSent for a sent reminder, DeliveryFailed for
    /// each channel that refused it, and a disclosure for a message a support contact was sent, in one short transaction.
    /// </summary>
    /// <returns>False when the claim was lost (another pass took the delivery); nothing is written.</returns>
    public async Task<bool> Record(Guid claimId, ClaimedDelivery delivery, DeliveryOutcome outcome, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var events = new List<IIntegrationEvent>(outcome.Failures.Select(f => new DeliveryFailed(Guid.CreateVersion7(), delivery.ClinicId, delivery.Id,
            delivery.PatientId, delivery.SessionId, Contacts.Name(f.Channel), f.Reason, now)));
        if (outcome is { Status: DeliveryStatus.Sent, Channel: { } sentOn } && delivery is { Kind: DeliveryKind.Reminder or DeliveryKind.JoinAlert, SessionId: { } sessionId })
            events.Add(new ReminderSent(Guid.CreateVersion7(), delivery.ClinicId, delivery.Id, sessionId, delivery.PatientId,
                Contacts.Name(sentOn), outcome.SentAt ?? now));
        var disclosed = delivery.Recipient == Recipient.SupportContact && outcome is { Status: DeliveryStatus.Sent, Channel: not null };
        const string update = """
            update delivery d
            set status = @Status, channel = coalesce(@Channel, d.channel), failed_channels = d.failed_channels || @Failed,
                detail = @Detail, sent_at = @SentAt, due_at = coalesce(@RetryAt, d.due_at), reason_code = coalesce(@ReasonCode, d.reason_code),
                claim_id = null, lease_until = null, attempt_started_at = null, attempt_channel = null
            where d.id = @Id and d.claim_id = @ClaimId and d.status in ('sending', 'unknown')
            """;
        var args = new
        {
            delivery.Id,
            ClaimId = claimId,
            Status = StatusName(outcome.Status),
            Channel = outcome.Channel is { } channel ? Contacts.Name(channel) : null,
            Failed = outcome.Failures.Select(f => Contacts.Name(f.Channel)).ToArray(),
            outcome.Detail,
            SentAt = outcome.SentAt?.ToUniversalTime(),
            RetryAt = outcome.RetryAt?.ToUniversalTime(),
            outcome.ReasonCode
        };

        await using var conn = await db.OpenConnectionAsync(ct);
        // The usual outcome writes nothing but the row: one statement, committed on its own.
        if (events.Count == 0 && !disclosed) return await conn.ExecuteAsync(new CommandDefinition(update, args, cancellationToken: ct)) == 1;

        await using var tx = await conn.BeginTransactionAsync(ct);
        if (await conn.ExecuteAsync(new CommandDefinition(update, args, tx, cancellationToken: ct)) == 0) return false;
        await outbox.AddRange(conn, tx, events, ct);
        if (disclosed)
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into disclosure (id, clinic_id, patient_id, support_contact_id, consent_id, delivery_id, purpose, kind, channel, disclosed_at)
                select gen_random_uuid(), d.clinic_id, d.patient_id, d.recipient_id, @ConsentId, d.id, @Purpose, d.kind, d.channel, d.sent_at
                from delivery d
                where d.id = @Id
                on conflict (delivery_id) do nothing
                """, new { delivery.Id, ConsentId = delivery.ConsentId!.Value, Purpose = ConsentRules.Purpose(delivery.Kind) }, tx, cancellationToken: ct));
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
        DeliveryStatus.Unknown => "unknown",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "A pass leaves a delivery sent, failed, skipped, suppressed, pending or unknown.")
    };
}
