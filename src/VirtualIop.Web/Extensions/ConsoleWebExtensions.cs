using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection.Extensions;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.Web.StaffConsole;

namespace VirtualIop.Web;

/// <summary>
/// The clinician console: staff sign in at the gateway's OpenID Connect authority (authorization code with PKCE, the
/// confidential client <c>Web:ClientId</c>), their tokens are kept in the <c>Staff</c> cookie, and the console calls
/// the gateway with the access token. Its pages live under /console and its form posts under /console/actions.
/// </summary>
public static class ConsoleWebExtensions
{
    public static IHostApplicationBuilder AddConsole(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(WebOptions.SectionName).Get<WebOptions>() ?? new WebOptions();

        builder.Services.AddHttpContextAccessor();
        builder.Services.AddAuthentication()
            .AddCookie(ConsoleAuth.Scheme, cookie =>
            {
                cookie.Cookie.Name = "viop.staff";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.Cookie.Path = "/";
                cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
                cookie.SlidingExpiration = false;
                cookie.ForwardChallenge = ConsoleAuth.OidcScheme;
                cookie.AccessDeniedPath = "/console/denied";
                // A session outlives its access token: once the token has expired, sign in again rather than call with it.
                cookie.Events.OnValidatePrincipal = async context =>
                {
                    var clock = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>();
                    if (context.Properties.GetTokenValue("expires_at") is { } expiresAt
                        && DateTimeOffset.TryParse(expiresAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var expiry)
                        && expiry <= clock.GetUtcNow())
                    {
                        context.RejectPrincipal();
                        await context.HttpContext.SignOutAsync(ConsoleAuth.Scheme);
                    }
                };
            })
            .AddOpenIdConnect(ConsoleAuth.OidcScheme, oidc =>
            {
                oidc.Authority = options.Authority;
                oidc.ClientId = options.ClientId;
                oidc.ClientSecret = options.ClientSecret;
                oidc.RequireHttpsMetadata = !builder.Environment.IsDevelopment();
                oidc.ResponseType = "code";
                // The code comes back on a top-level GET: the correlation and nonce cookies can then be SameSite=Lax, which
                // also works over plain http in development (SameSite=None would demand Secure).
                oidc.ResponseMode = "query";
                oidc.CorrelationCookie.SameSite = SameSiteMode.Lax;
                oidc.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                oidc.NonceCookie.SameSite = SameSiteMode.Lax;
                oidc.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                oidc.UsePkce = true;
                oidc.SaveTokens = true;
                oidc.SignInScheme = ConsoleAuth.Scheme;
                oidc.CallbackPath = "/signin-oidc";
                oidc.MapInboundClaims = false;
                oidc.GetClaimsFromUserInfoEndpoint = false;
                oidc.TokenValidationParameters.NameClaimType = "name";
                oidc.TokenValidationParameters.RoleClaimType = PartnerClaims.Role;
                oidc.Scope.Clear();
                oidc.Scope.Add("openid");
                foreach (var scope in PartnerScopes.All) oidc.Scope.Add(scope);
            });
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddAuthorizationBuilder().AddPolicy(ConsoleAuth.Policy, policy =>
            policy.AddAuthenticationSchemes(ConsoleAuth.Scheme).RequireAuthenticatedUser().RequireClaim(ConsoleAuth.UserIdClaim));

        builder.Services.AddHttpClient(ConsoleAuth.GatewayClient, http =>
                http.BaseAddress = WebOptions.GatewayAddress(builder.Configuration))
            .AddHttpMessageHandler(sp => new SignedInTokenHandler(sp.GetRequiredService<IHttpContextAccessor>(), ConsoleAuth.Scheme));
        builder.Services.AddScoped<ConsoleGateway>();
        return builder;
    }

    /// <summary>Sign-out and the work queue's form posts (each answers with a redirect back to the page, post/redirect/get).</summary>
    public static WebApplication MapConsole(this WebApplication app)
    {
        var console = app.MapGroup("/console").RequireAuthorization(ConsoleAuth.Policy);
        console.MapGet("/sign-out", async (HttpContext http) =>
        {
            await http.SignOutAsync(ConsoleAuth.Scheme);
            return TypedResults.LocalRedirect("/");
        }).WithName("ConsoleSignOut");
        console.MapPost("/actions/tasks/{taskId:guid}/assignee", async (Guid taskId, [FromForm] string? assignee, ConsoleGateway gateway, CancellationToken ct) =>
            TypedResults.LocalRedirect(WorkQueueReturn(taskId, await gateway.Assign(taskId, assignee ?? "", ct))));
        console.MapPost("/actions/tasks/{taskId:guid}/status", async (Guid taskId, [FromForm] string? status, [FromForm] string? outcomeNote,
            ConsoleGateway gateway, CancellationToken ct) =>
            TypedResults.LocalRedirect(WorkQueueReturn(taskId, await gateway.Move(taskId, status ?? "", outcomeNote, ct))));
        return app;
    }

    static string WorkQueueReturn(Guid taskId, string? problem) =>
        problem is null ? $"/console/work-queue?done={taskId}#task-{taskId}" : $"/console/work-queue?failed={taskId}&problem={Uri.EscapeDataString(problem)}#task-{taskId}";
}
