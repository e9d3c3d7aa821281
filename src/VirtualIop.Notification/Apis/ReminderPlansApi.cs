using Microsoft.AspNetCore.Http.HttpResults;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Apis;

/// <summary>Offsets before the start ("1.00:00:00", "02:00:00"); joinAlertOffset is the platform alert with the join link (null: none).</summary>
public sealed record SaveReminderPlanRequest(IReadOnlyList<TimeSpan>? Offsets, TimeSpan? JoinAlertOffset);

public static class ReminderPlansApi
{
    const int MaxOffsets = 6;
    static readonly TimeSpan MaxOffset = TimeSpan.FromDays(14);
    static readonly TimeSpan MaxJoinAlert = TimeSpan.FromHours(1);

    public static RouteGroupBuilder MapReminderPlansApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/notification/programs/{programId:guid}/reminder-plan").RequireAuthorization().WithTags("Reminder plans");
        api.MapPut("/", SavePlan).WithName("SaveReminderPlan").RequireStaffRole(StaffRoles.Admin, StaffRoles.Coordinator).WithSummary("Sets when a program's sessions are reminded, and the join alert");
        api.MapGet("/", GetPlan).WithName("GetReminderPlan").WithSummary("A program's reminder plan");
        return api;
    }

    /// <returns>404 (ProblemDetails), with nothing written, for a program Notification does not know for the clinic; see <see cref="UnknownResource"/>.</returns>
    static async Task<Results<Ok<ReminderPlan>, ValidationProblem, ProblemHttpResult>> SavePlan(
        Guid programId, SaveReminderPlanRequest request, ClinicContext clinic, ReminderPlans plans, CancellationToken ct)
    {
        var offsets = request.Offsets ?? [];
        var errors = new ValidationErrors()
            .Require(programId != Guid.Empty, "programId", "A program id is required.")
            .Require(offsets.Count <= MaxOffsets, "offsets", $"At most {MaxOffsets} offsets.")
            .Require(offsets.All(o => o > TimeSpan.Zero && o <= MaxOffset), "offsets", $"Each offset is positive and at most {MaxOffset.TotalDays} days.")
            .Require(offsets.Distinct().Count() == offsets.Count, "offsets", "An offset is listed twice.")
            .Require(request.JoinAlertOffset is null || (request.JoinAlertOffset > TimeSpan.Zero && request.JoinAlertOffset <= MaxJoinAlert),
                "joinAlertOffset", $"Positive and at most {MaxJoinAlert.TotalMinutes} minutes.")
            .Require(offsets.Count > 0 || request.JoinAlertOffset is not null, "offsets", "At least one offset or a join alert is required.");
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        return await plans.Save(clinic, new ReminderPlan(programId, offsets, request.JoinAlertOffset), ct) is { } saved
            ? TypedResults.Ok(saved)
            : UnknownResource.Problem("program", "Notification");
    }

    static async Task<Results<Ok<ReminderPlan>, NotFound>> GetPlan(Guid programId, ClinicContext clinic, ReminderPlans plans, CancellationToken ct) =>
        await plans.Find(clinic, programId, ct) is { } plan ? TypedResults.Ok(plan) : TypedResults.NotFound();
}
