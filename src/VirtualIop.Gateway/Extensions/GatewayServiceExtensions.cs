using Microsoft.Extensions.Options;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Gateway.Identity;

namespace VirtualIop.Gateway;

public static class GatewayServiceExtensions
{
    /// <summary>
    /// The gateway validates every partner token itself (the services validate again), routes
    /// /api/{service}/** to the services found through service discovery, and, only in Development without an
    /// Auth:Authority, issues tokens for the demo clients in Auth:Clients (appsettings.Development.json, never published).
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
        var clients = builder.Configuration.GetSection("Auth:Clients").Get<List<DemoClient>>() ?? [];
        if (builder.Environment.IsDevelopment() && string.IsNullOrWhiteSpace(auth.Authority) && clients.Count > 0)
        {
            builder.Services.AddSingleton(new DemoClientRegistry(clients));
            builder.Services.AddSingleton(sp => new PartnerTokenIssuer(sp.GetRequiredService<IOptions<PartnerAuthOptions>>().Value,
                sp.GetService<TimeProvider>() ?? TimeProvider.System));
        }
        return builder;
    }
}
