using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Notification.Domain.Webhooks;
using VirtualIop.Notification.Extensions;

namespace VirtualIop.Notification.Data.Webhooks;

/// <summary>
/// A clinic's webhook endpoint as the clinic reads it. Status is active or disabled (DisabledReason says why); the secret
/// is shown once, when it is made (created or rotated). PreviousSecretExpiresAt: until when the replaced secret still signs.
/// </summary>
public sealed record WebhookSubscription
{
    public Guid Id { get; init; }
    public string Url { get; init; } = "";
    public string[] EventTypes { get; init; } = [];
    public string Status { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? DisabledAt { get; init; }
    public string? DisabledReason { get; init; }
    public int ConsecutiveFailures { get; init; }
    public DateTimeOffset? PreviousSecretExpiresAt { get; init; }
}

/// <summary>A subscription with the secret it signs with, shown only in the answer that created or rotated it.</summary>
public sealed record WebhookSubscriptionWithSecret(WebhookSubscription Subscription, string Secret);

/// <summary>A notice to the clinic about one of its endpoints (kind: disabled).</summary>
public sealed record WebhookNotice
{
    public Guid Id { get; init; }
    public Guid SubscriptionId { get; init; }
    public string Kind { get; init; } = "";
    public string Detail { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
}

public sealed class WebhookSubscriptions(NpgsqlDataSource db, IOptions<WebhookOptions> options, TimeProvider clock)
{
    const string Columns = """
        id, url, event_types, status, created_at, disabled_at, disabled_reason, consecutive_failures, previous_secret_expires_at
        """;

    readonly WebhookOptions settings = options.Value;

    /// <returns>The new subscription and its secret, or null when the clinic already holds the most it may.</returns>
    public async Task<WebhookSubscriptionWithSecret?> Create(ClinicContext clinic, string url, IReadOnlyList<string> eventTypes, CancellationToken ct)
    {
        var secret = WebhookSigning.NewSecret();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // One clinic's creations queue on this lock, so two at once cannot both pass the limit.
        await conn.ExecuteAsync(new CommandDefinition("select pg_advisory_xact_lock(hashtextextended(@Key, 0))",
            new { Key = $"webhook_subscription:{clinic.ClinicId}" }, tx, cancellationToken: ct));
        var created = await conn.QuerySingleOrDefaultAsync<WebhookSubscription>(new CommandDefinition($"""
            insert into webhook_subscription (id, clinic_id, url, event_types, secret, created_at)
            select @Id, @Clinic, @Url, @EventTypes, @Secret, @Now
            where (select count(*) from webhook_subscription where clinic_id = @Clinic) < @Max
            returning {Columns}
            """, new
        {
            Id = Guid.CreateVersion7(), Clinic = clinic.ClinicId, Url = url, EventTypes = eventTypes.Distinct().ToArray(), Secret = secret,
            Now = clock.GetUtcNow(), Max = settings.MaxSubscriptionsPerClinic
        }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return created is null ? null : new WebhookSubscriptionWithSecret(created, secret);
    }

    public async Task<WebhookSubscription?> Find(ClinicContext clinic, Guid id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<WebhookSubscription>(new CommandDefinition($"""
            select {Columns} from webhook_subscription where clinic_id = @Clinic and id = @Id
            """, new { Clinic = clinic.ClinicId, Id = id }, cancellationToken: ct));
    }

    public async Task<(IReadOnlyList<WebhookSubscription> Items, string? NextCursor)> List(ClinicContext clinic, PageRequest page, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<WebhookSubscription>(new CommandDefinition($"""
            select {Columns} from webhook_subscription
            where clinic_id = @Clinic and (@AfterAt::timestamptz is null or (created_at, id) > (@AfterAt, @AfterId))
            order by created_at, id
            limit @Take
            """, new { Clinic = clinic.ClinicId, AfterAt = page.AfterStartsAt, page.AfterId, page.Take }, cancellationToken: ct));
        return page.Cut(rows.AsList(), s => (s.CreatedAt, s.Id));
    }

    /// <summary>Removes the subscription with its delivery log; what was queued for it is not sent.</summary>
    public async Task<bool> Delete(ClinicContext clinic, Guid id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition("delete from webhook_subscription where clinic_id = @Clinic and id = @Id",
            new { Clinic = clinic.ClinicId, Id = id }, cancellationToken: ct)) == 1;
    }

    /// <summary>
    /// Makes a new secret; the one it replaces still signs (a second v1 signature) for Webhooks:SecretOverlap. Rotating
    /// again within the overlap ends the older secret at once: at most two secrets sign.
    /// </summary>
    public async Task<WebhookSubscriptionWithSecret?> RotateSecret(ClinicContext clinic, Guid id, CancellationToken ct)
    {
        var secret = WebhookSigning.NewSecret();
        await using var conn = await db.OpenConnectionAsync(ct);
        var rotated = await conn.QuerySingleOrDefaultAsync<WebhookSubscription>(new CommandDefinition($"""
            update webhook_subscription
            set previous_secret = secret, previous_secret_expires_at = @Until, secret = @Secret
            where clinic_id = @Clinic and id = @Id
            returning {Columns}
            """, new { Clinic = clinic.ClinicId, Id = id, Secret = secret, Until = clock.GetUtcNow() + settings.SecretOverlap }, cancellationToken: ct));
        return rotated is null ? null : new WebhookSubscriptionWithSecret(rotated, secret);
    }

    /// <summary>Switches a disabled endpoint back on with a clean failure count; its deliveries still within their window go out again.</summary>
    public async Task<WebhookSubscription?> Enable(ClinicContext clinic, Guid id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<WebhookSubscription>(new CommandDefinition($"""
            update webhook_subscription
            set status = 'active', disabled_at = null, disabled_reason = null, consecutive_failures = 0, failing_since = null
            where clinic_id = @Clinic and id = @Id
            returning {Columns}
            """, new { Clinic = clinic.ClinicId, Id = id }, cancellationToken: ct));
    }

    public async Task<(IReadOnlyList<WebhookNotice> Items, string? NextCursor)> Notices(ClinicContext clinic, PageRequest page, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<WebhookNotice>(new CommandDefinition("""
            select id, subscription_id, kind, detail, created_at from webhook_notice
            where clinic_id = @Clinic and (@AfterAt::timestamptz is null or (created_at, id) > (@AfterAt, @AfterId))
            order by created_at, id
            limit @Take
            """, new { Clinic = clinic.ClinicId, AfterAt = page.AfterStartsAt, page.AfterId, page.Take }, cancellationToken: ct));
        return page.Cut(rows.AsList(), n => (n.CreatedAt, n.Id));
    }
}
