using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace VirtualIop.BuildingBlocks.Auth;

/// <summary>
/// The meter "VirtualIop.Auth": requests refused for want of a valid token, counted once per challenge (a 401), in the
/// gateway and in each service. The reason is a fixed code from the validation failure's type, never the token or
/// the exception's message (which can quote the token's claims).
/// </summary>
public sealed class TokenFailureMetrics
{
    public const string MeterName = "VirtualIop.Auth";

    readonly Counter<long> failures;

    public TokenFailureMetrics(IMeterFactory meters)
    {
        failures = meters.Create(MeterName).CreateCounter<long>("virtualiop.auth.token_failures", "{request}",
            "Requests refused with 401 because the bearer token was missing or invalid, by reason.");
    }

    public Task RecordChallenge(JwtBearerChallengeContext challenge)
    {
        failures.Add(1, new KeyValuePair<string, object?>("reason", Reason(challenge.AuthenticateFailure,
            challenge.Request.Headers.Authorization.Count > 0)));
        return Task.CompletedTask;
    }

    /// <summary>A fixed code for why a token was refused.</summary>
    public static string Reason(Exception? failure, bool tokenSent) => failure switch
    {
        null => tokenSent ? "notBearer" : "missing",
        SecurityTokenExpiredException => "expired",
        SecurityTokenNotYetValidException => "notYetValid",
        SecurityTokenInvalidSignatureException => "signature",
        SecurityTokenInvalidAudienceException => "audience",
        SecurityTokenInvalidIssuerException => "issuer",
        SecurityTokenInvalidAlgorithmException => "algorithm",
        SecurityTokenMalformedException => "malformed",
        _ => "invalid"
    };
}
