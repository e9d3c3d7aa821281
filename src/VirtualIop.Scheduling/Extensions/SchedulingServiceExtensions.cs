using Microsoft.Extensions.Options;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Data;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Scheduling.Apis;
using VirtualIop.Scheduling.Data;
using VirtualIop.Scheduling.Domain;
using VirtualIop.Scheduling.Messaging;
using VirtualIop.Scheduling.Workers;

namespace VirtualIop.Scheduling.Extensions;

public static class SchedulingServiceExtensions
{
    public static IHostApplicationBuilder AddSchedulingServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase("schedulingdb", typeof(SchedulingServiceExtensions).Assembly);
        builder.AddServiceBus("scheduling", bus =>
        {
            bus.AddConsumer<OfferMakeupOnMiss>();
            bus.AddConsumer<OfferMakeupOnAbsenceNotice>();
            bus.AddConsumer<WithdrawMakeupOnNoticeWithdrawal>();
            bus.AddConsumer<WithdrawMakeupOnCorrection>();
            bus.AddConsumer<CompleteMakeupOnAttendance>();
            bus.AddConsumer<RecordPlanAdjustment>();
            bus.AddConsumer<BookMotivationalInterview>();
            bus.AddConsumer<RecordAttendanceOutcome>();
            bus.AddConsumer<RecordContinuityPackageAddressed>();
        });
        builder.AddServiceApi(PartnerScopes.Scheduling);
        builder.Services.AddOptions<SchedulingOptions>()
            .Bind(builder.Configuration.GetSection(SchedulingOptions.SectionName))
            .Validate(o => o.MinimumSessionMinutes is >= 1 and <= NewSession.MaxDurationMinutes,
                $"Scheduling:MinimumSessionMinutes must be 1 to {NewSession.MaxDurationMinutes}.")
            .Validate(o => o.SeriesHorizon > TimeSpan.Zero && o.SeriesHorizon <= TimeSpan.FromDays(731),
                "Scheduling:SeriesHorizon must be positive and at most two years.")
            .Validate(o => o.HorizonInterval > TimeSpan.Zero, "Scheduling:HorizonInterval must be positive.")
            .Validate(o => o.MakeupExpiryInterval > TimeSpan.Zero, "Scheduling:MakeupExpiryInterval must be positive.")
            .Validate(o => string.IsNullOrEmpty(o.CalendarFeeds.JoinUrlTemplate)
                           || Uri.IsWellFormedUriString(o.CalendarFeeds.JoinUrlTemplate.Replace("{sessionId}", Guid.Empty.ToString(), StringComparison.Ordinal), UriKind.Absolute),
                "Scheduling:CalendarFeeds:JoinUrlTemplate must be an absolute URL with {sessionId}.")
            .ValidateClinicWebhook("Scheduling:RecordingWebhook", o => o.RecordingWebhook)
            // The one secret for every clinic was replaced by one per clinic; left set, it would silently sign nothing.
            .Validate(_ => builder.Configuration["Scheduling:RecordingWebhook:Secret"] is null,
                "Scheduling:RecordingWebhook:Secret is no longer read: set Scheduling:RecordingWebhook:Secrets:{clinicId} per clinic instead.")
            .Validate(o => o.RecordingWebhook.EventRetention > 2 * o.RecordingWebhook.MaxClockSkew,
                "Scheduling:RecordingWebhook:EventRetention must be longer than twice MaxClockSkew, or a replay could outlive its event id.")
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ProductionSettings>, ProductionSettingsValidator>();
        builder.Services.AddOptions<ProductionSettings>().ValidateOnStart();
        builder.Services.AddSingleton<Sessions>();
        builder.Services.AddSingleton<Programs>();
        builder.Services.AddSingleton<Cohorts>();
        builder.Services.AddSingleton<Bookings>();
        builder.Services.AddSingleton<Availabilities>();
        builder.Services.AddSingleton<ScheduleReads>();
        builder.Services.AddSingleton<SeriesMaterialisation>();
        builder.Services.AddSingleton<SeriesStore>();
        builder.Services.AddSingleton<SeriesHorizonWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SeriesHorizonWorker>());
        builder.Services.AddSingleton<MakeupSettingsStore>();
        builder.Services.AddSingleton<PatientPreferences>();
        builder.Services.AddSingleton<Makeups>();
        builder.Services.AddSingleton<Waitlists>();
        builder.Services.AddSingleton<ExtraGroups>();
        builder.Services.AddSingleton<MakeupExpiry>();
        builder.Services.AddSingleton<MakeupExpiryWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MakeupExpiryWorker>());
        builder.Services.AddSingleton<RecordingWebhookEvents>();
        builder.Services.AddSingleton<RecordingWebhookEventRetention>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RecordingWebhookEventRetention>());
        builder.Services.AddSingleton<CalendarFeeds>();
        builder.Services.AddSingleton<PatientPlans>();
        builder.Services.AddSingleton<PlanParticipation>();
        builder.Services.AddSingleton<PlanModality>();
        builder.Services.AddSingleton<FollowUpBookings>();
        builder.Services.AddSingleton<PatientPhases>();
        builder.AddFhirViews();
        return builder;
    }

    public static WebApplication MapSchedulingApi(this WebApplication app)
    {
        app.MapSessionsApi();
        app.MapProgramsApi();
        app.MapCohortsApi();
        app.MapBookingsApi();
        app.MapSchedulesApi();
        app.MapPhasesApi();
        app.MapMakeupsApi();
        app.MapExtraGroupsApi();
        app.MapRecordingWebhookApi();
        app.MapCalendarFeedsApi();
        app.MapFhirApi();
        app.MapAuditApi("scheduling");
        return app;
    }
}
