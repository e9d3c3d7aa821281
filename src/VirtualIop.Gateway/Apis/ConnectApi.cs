using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.Gateway.Identity;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace VirtualIop.Gateway.Apis;

/// <summary>
/// The development issuer's token and authorization endpoints (OpenIddict passthrough: OpenIddict has parsed and
/// validated the request and authenticated the client before these run). Mapped only in Development without an external
/// issuer (<c>Auth:Authority</c>). Errors use the OAuth2 shape (RFC 6749 §5.2), which token clients expect.
/// </summary>
public static class ConnectApi
{
    public static IEndpointRouteBuilder MapConnectApi(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetService<DemoClientRegistry>() is null) return app;

        app.MapPost(DevelopmentIssuer.TokenPath, Exchange)
            .AllowAnonymous()
            .DisableAntiforgery()
            .WithName("IssueToken")
            .WithSummary("Issues access tokens: client credentials, authorization code (staff) and patient link");
        app.MapMethods(DevelopmentIssuer.AuthorizePath, [HttpMethods.Get, HttpMethods.Post], Authorize)
            .AllowAnonymous()
            .DisableAntiforgery()
            .RequireRateLimiting(GatewayRateLimits.SignInPolicy)
            .WithName("Authorize")
            .WithSummary("Staff sign-in for the web app: shows the sign-in form, then answers with an authorization code");
        return app;
    }

    static async Task<IResult> Exchange(HttpContext http, DemoClientRegistry registry, PatientLinkRedemptions links,
        IOptions<PartnerAuthOptions> auth, TimeProvider clock)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("OpenIddict did not handle this token request.");
        var audience = auth.Value.Audience;

        if (request.IsClientCredentialsGrantType() && registry.FindPartner(request.ClientId) is { } client)
        {
            var scopes = request.GetScopes() is { IsEmpty: false } asked ? [.. asked] : client.Scopes;
            // The granted scopes are always named, as before OpenIddict, even when they are the ones asked for.
            var properties = new AuthenticationProperties();
            properties.SetParameter(Parameters.Scope, string.Join(' ', scopes));
            return Results.SignIn(IssuedPrincipals.ForPartner(client, scopes, audience), properties, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        if (request.IsAuthorizationCodeGrantType())
        {
            var code = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            return code.Principal is { } principal
                ? Results.SignIn(IssuedPrincipals.FromCode(principal), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)
                : Refuse(Errors.InvalidGrant, "The authorization code is no longer valid.");
        }

        if (request.GrantType == DevelopmentIssuer.PatientLinkGrantType)
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            var link = form[DevelopmentIssuer.LinkParameter].ToString();
            if (string.IsNullOrWhiteSpace(link) || link.Length > DevelopmentIssuer.MaxLinkLength)
                return Refuse(Errors.InvalidRequest, $"The link parameter is required: the token from the patient's personal link, at most {DevelopmentIssuer.MaxLinkLength} characters.");

            var (outcome, redeemed) = await links.Redeem(link, http.RequestAborted);
            if (outcome == RedemptionOutcome.Unavailable)
            {
                http.Response.Headers.RetryAfter = "5";
                return TypedResults.Json(new Dictionary<string, string>
                {
                    ["error"] = Errors.TemporarilyUnavailable,
                    ["error_description"] = "The link could not be checked just now; try again shortly."
                }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
            var lifetime = redeemed is null ? TimeSpan.Zero : Min(IssuedPrincipals.AccessTokenLifetime, redeemed.ExpiresAt - clock.GetUtcNow());
            return redeemed is not null && lifetime >= TimeSpan.FromSeconds(1)
                ? Results.SignIn(IssuedPrincipals.ForPatient(redeemed, audience, lifetime), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)
                : Refuse(Errors.InvalidGrant, "The link is unknown, revoked or expired.");
        }

        return Refuse(Errors.UnsupportedGrantType, "This grant type is not supported.");
    }

    static async Task<IResult> Authorize(HttpContext http, DemoClientRegistry registry, IAntiforgery antiforgery, IOptions<PartnerAuthOptions> auth)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("OpenIddict did not handle this authorization request.");
        // Every sign-in asks for the password (no session is kept), so a request that forbids asking cannot be met.
        if (request.HasPromptValue(PromptValues.None)) return Refuse(Errors.LoginRequired, "Staff must sign in.");
        if (!HttpMethods.IsPost(http.Request.Method)) return SignInPage.Render(http, request, antiforgery);

        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        // An authorization request may itself arrive by POST (OpenID Connect allows it): without credentials it gets the form.
        if (!form.ContainsKey(SignInPage.UsernameField)) return SignInPage.Render(http, request, antiforgery);
        if (!await antiforgery.IsRequestValidAsync(http))
            return SignInPage.Render(http, request, antiforgery, "This sign-in form has expired. Please sign in again.", statusCode: StatusCodes.Status400BadRequest);

        var username = form[SignInPage.UsernameField].ToString();
        if (registry.SignIn(username, form[SignInPage.PasswordField].ToString()) is not { } user)
            return SignInPage.Render(http, request, antiforgery, "The user name or password is not right. Please try again.", username);

        // Staff tokens reach every service; what a member may do there is decided by their role.
        string[] scopes = [.. request.GetScopes().Intersect([Scopes.OpenId, Scopes.Profile], StringComparer.Ordinal), .. PartnerScopes.All];
        return Results.SignIn(IssuedPrincipals.ForStaff(user, scopes, auth.Value.Audience), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    static IResult Refuse(string error, string description) => Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
    {
        [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
        [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description
    }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);

    static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
