using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Notification.Domain.Webhooks;
using VirtualIop.Notification.Extensions;

namespace VirtualIop.Notification.Data.Webhooks;

/// <summary>
/// One event's delivery to one endpoint, as the clinic's delivery log shows it. Status: pending (queued, or waiting for
/// its next attempt at NextAttemptAt), sending, delivered, or failed (its retry window ended without a 2xx).
/// </summary>
public sealed record WebhookDelivery
{
    public Guid Id { get; init; }
    public Guid SubscriptionId { get; init; }
    public Guid EventId { get; init; }
    public string EventType { get; init; } = "";
    public long? Version { get; init; }
    public string Status { get; init; } = "";
    public int Attempts { get; init; }
    public DateTimeOffset NextAttemptAt { get; init; }
    public DateTimeOffset RetryUntil { get; init; }
    public DateTimeOffset? LastAttemptAt { get; init; }
    public int? LastStatusCode { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset? DeliveredAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>One attempt of a delivery: the endpoint's HTTP status, or the error that kept it from answering.</summary>
public sealed record WebhookAttempt
{
    public int Attempt { get; init; }
    public DateTimeOffset AttemptedAt { get; init; }
    public int? StatusCode { get; init; }
    public string? Error { get; init; }
    public int DurationMs { get; init; }
}

/// <summary>A delivery with its attempts and the body that was (or will be) sent.</summary>
public sealed record WebhookDeliveryDetail(WebhookDelivery Delivery, string Payload, IReadOnlyList<WebhookAttempt> Attempts);

/// <summary>A delivery a dispatcher pass claimed, with what it needs to send it.</summary>
public sealed record ClaimedWebhook
{
    public Guid Id { get; init; }
    public Guid SubscriptionId { get; init; }
    public Guid ClinicId { get; init; }
    public string Payload { get; init; } = "";
    public int Attempts { get; init; }
    public DateTimeOffset RetryUntil { get; init; }
    public string Url { get; init; } = "";
    public string Secret { get; init; } = "";
    public string? PreviousSecret { get; init; }
}

/// <summary>How one attempt ended: a status code from the endpoint, or an error before one came back.</summary>
public sealed record WebhookAttemptOutcome(int? StatusCode, string? Error, DateTimeOffset AttemptedAt, TimeSpan Duration)
{
    public bool Delivered => StatusCode is >= 200 and < 300;
}

/// <summary>The webhook delivery queue and log: what the fan-out queues, the dispatcher claims and records, and the clinic reads.</summary>
public sealed class WebhookDeliveries(NpgsqlDataSource db, Inbox inbox, IOptions<WebhookOptions> options, TimeProvider clock)
{
    const string Columns = """
        id, subscription_id, event_id, event_type, version, status, attempts, next_attempt_at, retry_until, last_attempt_at,
        last_status_code, last_error, delivered_at, created_at
        """;

    readonly WebhookOptions settings = options.Value;

    /// <summary>
    /// Queues the event for each of the clinic's active endpoints that asked for its type, once per event (the inbox, and
    /// one row per endpoint and event). The body is made here, with the delivery's own id in it, so every attempt and any
    /// re-send posts the same bytes. An event is queued for the endpoints active when it is consumed; most events are for
    /// clinics with no endpoint that asked for them, and those are told apart in one read and leave no row at all.
    /// </summary>
    /// <returns>false when there was nothing to queue, or this event had been queued already.</returns>
    public async Task<bool> Enqueue(WebhookEvent e, string inboxKey, CancellationToken ct)
    {
        if (!await Wanted(e, ct)) return false;
        return await inbox.ProcessOnce(e.Source, inboxKey, async (conn, tx) =>
        {
            var now = clock.GetUtcNow();
            await conn.ExecuteAsync(new CommandDefinition($"""
                insert into webhook_delivery (id, subscription_id, clinic_id, event_id, event_type, ordering_key, version, payload,
                                              next_attempt_at, retry_until, created_at)
                select x.id, x.subscription_id, @Clinic, @EventId, @Type, @OrderingKey, @Version,
                       jsonb_build_object('id', x.id, 'type', @Type, 'eventId', @EventId, 'clinicId', @Clinic, 'version', @Version,
                                          'createdAt', @Now, 'data', @Data::jsonb)::text,
                       @DueAt, @RetryUntil, @Now
                from (select gen_random_uuid() as id, s.id as subscription_id
                      from webhook_subscription s
                      where {WantedBy}) x
                on conflict (subscription_id, event_id) do nothing
                """, new
            {
                Clinic = e.Source.ClinicId, e.Source.EventId, e.Type, e.OrderingKey, e.Version, e.Data, Now = now,
                DueAt = e.OrderingKey is null ? now : now + settings.OrderingHold, RetryUntil = now + settings.RetryFor
            }, tx, cancellationToken: ct));
        }, ct);
    }

    /// <summary>Whether any of the clinic's active endpoints asked for the event's type (the index webhook_subscription_by_clinic).</summary>
    async Task<bool> Wanted(WebhookEvent e, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<bool>(new CommandDefinition($"""
            select exists (select 1 from webhook_subscription s where {WantedBy})
            """, new { Clinic = e.Source.ClinicId, e.Type }, cancellationToken: ct));
    }

    /// <summary>The clinic's active endpoints (alias s) that asked for the event's type (@Clinic, @Type).</summary>
    const string WantedBy = "s.clinic_id = @Clinic and s.status = 'active' and @Type = any (s.event_types)";

    /// <summary>
    /// Claims due deliveries of active endpoints under a lease, skipping rows another replica holds. Of one aggregate's
    /// deliveries to one endpoint only the lowest version still pending or sending is due: a later version waits until
    /// the earlier one is delivered or has failed for good. A delivery whose lease ran out (its sender died) is sent
    /// again: webhooks are at least once, and receivers deduplicate on VirtualIop-Webhook-Id.
    /// </summary>
    public async Task<IReadOnlyList<ClaimedWebhook>> Claim(Guid claimId, DateTimeOffset now, int batchSize, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<ClaimedWebhook>(new CommandDefinition("""
            with due as (
                select d.id
                from webhook_delivery d
                join webhook_subscription s on s.id = d.subscription_id and s.status = 'active'
                where ((d.status = 'pending' and d.next_attempt_at <= @Now) or (d.status = 'sending' and d.lease_until <= @Now))
                  and not exists (select 1 from webhook_delivery e
                                  where d.ordering_key is not null and e.subscription_id = d.subscription_id
                                    and e.ordering_key = d.ordering_key and e.version < d.version and e.status in ('pending', 'sending'))
                order by d.next_attempt_at, d.id
                limit @BatchSize
                for update of d skip locked
            ), claimed as (
                update webhook_delivery d
                set status = 'sending', attempts = d.attempts + 1, claim_id = @ClaimId, lease_until = @LeaseUntil
                from due
                where d.id = due.id
                returning d.id, d.subscription_id, d.clinic_id, d.payload, d.attempts, d.retry_until
            )
            select c.*, s.url, s.secret, case when s.previous_secret_expires_at > @Now then s.previous_secret end as previous_secret
            from claimed c
            join webhook_subscription s on s.id = c.subscription_id
            """, new { ClaimId = claimId, Now = now, LeaseUntil = now + settings.DispatchLease, BatchSize = batchSize }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>
    /// Records one attempt as soon as it ended: the attempt in the log, the delivery delivered, due again after its
    /// backoff, or failed once its window has ended; and the endpoint's failure streak, disabling the endpoint (with a
    /// notice to the clinic) when the rule says so.
    /// </summary>
    /// <returns>Whether the endpoint was disabled by this attempt; null when the pass no longer held the delivery.</returns>
    public async Task<bool?> Record(Guid claimId, ClaimedWebhook delivery, WebhookAttemptOutcome outcome, CancellationToken ct)
    {
        var policy = settings.RetryPolicy;
        var now = clock.GetUtcNow();
        var nextAttempt = outcome.Delivered ? null : WebhookRetryRules.NextAttemptAt(policy, delivery.Attempts, now, delivery.RetryUntil);
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var recorded = await conn.ExecuteAsync(new CommandDefinition("""
            update webhook_delivery
            set status = @Status, next_attempt_at = coalesce(@NextAttemptAt, next_attempt_at), last_attempt_at = @AttemptedAt,
                last_status_code = @StatusCode, last_error = @Error, delivered_at = @DeliveredAt, claim_id = null, lease_until = null
            where id = @Id and claim_id = @ClaimId and status = 'sending'
            """, new
        {
            delivery.Id, ClaimId = claimId, outcome.StatusCode, outcome.Error, outcome.AttemptedAt, NextAttemptAt = nextAttempt,
            Status = outcome.Delivered ? "delivered" : nextAttempt is null ? "failed" : "pending",
            DeliveredAt = outcome.Delivered ? now : (DateTimeOffset?)null
        }, tx, cancellationToken: ct));
        if (recorded == 0) return null;
        await conn.ExecuteAsync(new CommandDefinition("""
            insert into webhook_attempt (delivery_id, attempt, attempted_at, status_code, error, duration_ms)
            values (@Id, @Attempt, @AttemptedAt, @StatusCode, @Error, @DurationMs)
            on conflict (delivery_id, attempt) do nothing
            """, new
        {
            delivery.Id, Attempt = delivery.Attempts, outcome.AttemptedAt, outcome.StatusCode, outcome.Error,
            DurationMs = (int)Math.Min(outcome.Duration.TotalMilliseconds, int.MaxValue)
        }, tx, cancellationToken: ct));

        var disabled = false;
        if (outcome.Delivered)
            await conn.ExecuteAsync(new CommandDefinition("""
                update webhook_subscription set consecutive_failures = 0, failing_since = null where id = @Id and consecutive_failures > 0
                """, new { Id = delivery.SubscriptionId }, tx, cancellationToken: ct));
        else
        {
            var streak = await conn.QuerySingleOrDefaultAsync<FailureStreak>(new CommandDefinition("""
                update webhook_subscription
                set consecutive_failures = consecutive_failures + 1, failing_since = coalesce(failing_since, @AttemptedAt)
                where id = @Id
                returning consecutive_failures, failing_since, status
                """, new { Id = delivery.SubscriptionId, outcome.AttemptedAt }, tx, cancellationToken: ct));
            if (streak is { Status: "active" } s && WebhookRetryRules.ShouldDisable(policy, s.ConsecutiveFailures, s.FailingSince, now))
            {
                var reason = $"Disabled after {s.ConsecutiveFailures} failed attempts in a row since {s.FailingSince:u}; the last: {outcome.Error ?? $"HTTP {outcome.StatusCode}"}.";
                await conn.ExecuteAsync(new CommandDefinition("""
                    update webhook_subscription set status = 'disabled', disabled_at = @Now, disabled_reason = @Reason where id = @Id;
                    insert into webhook_notice (id, clinic_id, subscription_id, kind, detail, created_at)
                    values (@NoticeId, @Clinic, @Id, 'disabled', @Reason, @Now);
                    """, new { Id = delivery.SubscriptionId, Clinic = delivery.ClinicId, NoticeId = Guid.CreateVersion7(), Reason = reason, Now = now },
                    tx, cancellationToken: ct));
                disabled = true;
            }
        }
        await tx.CommitAsync(ct);
        return disabled;
    }

    sealed record FailureStreak
    {
        public int ConsecutiveFailures { get; init; }
        public DateTimeOffset FailingSince { get; init; }
        public string Status { get; init; } = "";
    }

    /// <summary>Hands what a stopping pass claimed but never sent back to the queue, due as before.</summary>
    public async Task Release(Guid claimId, IReadOnlyCollection<Guid> unsent, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            update webhook_delivery set status = 'pending', attempts = attempts - 1, claim_id = null, lease_until = null
            where claim_id = @ClaimId and status = 'sending' and id = any (@Ids)
            """, new { ClaimId = claimId, Ids = unsent.ToArray() }, cancellationToken: ct));
    }

    public async Task<(IReadOnlyList<WebhookDelivery> Items, string? NextCursor)?> List(ClinicContext clinic, Guid subscriptionId, PageRequest page,
        CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var known = await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists (select 1 from webhook_subscription where clinic_id = @Clinic and id = @Id)",
            new { Clinic = clinic.ClinicId, Id = subscriptionId }, cancellationToken: ct));
        if (!known) return null;
        var rows = await conn.QueryAsync<WebhookDelivery>(new CommandDefinition($"""
            select {Columns} from webhook_delivery
            where clinic_id = @Clinic and subscription_id = @Subscription
              and (@AfterAt::timestamptz is null or (created_at, id) > (@AfterAt, @AfterId))
            order by created_at, id
            limit @Take
            """, new { Clinic = clinic.ClinicId, Subscription = subscriptionId, AfterAt = page.AfterStartsAt, page.AfterId, page.Take },
            cancellationToken: ct));
        return page.Cut(rows.AsList(), d => (d.CreatedAt, d.Id));
    }

    public async Task<WebhookDeliveryDetail?> Find(ClinicContext clinic, Guid id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<WebhookDelivery>(new CommandDefinition(
            $"select {Columns} from webhook_delivery where clinic_id = @Clinic and id = @Id", new { Clinic = clinic.ClinicId, Id = id }, cancellationToken: ct));
        if (row is null) return null;
        var payload = await conn.ExecuteScalarAsync<string>(new CommandDefinition("select payload from webhook_delivery where id = @Id",
            new { Id = id }, cancellationToken: ct));
        var attempts = await conn.QueryAsync<WebhookAttempt>(new CommandDefinition("""
            select attempt, attempted_at, status_code, error, duration_ms from webhook_attempt where delivery_id = @Id order by attempt
            """, new { Id = id }, cancellationToken: ct));
        return new WebhookDeliveryDetail(row, payload!, attempts.AsList());
    }

    /// <summary>
    /// Sends a delivery again, by hand: due at once, with a fresh retry window, whatever became of it. A delivery being
    /// sent right now is left alone: null, as for an unknown delivery.
    /// </summary>
    public async Task<WebhookDelivery?> Redeliver(ClinicContext clinic, Guid id, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<WebhookDelivery>(new CommandDefinition($"""
            update webhook_delivery
            set status = 'pending', next_attempt_at = @Now, retry_until = @RetryUntil, delivered_at = null
            where clinic_id = @Clinic and id = @Id and status <> 'sending'
            returning {Columns}
            """, new { Clinic = clinic.ClinicId, Id = id, Now = now, RetryUntil = now + settings.RetryFor }, cancellationToken: ct));
    }
}
