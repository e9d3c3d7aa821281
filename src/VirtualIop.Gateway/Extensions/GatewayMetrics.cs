using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.RateLimiting;

namespace VirtualIop.Gateway;

/// <summary>The meter "VirtualIop.Gateway": requests the rate limits refused with 429, by the limit that refused them.</summary>
public sealed class GatewayMetrics
{
    public const string MeterName = "VirtualIop.Gateway";

    /// <summary>The token endpoint's per-client limit, applied once the client id is read (the per-address one is <see cref="GatewayRateLimits.TokenPolicy"/>).</summary>
    public const string TokenClientPolicy = "tokenClient";

    /// <summary>The web app's own per-address limit on the token endpoint (see <see cref="GatewayRateLimitOptions.WebClientTokenRequestsPerMinute"/>).</summary>
    public const string TokenWebClientPolicy = "tokenWebClient";

    readonly Counter<long> rateLimited;

    public GatewayMetrics(IMeterFactory meters)
    {
        rateLimited = meters.Create(MeterName).CreateCounter<long>("virtualiop.gateway.rate_limited", "{request}",
            "Requests refused with 429 by a rate limit (policy: partner, token, tokenClient, tokenWebClient, signIn or webhook).");
    }

    public void RecordRejected(HttpContext http) =>
        RecordRejected(http.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName ?? "none");

    public void RecordRejected(string policy) => rateLimited.Add(1, new KeyValuePair<string, object?>("policy", policy));
}
