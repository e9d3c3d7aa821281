using Microsoft.AspNetCore.Http.HttpResults;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.BuildingBlocks.Http.Idempotency;
using VirtualIop.Notification.Data.Webhooks;
using VirtualIop.Notification.Domain.Webhooks;
using VirtualIop.Notification.Extensions;
using VirtualIop.Notification.Workers;

namespace VirtualIop.Notification.Apis;

/// <summary>An endpoint to register: an https URL and the event types it wants (GET /api/webhooks/event-types lists them).</summary>
public sealed record CreateWebhookSubscriptionRequest(string? Url, IReadOnlyList<string>? EventTypes);

/// <summary>A subscription as created or rotated: its secret is shown here once, never again.</summary>
public sealed record WebhookSubscriptionCreated(Guid Id, string Url, string[] EventTypes, string Status, DateTimeOffset CreatedAt,
    DateTimeOffset? PreviousSecretExpiresAt, string Secret)
{
    public static WebhookSubscriptionCreated Of(WebhookSubscriptionWithSecret s) => new(s.Subscription.Id, s.Subscription.Url,
        s.Subscription.EventTypes, s.Subscription.Status, s.Subscription.CreatedAt, s.Subscription.PreviousSecretExpiresAt, s.Secret);
}

public static class WebhookSubscriptionsApi
{
    public static RouteGroupBuilder MapWebhookSubscriptionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/webhooks").RequireAuthorization().RequireStaffRole(StaffRoles.Admin, StaffRoles.Coordinator).WithTags("Webhooks");
        api.MapGet("/event-types", ListEventTypes).WithName("ListWebhookEventTypes").WithSummary("The event types a webhook subscription may name");
        api.MapPost("/subscriptions", CreateSubscription).WithName("CreateWebhookSubscription")
            .Idempotent()
            .WithSummary("Registers an endpoint for some event types; the answer holds its signing secret, shown once");
        api.MapGet("/subscriptions", ListSubscriptions).WithName("ListWebhookSubscriptions")
            .WithSummary("The clinic's webhook endpoints, a page at a time (?limit=&cursor=)");
        api.MapGet("/subscriptions/{id:guid}", GetSubscription).WithName("GetWebhookSubscription").WithSummary("One webhook endpoint and its state");
        api.MapDelete("/subscriptions/{id:guid}", DeleteSubscription).WithName("DeleteWebhookSubscription")
            .WithSummary("Removes an endpoint with its delivery log; nothing more is sent to it");
        api.MapPost("/subscriptions/{id:guid}/rotate-secret", RotateSecret).WithName("RotateWebhookSecret")
            .WithSummary("Makes a new signing secret, shown once; the old one keeps signing alongside for Webhooks:SecretOverlap");
        api.MapPost("/subscriptions/{id:guid}/enable", EnableSubscription).WithName("EnableWebhookSubscription")
            .WithSummary("Switches a disabled endpoint back on; its deliveries still within their retry window go out again");
        api.MapGet("/subscriptions/{id:guid}/deliveries", ListDeliveries).WithName("ListWebhookDeliveries")
            .WithSummary("An endpoint's delivery log, oldest first, a page at a time (?limit=&cursor=)");
        api.MapGet("/deliveries/{id:guid}", GetDelivery).WithName("GetWebhookDelivery").WithSummary("One delivery with its body and every attempt");
        api.MapPost("/deliveries/{id:guid}/redeliver", Redeliver).WithName("RedeliverWebhook")
            .WithSummary("Sends a delivery again now, with a fresh retry window, whatever became of it");
        api.MapGet("/notices", ListNotices).WithName("ListWebhookNotices")
            .WithSummary("What the clinic was told about its endpoints (an endpoint disabled, and why), a page at a time");
        return api;
    }

    static Ok<IReadOnlyList<string>> ListEventTypes() => TypedResults.Ok(WebhookEvents.Types);

    static async Task<Results<Created<WebhookSubscriptionCreated>, ValidationProblem, ProblemHttpResult>> CreateSubscription(
        CreateWebhookSubscriptionRequest request, ClinicContext clinic, WebhookSubscriptions subscriptions, WebhookTargetPolicy targets,
        CancellationToken ct)
    {
        var types = request.EventTypes ?? [];
        var errors = new ValidationErrors();
        if (WebhookTargets.Refusal(request.Url, targets.AllowPrivate) is { } refusal) errors.Add("url", refusal);
        errors.Require(types.Count > 0, "eventTypes", "At least one event type is required.")
            .RequireCount("eventTypes", types, WebhookEvents.Types.Count);
        var unknown = types.Where(t => !WebhookEvents.Types.Contains(t, StringComparer.Ordinal)).ToList();
        errors.Require(unknown.Count == 0, "eventTypes",
            $"Unknown event type(s): {string.Join(", ", unknown.Take(5).Select(t => t is null ? "null" : t.Length > 60 ? t[..60] + "…" : t))}. Known: {string.Join(", ", WebhookEvents.Types)}.");
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        var created = await subscriptions.Create(clinic, request.Url!, types, ct);
        return created is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Too many webhook endpoints",
                detail: "The clinic already holds the most webhook subscriptions it may (Webhooks:MaxSubscriptionsPerClinic); delete one first.")
            : TypedResults.Created($"/api/webhooks/subscriptions/{created.Subscription.Id}", WebhookSubscriptionCreated.Of(created));
    }

    static Task<Results<Ok<IReadOnlyList<WebhookSubscription>>, ValidationProblem>> ListSubscriptions(
        int? limit, string? cursor, HttpContext http, ClinicContext clinic, WebhookSubscriptions subscriptions, CancellationToken ct) =>
        KeysetPages.Serve(limit, cursor, http, page => subscriptions.List(clinic, page, ct));

    static async Task<Results<Ok<WebhookSubscription>, NotFound>> GetSubscription(Guid id, ClinicContext clinic, WebhookSubscriptions subscriptions,
        CancellationToken ct) =>
        await subscriptions.Find(clinic, id, ct) is { } found ? TypedResults.Ok(found) : TypedResults.NotFound();

    static async Task<Results<NoContent, NotFound>> DeleteSubscription(Guid id, ClinicContext clinic, WebhookSubscriptions subscriptions,
        CancellationToken ct) =>
        await subscriptions.Delete(clinic, id, ct) ? TypedResults.NoContent() : TypedResults.NotFound();

    static async Task<Results<Ok<WebhookSubscriptionCreated>, NotFound>> RotateSecret(Guid id, ClinicContext clinic, WebhookSubscriptions subscriptions,
        CancellationToken ct) =>
        await subscriptions.RotateSecret(clinic, id, ct) is { } rotated ? TypedResults.Ok(WebhookSubscriptionCreated.Of(rotated)) : TypedResults.NotFound();

    static async Task<Results<Ok<WebhookSubscription>, NotFound>> EnableSubscription(Guid id, ClinicContext clinic, WebhookSubscriptions subscriptions,
        CancellationToken ct) =>
        await subscriptions.Enable(clinic, id, ct) is { } enabled ? TypedResults.Ok(enabled) : TypedResults.NotFound();

    static async Task<Results<Ok<IReadOnlyList<WebhookDelivery>>, ValidationProblem, NotFound>> ListDeliveries(
        Guid id, int? limit, string? cursor, HttpContext http, ClinicContext clinic, WebhookDeliveries deliveries, CancellationToken ct)
    {
        if (!KeysetPages.TryRead(limit, cursor, out var page, out var problem)) return problem;
        if (await deliveries.List(clinic, id, page, ct) is not var (items, next)) return TypedResults.NotFound();
        KeysetPages.Announce(http, next);
        return TypedResults.Ok(items);
    }

    static async Task<Results<Ok<WebhookDeliveryDetail>, NotFound>> GetDelivery(Guid id, ClinicContext clinic, WebhookDeliveries deliveries,
        CancellationToken ct) =>
        await deliveries.Find(clinic, id, ct) is { } found ? TypedResults.Ok(found) : TypedResults.NotFound();

    static async Task<Results<Accepted<WebhookDelivery>, NotFound, ProblemHttpResult>> Redeliver(Guid id, ClinicContext clinic,
        WebhookDeliveries deliveries, CancellationToken ct)
    {
        if (await deliveries.Redeliver(clinic, id, ct) is { } queued) return TypedResults.Accepted($"/api/webhooks/deliveries/{id}", queued);
        return await deliveries.Find(clinic, id, ct) is null
            ? TypedResults.NotFound()
            : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Being sent",
                detail: "The delivery is being sent right now; ask again once its attempt is recorded.");
    }

    static Task<Results<Ok<IReadOnlyList<WebhookNotice>>, ValidationProblem>> ListNotices(
        int? limit, string? cursor, HttpContext http, ClinicContext clinic, WebhookSubscriptions subscriptions, CancellationToken ct) =>
        KeysetPages.Serve(limit, cursor, http, page => subscriptions.Notices(clinic, page, ct));
}
