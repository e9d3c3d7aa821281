using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http.Idempotency;
using VirtualIop.Scheduling.Data;
using VirtualIop.Scheduling.Domain;
using VirtualIop.Scheduling.Extensions;

namespace VirtualIop.Scheduling.Apis;

public sealed record CalendarFeedDto(string Url);

/// <summary>
/// Calendar subscriptions. Issuing and revoking a feed needs a partner token; the feed itself is anonymous, because
/// calendar apps send no bearer token: its URL carries an unguessable secret instead, revocable at any time. Logs never
/// carry the token.
/// </summary>
public static class CalendarFeedsApi
{
    public static IEndpointRouteBuilder MapCalendarFeedsApi(this IEndpointRouteBuilder app)
    {
        var manage = app.MapGroup("/api/scheduling").RequireAuthorization().WithTags("Calendar feeds");
        manage.MapPost("/patients/{id:guid}/calendar-feed", (Guid id, ClinicContext clinic, CalendarFeeds feeds, HttpRequest request,
                IOptions<SchedulingOptions> options, CancellationToken ct) => Issue(FeedOwner.Patient, id, clinic, feeds, request, options, ct))
            .Idempotent()
            .WithName("IssuePatientCalendarFeed").WithSummary("Issues the patient's secret calendar URL (a previous one stops working)")
            .AuditsPatientData("scheduling.calendarFeed");
        manage.MapDelete("/patients/{id:guid}/calendar-feed", (Guid id, ClinicContext clinic, CalendarFeeds feeds, CancellationToken ct) =>
                Revoke(FeedOwner.Patient, id, clinic, feeds, ct))
            .WithName("RevokePatientCalendarFeed").WithSummary("Revokes the patient's calendar URL")
            .AuditsPatientData("scheduling.calendarFeed");
        manage.MapPost("/clinicians/{id:guid}/calendar-feed", (Guid id, ClinicContext clinic, CalendarFeeds feeds, HttpRequest request,
                IOptions<SchedulingOptions> options, CancellationToken ct) => Issue(FeedOwner.Clinician, id, clinic, feeds, request, options, ct))
            .Idempotent()
            .WithName("IssueClinicianCalendarFeed").WithSummary("Issues the clinician's secret calendar URL (a previous one stops working)");
        manage.MapDelete("/clinicians/{id:guid}/calendar-feed", (Guid id, ClinicContext clinic, CalendarFeeds feeds, CancellationToken ct) =>
                Revoke(FeedOwner.Clinician, id, clinic, feeds, ct))
            .WithName("RevokeClinicianCalendarFeed").WithSummary("Revokes the clinician's calendar URL");

        app.MapGet("/api/scheduling/feeds/{token}.ics", Feed).AllowAnonymous().WithTags("Calendar feeds").WithName("GetCalendarFeed")
            .AuditsPatientData("scheduling.calendarFeed")
            .WithSummary("The iCalendar feed behind a secret URL (for calendar apps; no bearer token)");
        return app;
    }

    static async Task<Created<CalendarFeedDto>> Issue(FeedOwner owner, Guid id, ClinicContext clinic, CalendarFeeds feeds, HttpRequest request,
        IOptions<SchedulingOptions> options, CancellationToken ct)
    {
        var token = await feeds.Issue(clinic.ClinicId, owner, id, ct);
        var baseUrl = options.Value.CalendarFeeds.PublicBaseUrl is { Length: > 0 } configured
            ? configured.TrimEnd('/')
            : $"{request.Scheme}://{request.Host}{request.PathBase}";
        var url = $"{baseUrl}/api/scheduling/feeds/{token}.ics";
        return TypedResults.Created(url, new CalendarFeedDto(url));
    }

    static async Task<Results<NoContent, NotFound>> Revoke(FeedOwner owner, Guid id, ClinicContext clinic, CalendarFeeds feeds, CancellationToken ct) =>
        await feeds.Revoke(clinic.ClinicId, owner, id, ct) ? TypedResults.NoContent() : TypedResults.NotFound();

    static async Task<Results<ContentHttpResult, NotFound>> Feed(string token, CalendarFeeds feeds, IOptions<SchedulingOptions> options,
        TimeProvider clock, HttpResponse response, CancellationToken ct)
    {
        if (!FeedTokens.LooksValid(token) || await feeds.Sessions(token, ct) is not { } sessions) return TypedResults.NotFound();
        var template = options.Value.CalendarFeeds.JoinUrlTemplate;
        var calendar = CalendarFeedWriter.Write(sessions, clock.GetUtcNow(),
            session => string.IsNullOrEmpty(template) ? null : new Uri(template.Replace("{sessionId}", session.ToString(), StringComparison.Ordinal)));
        response.Headers.CacheControl = "private, max-age=300";
        return TypedResults.Content(calendar, $"{CalendarFeedWriter.ContentType}; charset=utf-8");
    }
}
