using VirtualIop.BuildingBlocks.Audit;

namespace VirtualIop.Engagement.Apis;

public static class EngagementApi
{
    public static IEndpointRouteBuilder MapEngagementApi(this IEndpointRouteBuilder app)
    {
        app.MapFollowUpsApi();
        app.MapSessionContentApi();
        app.MapContinuityApi();
        app.MapRiskApi();
        app.MapConsentsApi();
        app.MapTreatmentPlanApi();
        app.MapProgramSettingsApi();
        app.MapViewsApi();
        app.MapAuditApi("engagement");
        return app;
    }
}
