using Microsoft.AspNetCore.Http.HttpResults;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.Engagement.Data;

namespace VirtualIop.Engagement.Apis;

public static class RiskApi
{
    public static RouteGroupBuilder MapRiskApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/engagement/patients/{patientId:guid}/risk").RequireAuthorization().WithTags("Risk");
        api.MapGet("/", GetRisk).WithName("GetPatientRisk").WithSummary("A patient's engagement risk and the signals that explain it")
            .AuditsPatientData("engagement.risk");
        app.MapGet("/api/engagement/patients/{patientId:guid}/score", GetScore).RequireAuthorization().WithTags("Risk").WithName("GetEngagementScore")
            .AuditsPatientData("engagement.score")
            .WithSummary("A patient's engagement score (0-100) with its parts and weights: attendance, makeups, homework");
        return api;
    }

    static async Task<Results<Ok<RiskView>, NotFound>> GetRisk(Guid patientId, ClinicContext clinic, EngagementRisks risks, CancellationToken ct) =>
        await risks.Find(clinic, patientId, ct) is { } risk ? TypedResults.Ok(risk) : TypedResults.NotFound();

    static async Task<Results<Ok<EngagementScoreView>, NotFound>> GetScore(Guid patientId, ClinicContext clinic, EngagementScores scores, CancellationToken ct) =>
        await scores.ForPatient(clinic, patientId, ct) is { } score ? TypedResults.Ok(score) : TypedResults.NotFound();
}
