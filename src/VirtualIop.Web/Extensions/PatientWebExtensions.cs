using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.Web.Patient;

namespace VirtualIop.Web;

/// <summary>
/// The patient pages behind every personal link: <c>/p/{link}</c> redeems the link at the gateway's token endpoint and
/// signs the patient in with a cookie holding the patient-scoped token; the pages under <c>/patient/</c> call the
/// gateway with that token.
/// </summary>
public static class PatientWebExtensions
{
    public static IHostApplicationBuilder AddPatientWeb(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddHttpClient(PatientGateway.ClientName, http =>
                http.BaseAddress = WebOptions.GatewayAddress(builder.Configuration))
            .AddHttpMessageHandler(sp => new SignedInTokenHandler(sp.GetRequiredService<IHttpContextAccessor>(), PatientAuth.Scheme));
        builder.Services.AddScoped<PatientGateway>();
        builder.Services.AddScoped<PatientLinks>();

        var development = builder.Environment.IsDevelopment();
        builder.Services.AddAuthentication().AddCookie(PatientAuth.Scheme, options =>
        {
            options.Cookie.Name = ".VirtualIop.Patient";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            options.ExpireTimeSpan = PatientAuth.IdleTimeout;
            options.SlidingExpiration = true;
            options.LoginPath = PatientAuth.ExpiredPath;
            options.AccessDeniedPath = PatientAuth.ExpiredPath;
            options.Events.OnValidatePrincipal = RejectOnceTokenExpired;
        });
        builder.Services.AddAuthorizationBuilder().AddPolicy(PatientAuth.Policy, policy => policy
            .AddAuthenticationSchemes(PatientAuth.Scheme)
            .RequireAuthenticatedUser()
            .RequireClaim(PartnerClaims.PatientId));
        return builder;
    }

    public static WebApplication MapPatientWeb(this WebApplication app)
    {
        app.MapGet("/p/{link}", RedeemLink).AllowAnonymous().WithName("RedeemPatientLink").ExcludeFromDescription();
        // The technical check times this round trip through the gateway; nothing is read or written.
        app.MapGet("/patient/connection-check", (HttpResponse response) =>
        {
            response.Headers.CacheControl = "no-store";
            return TypedResults.NoContent();
        }).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    static async Task<IResult> RedeemLink(string link, string? next, HttpContext http, PatientLinks links, TimeProvider clock, CancellationToken ct)
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        switch (await links.Redeem(link, ct))
        {
            case LinkRedemption.Redeemed redeemed:
                var token = redeemed.Token;
                var identity = new ClaimsIdentity(
                    [new Claim(PartnerClaims.PatientId, token.PatientId.ToString()), new Claim(PartnerClaims.ClinicId, token.ClinicId.ToString())],
                    PatientAuth.Scheme);
                var now = clock.GetUtcNow();
                var properties = new AuthenticationProperties
                {
                    IsPersistent = false,
                    IssuedUtc = now,
                    ExpiresUtc = now + PatientAuth.IdleTimeout < token.ExpiresAt ? now + PatientAuth.IdleTimeout : token.ExpiresAt
                };
                properties.StoreTokens(
                [
                    new AuthenticationToken { Name = SignedInTokenHandler.AccessTokenName, Value = redeemed.AccessToken },
                    new AuthenticationToken { Name = PatientAuth.ExpiresAtName, Value = token.ExpiresAt.ToString("o", CultureInfo.InvariantCulture) }
                ]);
                await http.SignInAsync(PatientAuth.Scheme, new ClaimsPrincipal(identity), properties);
                if (await links.PreferredLanguage(redeemed, ct) is { } language) SetCulture(http, language);
                return TypedResults.LocalRedirect(NextPath.Resolve(next));
            case LinkRedemption.Refused:
                return TypedResults.LocalRedirect(PatientAuth.ExpiredPath);
            default:
                return TypedResults.LocalRedirect(PatientAuth.ExpiredPath + "?unavailable=true");
        }
    }

    /// <summary>Shows the pages in the patient's language from now on (the same cookie the language switch sets).</summary>
    public static void SetCulture(HttpContext http, string language)
    {
        if (!WebServiceExtensions.Cultures.Any(c => c.Name == language)) return;
        http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(language)),
            new CookieOptions { Expires = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true });
    }

    /// <summary>The cookie slides while the patient is active, but never outlives the token it carries.</summary>
    static Task RejectOnceTokenExpired(CookieValidatePrincipalContext context)
    {
        var clock = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>();
        var expiresAt = context.Properties.GetTokenValue(PatientAuth.ExpiresAtName);
        if (!DateTimeOffset.TryParse(expiresAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var expiry) || expiry <= clock.GetUtcNow())
        {
            context.RejectPrincipal();
        }
        return Task.CompletedTask;
    }
}
