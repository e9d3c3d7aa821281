using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using VirtualIop.BuildingBlocks.Auth;

namespace VirtualIop.Gateway;

/// <summary>Requests per minute of each limit, from configuration <c>GatewayRateLimits:*</c>.</summary>
public sealed class GatewayRateLimitOptions
{
    public const string SectionName = "GatewayRateLimits";

    /// <summary>Partner API calls per client id (the token's client_id within its clinic).</summary>
    public int PartnerRequestsPerMinute { get; set; } = 1200;

    /// <summary>Token requests per caller address, whatever client they name; also the staff sign-in form's limit per address.</summary>
    public int TokenRequestsPerMinute { get; set; } = 60;

    /// <summary>Token requests per client id, from whatever address: caps guessing one client's secret from many addresses.</summary>
    public int TokenRequestsPerClientPerMinute { get; set; } = 20;

    /// <summary>
    /// Token requests of the web app (<c>virtualiop-web</c>) per caller address, in place of the two limits above: the web
    /// app redeems every patient's personal link and every staff sign-in code from its own few addresses, so a partner's
    /// budget would lock every patient out at once. Its secret and the links are 32 random bytes, beyond guessing.
    /// </summary>
    public int WebClientTokenRequestsPerMinute { get; set; } = 1200;

    /// <summary>Signed webhooks and calendar feeds per caller address.</summary>
    public int WebhookRequestsPerMinute { get; set; } = 1200;
}

/// <summary>
/// Per-client limits on the partner API, per-address plus per-client limits on the token endpoint and per-address limits on
/// the staff sign-in form, so one partner's
/// burst cannot starve the others. Signed webhooks and calendar feeds carry no token, so they are limited per address,
/// more loosely than the token endpoint: one telehealth platform or SMS provider posts for a whole clinic from a few
/// addresses. The address is the caller's as the known proxies report it (<see cref="GatewayForwardedHeaders"/>). A
/// refusal is a 429 problem with Retry-After.
/// </summary>
public static class GatewayRateLimits
{
    public const string PartnerPolicy = "partner";
    public const string TokenPolicy = "token";
    public const string SignInPolicy = "signIn";
    public const string WebhookPolicy = "webhook";
    static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public static IServiceCollection AddGatewayRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GatewayRateLimitOptions>().BindConfiguration(GatewayRateLimitOptions.SectionName)
            .Validate(o => new[] { o.PartnerRequestsPerMinute, o.TokenRequestsPerMinute, o.TokenRequestsPerClientPerMinute, o.WebClientTokenRequestsPerMinute, o.WebhookRequestsPerMinute }.All(n => n > 0),
                $"{GatewayRateLimitOptions.SectionName}:* limits must be positive.")
            .ValidateOnStart();
        services.AddSingleton<TokenRequestLimiter>();
        services.AddSingleton<GatewayMetrics>();
        var limits = configuration.GetSection(GatewayRateLimitOptions.SectionName).Get<GatewayRateLimitOptions>() ?? new();

        return services.AddRateLimiter(limiter =>
        {
            limiter.OnRejected = (rejected, _) =>
            {
                rejected.HttpContext.RequestServices.GetRequiredService<GatewayMetrics>().RecordRejected(rejected.HttpContext);
                return Reject(rejected.HttpContext, rejected.Lease);
            };
            limiter.AddPolicy(PartnerPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                ClinicContext.FromPrincipal(http.User) is { } client ? $"client:{client.ClinicId}/{client.ClientId}" : RemoteAddress(http),
                _ => PerMinute(limits.PartnerRequestsPerMinute)));
            limiter.AddPolicy(SignInPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                RemoteAddress(http),
                _ => PerMinute(limits.TokenRequestsPerMinute)));
            limiter.AddPolicy(WebhookPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                RemoteAddress(http),
                _ => PerMinute(limits.WebhookRequestsPerMinute)));
        });
    }

    internal static FixedWindowRateLimiterOptions PerMinute(int permits) => new()
    {
        PermitLimit = permits,
        Window = Window,
        QueueLimit = 0
    };

    /// <summary>429 with Retry-After (whole seconds until the window turns) and a problem body.</summary>
    public static async ValueTask Reject(HttpContext http, RateLimitLease lease)
    {
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = RetryAfterSeconds(lease);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests.",
                Detail = $"The rate limit is reached; retry after {http.Response.Headers.RetryAfter} seconds."
            }
        });
    }

    public static string RetryAfterSeconds(RateLimitLease lease) =>
        ((int)Math.Ceiling((lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : Window).TotalSeconds))
        .ToString(CultureInfo.InvariantCulture);

    internal static string RemoteAddress(HttpContext http) => "address:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
}

/// <summary>
/// The token endpoint's limits: per caller address and per client id, or, for the web app, per address on its own larger
/// budget. OpenIddict answers token requests while authenticating, ahead of the rate-limiting middleware, so its handler
/// asks here (<see cref="Identity.DevelopmentIssuerHandlers"/>).
/// </summary>
public sealed class TokenRequestLimiter : IDisposable
{
    readonly PartitionedRateLimiter<string> perAddress;
    readonly PartitionedRateLimiter<string> perClient;
    readonly PartitionedRateLimiter<string> webClientPerAddress;

    public TokenRequestLimiter(IOptions<GatewayRateLimitOptions> options)
    {
        perAddress = PerMinute(options.Value.TokenRequestsPerMinute);
        perClient = PerMinute(options.Value.TokenRequestsPerClientPerMinute);
        webClientPerAddress = PerMinute(options.Value.WebClientTokenRequestsPerMinute);
    }

    /// <summary>
    /// A lease for one token request naming <paramref name="clientId"/> (null when the form names none), with the policy
    /// that refused it when it is not acquired.
    /// </summary>
    public (RateLimitLease Lease, string Policy) Acquire(HttpContext http, string? clientId)
    {
        var address = GatewayRateLimits.RemoteAddress(http);
        if (clientId == Identity.WebClient.ClientId)
            return (webClientPerAddress.AttemptAcquire(address), GatewayMetrics.TokenWebClientPolicy);

        var byAddress = perAddress.AttemptAcquire(address);
        if (!byAddress.IsAcquired || clientId is not { Length: > 0 }) return (byAddress, GatewayRateLimits.TokenPolicy);
        byAddress.Dispose();
        return (perClient.AttemptAcquire(clientId), GatewayMetrics.TokenClientPolicy);
    }

    static PartitionedRateLimiter<string> PerMinute(int permits) => PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => GatewayRateLimits.PerMinute(permits)));

    public void Dispose()
    {
        perAddress.Dispose();
        perClient.Dispose();
        webClientPerAddress.Dispose();
    }
}
