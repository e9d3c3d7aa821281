using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Data;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Scheduling.Apis;
using VirtualIop.Scheduling.Data;
using VirtualIop.Scheduling.Domain;
using VirtualIop.Scheduling.Workers;

namespace VirtualIop.Scheduling.Extensions;

public static class SchedulingServiceExtensions
{
    public static IHostApplicationBuilder AddSchedulingServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase("schedulingdb", typeof(SchedulingServiceExtensions).Assembly);
        // Scheduling only publishes (through the outbox); it consumes nothing yet.
        builder.AddServiceBus("scheduling", _ => { });
        builder.AddServiceApi(PartnerScopes.Scheduling);
        builder.Services.AddOptions<SchedulingOptions>()
            .Bind(builder.Configuration.GetSection(SchedulingOptions.SectionName))
            .Validate(o => o.MinimumSessionMinutes is >= 1 and <= NewSession.MaxDurationMinutes,
                $"Scheduling:MinimumSessionMinutes must be 1 to {NewSession.MaxDurationMinutes}.")
            .Validate(o => o.SeriesHorizon > TimeSpan.Zero && o.SeriesHorizon <= TimeSpan.FromDays(731),
                "Scheduling:SeriesHorizon must be positive and at most two years.")
            .Validate(o => o.HorizonInterval > TimeSpan.Zero, "Scheduling:HorizonInterval must be positive.")
            .ValidateOnStart();
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
        return builder;
    }

    public static WebApplication MapSchedulingApi(this WebApplication app)
    {
        app.MapSessionsApi();
        app.MapProgramsApi();
        app.MapCohortsApi();
        app.MapBookingsApi();
        app.MapSchedulesApi();
        return app;
    }
}
