using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Data;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Scheduling.Apis;
using VirtualIop.Scheduling.Data;
using VirtualIop.Scheduling.Domain;

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
            .ValidateOnStart();
        builder.Services.AddSingleton<Sessions>();
        builder.Services.AddSingleton<Programs>();
        builder.Services.AddSingleton<Cohorts>();
        return builder;
    }

    public static WebApplication MapSchedulingApi(this WebApplication app)
    {
        app.MapSessionsApi();
        app.MapProgramsApi();
        app.MapCohortsApi();
        return app;
    }
}
