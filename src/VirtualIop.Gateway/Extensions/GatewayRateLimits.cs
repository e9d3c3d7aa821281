using System.Threading.RateLimiting;
using VirtualIop.BuildingBlocks.Auth;

namespace VirtualIop.Gateway;

/// <summary>
/// Per-clinic limits on the partner API, and per-address limits on the token endpoint,
/// so one partner's burst cannot starve the others. Limits come from GatewayRateLimits:*.
/// </summary>
public static class GatewayRateLimits
{
    public const string PartnerPolicy = "partner";
    public const string TokenPolicy = "token";

    public static IServiceCollection AddGatewayRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection("GatewayRateLimits");
        var partnerPerMinute = section.GetValue("PartnerRequestsPerMinute", 1200);
        var tokenPerMinute = section.GetValue("TokenRequestsPerMinute", 60);

        return services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(PartnerPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                ClinicContext.FromPrincipal(http.User)?.ClinicId.ToString() ?? RemoteAddress(http),
                _ => PerMinute(partnerPerMinute)));
            limiter.AddPolicy(TokenPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                RemoteAddress(http),
                _ => PerMinute(tokenPerMinute)));
        });
    }

    static FixedWindowRateLimiterOptions PerMinute(int permits) => new()
    {
        PermitLimit = permits,
        Window = TimeSpan.FromMinutes(1),
        QueueLimit = 0
    };

    static string RemoteAddress(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
