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

/// <summary>How a pass leaves a delivery: its new status, the channel it went out on or was last tried on, and the channels that refused it.</summary>
public sealed record DeliveryOutcome(
    DeliveryStatus Status, Channel? Channel, string? Detail, IReadOnlyList<ChannelFailure> Failures, DateTimeOffset? SentAt = null, DateTimeOffset? RetryAt = null,
    string? ReasonCode = null);

/// <summary>
/// The dispatcher's side of the delivery table. A pass claims due rows in one statement (FOR UPDATE SKIP
/// LOCKED, then a lease), so concurrent passes and replicas never take the same row; it records the outcomes of the
/// whole pass in one statement too, naming the pass's claim id, so a pass whose lease ran out cannot overwrite the
/// pass that took the rows over.
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
                returning d.id, d.clinic_id, d.patient_id, d.session_id, d.missed_session_id, d.kind, d.recipient, d.recipient_id, d.topic,
                          d.session_starts_at, d.time_zone, d.attempts, d.failed_channels
            )
            select claimed.*,
                   coalesce(c.email, cc.email, sc.email) as email, c.phone, c.push_address,
                   case claimed.recipient
                        when 'clinician' then case when cc.email is null then '{}'::text[] else '{email}'::text[] end
                        when 'supportContact' then case when sc.email is null then '{}'::text[] else '{email}'::text[] end
                        else coalesce(c.channels, '{}') end as channels,
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
                      and t.language = coalesce(c.language, cc.language, sc.language, 'en')) as wording
            from claimed
            left join contact c on claimed.recipient = 'patient' and c.clinic_id = claimed.clinic_id and c.patient_id = claimed.patient_id
            left join clinician_contact cc on claimed.recipient = 'clinician' and cc.clinic_id = claimed.clinic_id and cc.clinician_id = claimed.recipient_id
            left join support_contact sc on claimed.recipient = 'supportContact' and sc.clinic_id = claimed.clinic_id and sc.id = claimed.recipient_id
                                        and sc.patient_id = claimed.patient_id
            left join consent k on k.clinic_id = sc.clinic_id and k.consent_id = sc.consent_id and k.patient_id = sc.patient_id
            """, new { ClaimId = claimId, Now = now, LeaseUntil = now + lease, BatchSize = batchSize }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>
    /// Records how the pass left its deliveries, in one statement, with ReminderSent for each sent reminder,
    /// DeliveryFailed for each channel that refused a delivery, and a disclosure for each message a support contact
    /// was sent, in the same transaction.
    /// </summary>
    /// <returns>How many were recorded; a delivery whose claim was lost (lease expired, another pass took it) is not written.</returns>
    public async Task<int> Record(Guid claimId, IReadOnlyList<(ClaimedDelivery Delivery, DeliveryOutcome Outcome)> results, CancellationToken ct)
    {
        if (results.Count == 0) return 0;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var recorded = (await conn.QueryAsync<Guid>(new CommandDefinition("""
            update delivery d
            set status = r.status, channel = coalesce(r.channel, d.channel),
                failed_channels = d.failed_channels || string_to_array(r.failed, ','),
                detail = r.detail, sent_at = r.sent_at, due_at = coalesce(r.retry_at, d.due_at),
                reason_code = coalesce(r.reason_code, d.reason_code), claim_id = null, lease_until = null
            from unnest(@Ids, @Statuses, @Channels, @Failed, @Details, @SentAts, @RetryAts, @ReasonCodes)
                 as r(id, status, channel, failed, detail, sent_at, retry_at, reason_code)
            where d.id = r.id and d.claim_id = @ClaimId and d.status = 'sending'
            returning d.id
            """, new
        {
            ClaimId = claimId,
            Ids = results.Select(r => r.Delivery.Id).ToArray(),
            Statuses = results.Select(r => StatusName(r.Outcome.Status)).ToArray(),
            Channels = results.Select(r => r.Outcome.Channel is { } channel ? Contacts.Name(channel) : null).ToArray(),
            Failed = results.Select(r => string.Join(',', r.Outcome.Failures.Select(f => Contacts.Name(f.Channel)))).ToArray(),
            Details = results.Select(r => r.Outcome.Detail).ToArray(),
            SentAts = results.Select(r => r.Outcome.SentAt?.ToUniversalTime()).ToArray(),
            RetryAts = results.Select(r => r.Outcome.RetryAt?.ToUniversalTime()).ToArray(),
            ReasonCodes = results.Select(r => r.Outcome.ReasonCode).ToArray()
        }, tx, cancellationToken: ct))).ToHashSet();
        if (recorded.Count == 0) return 0;

        var now = clock.GetUtcNow();
        var events = new List<IIntegrationEvent>();
        foreach (var (delivery, outcome) in results.Where(r => recorded.Contains(r.Delivery.Id)))
        {
            events.AddRange(outcome.Failures.Select(f => new DeliveryFailed(Guid.CreateVersion7(), delivery.ClinicId, delivery.Id, delivery.PatientId,
                delivery.SessionId, Contacts.Name(f.Channel), f.Reason, now)));
            if (outcome is { Status: DeliveryStatus.Sent, Channel: { } sentOn } && delivery is { Kind: DeliveryKind.Reminder or DeliveryKind.JoinAlert, SessionId: { } sessionId })
                events.Add(new ReminderSent(Guid.CreateVersion7(), delivery.ClinicId, delivery.Id, sessionId, delivery.PatientId,
                    Contacts.Name(sentOn), outcome.SentAt ?? now));
        }
        await outbox.AddRange(conn, tx, events, ct);
        var disclosed = results.Where(r => recorded.Contains(r.Delivery.Id) && r.Delivery.Recipient == Recipient.SupportContact
                                           && r.Outcome is { Status: DeliveryStatus.Sent, Channel: not null }).ToList();
        if (disclosed.Count > 0)
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into disclosure (id, clinic_id, patient_id, support_contact_id, consent_id, delivery_id, purpose, kind, channel, disclosed_at)
                select gen_random_uuid(), d.clinic_id, d.patient_id, d.recipient_id, r.consent_id, d.id, r.purpose, d.kind, d.channel, d.sent_at
                from unnest(@Ids, @Consents, @Purposes) as r(id, consent_id, purpose)
                join delivery d on d.id = r.id
                on conflict (delivery_id) do nothing
                """, new
            {
                Ids = disclosed.Select(r => r.Delivery.Id).ToArray(),
                Consents = disclosed.Select(r => r.Delivery.ConsentId!.Value).ToArray(),
                Purposes = disclosed.Select(r => ConsentRules.Purpose(r.Delivery.Kind)).ToArray()
            }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return recorded.Count;
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
