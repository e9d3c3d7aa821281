using Microsoft.AspNetCore.Http.HttpResults;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Engagement.Data;
using VirtualIop.Engagement.Domain;

namespace VirtualIop.Engagement.Apis;

public static class FollowUpsApi
{
    public static RouteGroupBuilder MapFollowUpsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/engagement/follow-ups").RequireAuthorization().WithTags("Follow-ups");
        api.MapGet("/", ListFollowUps).WithName("ListFollowUps").WithSummary("The clinic's follow-up tasks, by patient and/or status");
        api.MapGet("/{id:guid}", GetFollowUp).WithName("GetFollowUp").WithSummary("One follow-up task");
        return api;
    }

    static async Task<Results<Ok<IReadOnlyList<FollowUpTask>>, ValidationProblem>> ListFollowUps(
        string? patientId, string? status, ClinicContext clinic, FollowUpTasks tasks, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        Guid? patient = null;
        if (!string.IsNullOrWhiteSpace(patientId))
        {
            if (Guid.TryParse(patientId, out var id)) patient = id;
            else errors.Add("patientId", "Not a valid id.");
        }
        FollowUpStatus? wanted = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            wanted = Enum.GetValues<FollowUpStatus>().Cast<FollowUpStatus?>()
                .FirstOrDefault(s => string.Equals(JsonName(s.ToString()!), status, StringComparison.OrdinalIgnoreCase));
            if (wanted is null) errors.Add("status", $"Must be one of: {string.Join(", ", Enum.GetNames<FollowUpStatus>().Select(JsonName))}.");
        }
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        return TypedResults.Ok(await tasks.List(clinic, patient, wanted, ct));
    }

    static async Task<Results<Ok<FollowUpTask>, NotFound>> GetFollowUp(Guid id, ClinicContext clinic, FollowUpTasks tasks, CancellationToken ct) =>
        await tasks.Find(clinic, id, ct) is { } task ? TypedResults.Ok(task) : TypedResults.NotFound();

    static string JsonName(string name) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(name);
}
