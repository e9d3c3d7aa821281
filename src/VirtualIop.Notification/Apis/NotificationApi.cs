using VirtualIop.BuildingBlocks.Audit;

namespace VirtualIop.Notification.Apis;

public static class NotificationApi
{
    public static IEndpointRouteBuilder MapNotificationApi(this IEndpointRouteBuilder app)
    {
        app.MapContactsApi();
        app.MapCliniciansApi();
        app.MapTemplatesApi();
        app.MapSupportContactsApi();
        app.MapDeliveriesApi();
        app.MapInboundSmsApi();
        app.MapReminderPlansApi();
        app.MapWebhookSubscriptionsApi();
        app.MapPatientLinksApi();
        app.MapPatientPortalApi();
        app.MapPatientSessionsApi();
        app.MapTechnicalHelpApi();
        app.MapAuditApi("notification");
        return app;
    }
}
