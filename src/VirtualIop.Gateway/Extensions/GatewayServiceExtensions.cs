using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;

namespace VirtualIop.Gateway;

public static class GatewayServiceExtensions
{
    /// <summary>
    /// The gateway validates every partner token itself (the services validate again), routes
    /// /api/{service}/** to the services found through service discovery, and, only in Development without an
    /// Auth:Authority, issues tokens itself (<see cref="DevelopmentIssuer"/>) for the demo clients and staff of
    /// appsettings.Development.json, which is never published.
    /// </summary>
    public static IHostApplicationBuilder AddGatewayServices(this IHostApplicationBuilder builder)
    {
        builder.AddPartnerAuthentication(requiredScope: null);
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddGatewayForwardedHeaders();
        builder.Services.AddGatewayRateLimits(builder.Configuration);

        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddServiceDiscoveryDestinationResolver();
        builder.Services.AddHttpClient(ApiDocuments.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(10));
        builder.Services.AddSingleton<ApiDocuments>();

        var auth = builder.Configuration.GetSection(PartnerAuthOptions.SectionName).Get<PartnerAuthOptions>() ?? new();
        return builder.AddDevelopmentIssuer(auth);
    }
}
