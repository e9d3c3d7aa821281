using Microsoft.AspNetCore.Http.HttpResults;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Engagement.Data;
using VirtualIop.Engagement.Domain;

namespace VirtualIop.Engagement.Apis;

/// <summary>A program's pattern settings; a field left out takes the service default.</summary>
public sealed record PatternSettingsRequest(
    int? ConsecutiveMisses,
    int? ConsecutiveMissesHigh,
    int? MissesInWindow,
    int? WindowDays,
    decimal? AttendanceThreshold,
    int? MinimumSessionsForRate,
    int? SameSlotAbsences,
    int? TechnicalDifficultyAbsences,
    int? LowMotivationAbsences,
    int? HomeworkOverdueDays,
    bool? SuggestFamilyInvolvement);

public static class ProgramSettingsApi
{
    public static RouteGroupBuilder MapProgramSettingsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/engagement/programs/{programId:guid}/pattern-settings").RequireAuthorization().WithTags("Pattern settings");
        api.MapGet("/", GetSettings).WithName("GetProgramPatternSettings")
            .WithSummary("The thresholds the pattern rules use for a program's patients (the defaults until the program sets its own)");
        api.MapPut("/", PutSettings).WithName("PutProgramPatternSettings").RequireStaffRole(StaffRoles.Admin, StaffRoles.Coordinator)
            .WithSummary("Set a program's pattern thresholds: misses in a row, misses in a window, attendance threshold, technical and homework rules, family involvement");
        return api;
    }

    static async Task<Results<Ok<ProgramPatternSettingsView>, NotFound>> GetSettings(
        Guid programId, ClinicContext clinic, ProgramPatternSettings settings, CancellationToken ct) =>
        await settings.Find(clinic, programId, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();

    /// <returns>404 (ProblemDetails), with nothing written, for a program Engagement does not know for the clinic; see <see cref="UnknownResource"/>.</returns>
    static async Task<Results<Ok<ProgramPatternSettingsView>, ValidationProblem, ProblemHttpResult>> PutSettings(
        Guid programId, PatternSettingsRequest request, ClinicContext clinic, ProgramPatternSettings settings, CancellationToken ct)
    {
        var d = settings.Defaults;
        var wanted = new PatternSettings
        {
            ConsecutiveMisses = request.ConsecutiveMisses ?? d.ConsecutiveMisses,
            ConsecutiveMissesHigh = request.ConsecutiveMissesHigh ?? Math.Max(d.ConsecutiveMissesHigh, (request.ConsecutiveMisses ?? 0) + 1),
            MissesInWindow = request.MissesInWindow ?? d.MissesInWindow,
            WindowDays = request.WindowDays ?? d.WindowDays,
            AttendanceThreshold = request.AttendanceThreshold ?? d.AttendanceThreshold,
            MinimumSessionsForRate = request.MinimumSessionsForRate ?? d.MinimumSessionsForRate,
            SameSlotAbsences = request.SameSlotAbsences ?? d.SameSlotAbsences,
            TechnicalDifficultyAbsences = request.TechnicalDifficultyAbsences ?? d.TechnicalDifficultyAbsences,
            LowMotivationAbsences = request.LowMotivationAbsences ?? d.LowMotivationAbsences,
            HomeworkOverdueDays = request.HomeworkOverdueDays ?? d.HomeworkOverdueDays,
            SuggestFamilyInvolvement = request.SuggestFamilyInvolvement ?? d.SuggestFamilyInvolvement
        };
        var errors = new ValidationErrors();
        foreach (var (field, message) in PatternSettingsRules.Validate(wanted)) errors.Add(field, message);
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        return await settings.Save(clinic, programId, wanted, ct) is { } view ? TypedResults.Ok(view) : UnknownResource.Problem("program", "Engagement");
    }
}
