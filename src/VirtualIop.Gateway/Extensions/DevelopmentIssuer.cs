using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.Gateway.Identity;

namespace VirtualIop.Gateway;

/// <summary>
/// The development issuer: OpenIddict in the gateway, only in Development and only while no external issuer
/// (<c>Auth:Authority</c>) is configured; in production the configured Authority issues every token. It knows the partner
/// clients (<c>Auth:Clients</c>), the web app (<c>Auth:WebClient</c>) and the demo staff (<c>Auth:StaffUsers</c>) from
/// configuration (degraded mode: no stores). Access tokens are signed with the shared development key
/// (<c>Auth:SigningKey</c>, HS256) and carry <c>Auth:Issuer</c> and <c>Auth:Audience</c>, so the services validate them as
/// before; id_tokens are signed with a key made at start-up (RS256), which the JWKS endpoint publishes for the web app.
/// </summary>
public static class DevelopmentIssuer
{
    public const string TokenPath = "/connect/token";
    public const string AuthorizePath = "/connect/authorize";

    /// <summary>The web app trades the token of a patient's personal link (form field <see cref="LinkParameter"/>) for a patient-scoped token.</summary>
    public const string PatientLinkGrantType = "urn:virtualiop:grant-type:patient-link";
    public const string LinkParameter = "link";
    public const int MaxLinkLength = VirtualIop.BuildingBlocks.Http.InputBounds.MaxShortText;

    static readonly TimeSpan AuthorizationCodeLifetime = TimeSpan.FromMinutes(5);

    public static IHostApplicationBuilder AddDevelopmentIssuer(this IHostApplicationBuilder builder, PartnerAuthOptions auth)
    {
        var configuration = builder.Configuration;
        var clients = configuration.GetSection("Auth:Clients").Get<List<DemoClient>>() ?? [];
        var web = configuration.GetSection("Auth:WebClient").Get<WebClient>();
        var staff = configuration.GetSection("Auth:StaffUsers").Get<List<StaffUser>>() ?? [];
        if (!builder.Environment.IsDevelopment() || !string.IsNullOrWhiteSpace(auth.Authority) || (clients.Count == 0 && web is null))
            return builder;
        if (!Uri.TryCreate(auth.Issuer, UriKind.Absolute, out var issuer))
            throw new InvalidOperationException($"Auth:Issuer must be an absolute URI for the development issuer (it is '{auth.Issuer}').");

        var services = builder.Services;
        services.AddSingleton(new DemoClientRegistry(clients, web, staff));
        services.AddSingleton(sp => new PartnerTokenIssuer(sp.GetRequiredService<IOptions<PartnerAuthOptions>>().Value,
            sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.AddHttpClient<PatientLinkRedemptions>(http => http.BaseAddress = new Uri("http://notification"));
        services.AddAntiforgery();
        services.AddScoped<AuthenticationHandlerProvider>();
        services.Replace(ServiceDescriptor.Scoped<IAuthenticationHandlerProvider, IssuerHandlerProvider>());

        services.AddOpenIddict().AddServer(server =>
        {
            server.SetIssuer(issuer)
                .SetTokenEndpointUris(TokenPath.TrimStart('/'))
                .SetAuthorizationEndpointUris(AuthorizePath.TrimStart('/'))
                .AllowClientCredentialsFlow()
                .AllowAuthorizationCodeFlow()
                .RequireProofKeyForCodeExchange()
                .AllowCustomFlow(PatientLinkGrantType)
                .RegisterScopes([OpenIddictConstants.Scopes.OpenId, OpenIddictConstants.Scopes.Profile, .. PartnerScopes.All, PartnerScopes.Patient])
                .SetAccessTokenLifetime(IssuedPrincipals.AccessTokenLifetime)
                .SetAuthorizationCodeLifetime(AuthorizationCodeLifetime)
                .EnableDegradedMode()
                // Symmetric keys come first: access tokens are signed HS256 with the shared key the services hold. An
                // id_token must be checked by the web app with a published key, so OpenIddict signs it with the RSA key.
                .AddSigningKey(PartnerAuthenticationExtensions.DevelopmentSigningKey(auth))
                .AddEphemeralSigningKey()
                .AddEphemeralEncryptionKey()
                .DisableAccessTokenEncryption();
            server.Configure(options =>
            {
                // Only what this issuer honours is advertised: S256 challenges, and clients authenticated by their secret.
                options.CodeChallengeMethods.Remove(OpenIddictConstants.CodeChallengeMethods.Plain);
                options.ClientAuthenticationMethods.Remove(OpenIddictConstants.ClientAuthenticationMethods.PrivateKeyJwt);
                options.ClientAssertionTypes.Clear();
            });
            foreach (var handler in DevelopmentIssuerHandlers.All) server.AddEventHandler(handler);
            server.UseAspNetCore()
                .EnableTokenEndpointPassthrough()
                .EnableAuthorizationEndpointPassthrough()
                // Compact JSON, as the token endpoint always answered: the demo scripts read it with sed.
                .SuppressJsonResponseIndentation()
                // Development runs over plain http on localhost.
                .DisableTransportSecurityRequirement();
        });
        return builder;
    }
}
