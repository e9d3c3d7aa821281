using System.Globalization;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Localization;
using VirtualIop.Web.Components;

namespace VirtualIop.Web;

public static class WebServiceExtensions
{
    /// <summary>The languages every page is written in; English is the default.</summary>
    public static readonly IReadOnlyList<CultureInfo> Cultures = [new("en"), new("es")];

    /// <summary>
    /// Server-rendered Razor components (interactive only where a page asks for it), English and Spanish, and a typed
    /// client for the gateway. The app is reached through the gateway, so it trusts the gateway's forwarded headers
    /// for the original host and scheme (links and sign-in redirects must name the address the browser used).
    /// </summary>
    public static IHostApplicationBuilder AddWebServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebOptions>().BindConfiguration(WebOptions.SectionName);
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        // Each Resources/X.cs marker class finds its X.resx and X.es.resx beside it by namespace.
        builder.Services.AddLocalization();
        builder.Services.Configure<RequestLocalizationOptions>(options =>
        {
            options.DefaultRequestCulture = new RequestCulture(Cultures[0]);
            options.SupportedCultures = [.. Cultures];
            options.SupportedUICultures = [.. Cultures];
        });
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            // The gateway is the only way in; in a cluster, operators list its addresses in ForwardedHeaders settings.
            options.KnownIPNetworks.Clear();
            options.KnownProxies.Clear();
        });
        builder.Services.AddHttpClient(GatewayClient.Name, (sp, http) =>
            http.BaseAddress = new Uri(builder.Configuration[$"{WebOptions.SectionName}:GatewayUrl"] ?? new WebOptions().GatewayUrl));
        builder.AddPatientWeb();
        builder.AddConsole();
        return builder;
    }

    public static WebApplication UseWebPipeline(this WebApplication app)
    {
        app.UseForwardedHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
            app.UseHsts();
        }
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseRequestLocalization();
        // After the forwarded headers (a sign-in redirect names the address the browser used) and before antiforgery
        // (its tokens are tied to the signed-in staff member or patient).
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapWebPages(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapGet("/culture/{culture}", (string culture, string? returnUrl, HttpContext http) =>
        {
            if (Cultures.Any(c => c.Name == culture))
            {
                http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                    CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                    new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true });
            }
            return TypedResults.LocalRedirect(returnUrl is { Length: > 0 } && Uri.IsWellFormedUriString(returnUrl, UriKind.Relative) && returnUrl.StartsWith('/') ? returnUrl : "/");
        });
        app.MapPatientWeb();
        app.MapConsole();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
