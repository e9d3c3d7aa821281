using System.Threading.RateLimiting;
using VirtualIop.BuildingBlocks.Auth;

namespace VirtualIop.Gateway;

/// <summary>
/// Per-clinic limits on the partner API, and per-address limits on the token endpoint,
/// so one partner's burst cannot starve the others. Signed webhooks and calendar feeds carry no token, so they
/// are limited per address too, but more loosely than the token endpoint: one telehealth platform or SMS provider
/// posts for a whole clinic from a few addresses. Limits come from GatewayRateLimits:*.
/// </summary>
public static class GatewayRateLimits
{
    public const string PartnerPolicy = "partner";
    public const string TokenPolicy = "token";
    public const string WebhookPolicy = "webhook";

    public static IServiceCollection AddGatewayRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection("GatewayRateLimits");
        var partnerPerMinute = section.GetValue("PartnerRequestsPerMinute", 1200);
        var tokenPerMinute = section.GetValue("TokenRequestsPerMinute", 60);
        var webhookPerMinute = section.GetValue("WebhookRequestsPerMinute", 1200);

        return services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(PartnerPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                ClinicContext.FromPrincipal(http.User)?.ClinicId.ToString() ?? RemoteAddress(http),
                _ => PerMinute(partnerPerMinute)));
            limiter.AddPolicy(TokenPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                RemoteAddress(http),
                _ => PerMinute(tokenPerMinute)));
            limiter.AddPolicy(WebhookPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                RemoteAddress(http),
                _ => PerMinute(webhookPerMinute)));
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
