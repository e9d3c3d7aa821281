using Microsoft.AspNetCore.Http.HttpResults;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.Gateway.Identity;

namespace VirtualIop.Gateway.Apis;

/// <summary>
/// The development token endpoint: OAuth2 client credentials for the registered demo clients.
/// It is mapped only in Development when no external issuer (Auth:Authority) is configured. Errors use the
/// OAuth2 error shape (RFC 6749 §5.2), which token clients expect, rather than problem details; a rate-limit
/// refusal is the gateway's 429 problem like any other. Limited per address (the token policy) and per client id.
/// </summary>
public static class TokenApi
{
    static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(1);

    public static IEndpointRouteBuilder MapTokenApi(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetService<DemoClientRegistry>() is not { IsEmpty: false }) return app;

        app.MapPost("/connect/token", IssueToken)
            .AllowAnonymous()
            .DisableAntiforgery()
            .RequireRateLimiting(GatewayRateLimits.TokenPolicy)
            .WithName("IssueToken")
            .WithSummary("Issues a client-credentials access token for a registered demo client");
        return app;
    }

    static async Task<Results<Ok<TokenResponse>, BadRequest<TokenError>, JsonHttpResult<TokenError>, ProblemHttpResult>> IssueToken(
        HttpContext http, DemoClientRegistry clients, PartnerTokenIssuer issuer, TokenClientLimiter limiter, GatewayMetrics metrics)
    {
        http.Response.Headers.CacheControl = "no-store";
        if (!http.Request.HasFormContentType)
        {
            return TypedResults.BadRequest(new TokenError("invalid_request", "Send application/x-www-form-urlencoded."));
        }

        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(http.RequestAborted);
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException)
        {
            // A form the reader cannot take apart: a multipart type without a boundary, an encoded NUL.
            return TypedResults.BadRequest(new TokenError("invalid_request", "The form is malformed."));
        }

        var request = TokenRequest.From(http.Request, form);
        if (request.GrantType != "client_credentials")
        {
            return TypedResults.BadRequest(new TokenError("unsupported_grant_type", "Only client_credentials is supported."));
        }
        if (!string.IsNullOrEmpty(request.ClientId))
        {
            // Counted before the secret is checked: failed guesses at one client's secret use up its budget too.
            using var lease = limiter.Acquire(request.ClientId);
            if (!lease.IsAcquired)
            {
                metrics.RecordRejected(GatewayMetrics.TokenClientPolicy);
                http.Response.Headers.RetryAfter = GatewayRateLimits.RetryAfterSeconds(lease);
                return TypedResults.Problem(title: "Too many requests.", statusCode: StatusCodes.Status429TooManyRequests,
                    detail: $"Too many token requests for this client; retry after {http.Response.Headers.RetryAfter} seconds.");
            }
        }
        if (string.IsNullOrEmpty(request.ClientId) || string.IsNullOrEmpty(request.ClientSecret)
            || clients.Authenticate(request.ClientId, request.ClientSecret) is not { } client)
        {
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"virtualiop\"";
            return TypedResults.Json(new TokenError("invalid_client", "Unknown client or wrong secret."), statusCode: StatusCodes.Status401Unauthorized);
        }

        var scopes = request.Scopes ?? client.Scopes;
        if (scopes.Except(client.Scopes, StringComparer.Ordinal).FirstOrDefault() is { } refused)
        {
            return TypedResults.BadRequest(new TokenError("invalid_scope", $"Scope '{refused}' is not granted to this client."));
        }

        var token = issuer.Issue(client.ClinicId, client.ClientId, scopes, TokenLifetime);
        return TypedResults.Ok(new TokenResponse(token, "Bearer", (int)TokenLifetime.TotalSeconds, string.Join(' ', scopes)));
    }
}
