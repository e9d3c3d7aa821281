using Microsoft.AspNetCore.Http.HttpResults;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Engagement.Data;

namespace VirtualIop.Engagement.Apis;

public static class ViewsApi
{
    public static IEndpointRouteBuilder MapViewsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/engagement/cohorts/{cohortId:guid}/overview", CohortOverview).RequireAuthorization().WithTags("Views")
            .WithName("GetCohortOverview").WithSummary("A cohort's risk distribution, catch-up flags and open follow-ups")
            .AuditsPatientData("engagement.cohortOverview");
        app.MapGet("/api/engagement/clinicians/{clinicianId:guid}/work-queue", ClinicianWorkQueue).RequireAuthorization().WithTags("Views")
            .WithName("GetClinicianWorkQueue")
            .AuditsPatientData("engagement.workQueue")
            .WithSummary("A clinician's active tasks (assigned to them, or unassigned for their patients), highest risk first, then earliest due; paged (limit, cursor)");
        app.MapGet("/api/engagement/work-queue", WorkQueue).RequireAuthorization().WithTags("Views")
            .WithName("GetWorkQueue").WithSummary("Active tasks, optionally for one assignee, highest risk first, then earliest due; paged (limit, cursor)")
            .AuditsPatientData("engagement.workQueue");
        return app;
    }

    static async Task<Results<Ok<CohortOverview>, NotFound>> CohortOverview(Guid cohortId, ClinicContext clinic, EngagementViews views, CancellationToken ct) =>
        await views.Cohort(clinic, cohortId, ct) is { } overview ? TypedResults.Ok(overview) : TypedResults.NotFound();

    static Task<Results<Ok<IReadOnlyList<WorkQueueItem>>, ValidationProblem>> ClinicianWorkQueue(
        Guid clinicianId, int? limit, string? cursor, ClinicContext clinic, EngagementViews views, HttpContext http, CancellationToken ct) =>
        Queue(new WorkQueueFilter(null, clinicianId), null, limit, cursor, clinic, views, http, ct);

    static Task<Results<Ok<IReadOnlyList<WorkQueueItem>>, ValidationProblem>> WorkQueue(
        string? assignee, int? limit, string? cursor, ClinicContext clinic, EngagementViews views, HttpContext http, CancellationToken ct) =>
        Queue(new WorkQueueFilter(string.IsNullOrWhiteSpace(assignee) ? null : assignee.Trim(), null), assignee, limit, cursor, clinic, views, http, ct);

    static async Task<Results<Ok<IReadOnlyList<WorkQueueItem>>, ValidationProblem>> Queue(WorkQueueFilter filter, string? assignee, int? limit,
        string? cursor, ClinicContext clinic, EngagementViews views, HttpContext http, CancellationToken ct)
    {
        var errors = new ValidationErrors().RequireLength("assignee", assignee, InputBounds.MaxShortText);
        if (!PageRequest.TryCreate(limit, cursor, errors, out var page) || errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());
        var queue = await views.WorkQueue(clinic, filter, page, ct);
        KeysetPages.Announce(http, queue.NextCursor);
        return TypedResults.Ok(queue.Items);
    }
}
