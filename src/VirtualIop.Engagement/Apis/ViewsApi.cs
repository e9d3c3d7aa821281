using Microsoft.AspNetCore.Http.HttpResults;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Engagement.Data;

namespace VirtualIop.Engagement.Apis;

public static class ViewsApi
{
    const int MaxPageSize = 100;
    const int DefaultPageSize = 20;

    public static IEndpointRouteBuilder MapViewsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/engagement/cohorts/{cohortId:guid}/overview", CohortOverview).RequireAuthorization().WithTags("Views")
            .WithName("GetCohortOverview").WithSummary("A cohort's risk distribution, catch-up flags and open follow-ups")
            .AuditsPatientData("engagement.cohortOverview");
        app.MapGet("/api/engagement/clinicians/{clinicianId:guid}/work-queue", ClinicianWorkQueue).RequireAuthorization().WithTags("Views")
            .WithName("GetClinicianWorkQueue")
            .AuditsPatientData("engagement.workQueue")
            .WithSummary("A clinician's active tasks (assigned to them, or unassigned for their patients), highest risk first, then earliest due; paged");
        app.MapGet("/api/engagement/work-queue", WorkQueue).RequireAuthorization().WithTags("Views")
            .WithName("GetWorkQueue").WithSummary("Active tasks, optionally for one assignee, highest risk first, then earliest due; paged")
            .AuditsPatientData("engagement.workQueue");
        return app;
    }

    static async Task<Results<Ok<CohortOverview>, NotFound>> CohortOverview(Guid cohortId, ClinicContext clinic, EngagementViews views, CancellationToken ct) =>
        await views.Cohort(clinic, cohortId, ct) is { } overview ? TypedResults.Ok(overview) : TypedResults.NotFound();

    static Task<Results<Ok<WorkQueuePage>, ValidationProblem>> ClinicianWorkQueue(
        Guid clinicianId, int? page, int? pageSize, ClinicContext clinic, EngagementViews views, CancellationToken ct) =>
        Queue(new WorkQueueFilter(null, clinicianId), page, pageSize, clinic, views, ct);

    static Task<Results<Ok<WorkQueuePage>, ValidationProblem>> WorkQueue(
        string? assignee, int? page, int? pageSize, ClinicContext clinic, EngagementViews views, CancellationToken ct) =>
        Queue(new WorkQueueFilter(string.IsNullOrWhiteSpace(assignee) ? null : assignee.Trim(), null), page, pageSize, clinic, views, ct);

    static async Task<Results<Ok<WorkQueuePage>, ValidationProblem>> Queue(
        WorkQueueFilter filter, int? page, int? pageSize, ClinicContext clinic, EngagementViews views, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        errors.Require(page is null or >= 1, "page", "Pages start at 1.");
        errors.Require(pageSize is null or (>= 1 and <= MaxPageSize), "pageSize", $"Between 1 and {MaxPageSize}.");
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());
        return TypedResults.Ok(await views.WorkQueue(clinic, filter, page ?? 1, pageSize ?? DefaultPageSize, ct));
    }
}
