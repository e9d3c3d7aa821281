using Microsoft.AspNetCore.Http.HttpResults;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.Engagement.Data;

namespace VirtualIop.Engagement.Apis;

public static class RiskApi
{
    public static RouteGroupBuilder MapRiskApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/engagement/patients/{patientId:guid}/risk").RequireAuthorization().WithTags("Risk");
        api.MapGet("/", GetRisk).WithName("GetPatientRisk").WithSummary("A patient's engagement risk and the signals that explain it");
        return api;
    }

    static async Task<Results<Ok<RiskView>, NotFound>> GetRisk(Guid patientId, ClinicContext clinic, EngagementRisks risks, CancellationToken ct) =>
        await risks.Find(clinic, patientId, ct) is { } risk ? TypedResults.Ok(risk) : TypedResults.NotFound();
}
