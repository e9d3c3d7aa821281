using System.Security.Claims;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using VirtualIop.BuildingBlocks.Auth;

namespace VirtualIop.ProductionTests;

/// <summary>A partner client registered with the issuer: its credentials, its clinic and its scopes.</summary>
public sealed record IssuerClient(string ClientId, string ClientSecret, Guid ClinicId, IReadOnlyList<string> Scopes);

/// <summary>
/// A real OAuth2 issuer on https, hosted by the test on Kestrel: an OIDC discovery document, a JWKS with one RSA key
/// (no shared secret), and a client-credentials token endpoint that signs RS256 access tokens carrying the claims
/// partner tokens carry (client_id, clinic_id, scope) for the API audience.
/// </summary>
public sealed class OidcIssuer : IAsyncDisposable
{
    const string KeyId = "production-test-rsa";
    readonly WebApplication app;
    readonly RSA rsa = RSA.Create(2048);
    readonly Dictionary<string, IssuerClient> clients;
    readonly string audience;

    OidcIssuer(WebApplication app, Uri authority, IEnumerable<IssuerClient> clients, string audience)
    {
        this.app = app;
        Authority = authority;
        this.clients = clients.ToDictionary(c => c.ClientId, StringComparer.Ordinal);
        this.audience = audience;
    }

    /// <summary>The issuer's URL (https://localhost:port), as the tokens' <c>iss</c> and the services' Auth:Authority.</summary>
    public Uri Authority { get; }

    public string Issuer => Authority.ToString().TrimEnd('/');

    public Uri TokenEndpoint => new(Issuer + "/connect/token");

    public static async Task<OidcIssuer> Start(X509Certificate2 certificate, int port, IEnumerable<IssuerClient> clients, string audience)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenLocalhost(port, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        var issuer = new OidcIssuer(app, new Uri($"https://localhost:{port}"), clients, audience);
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = issuer.Issuer,
            ["jwks_uri"] = issuer.Issuer + "/.well-known/jwks.json",
            ["token_endpoint"] = issuer.TokenEndpoint.ToString(),
            ["grant_types_supported"] = new[] { "client_credentials" },
            ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_post" },
            ["response_types_supported"] = new[] { "token" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { SecurityAlgorithms.RsaSha256 }
        }));
        app.MapGet("/.well-known/jwks.json", issuer.Jwks);
        app.MapPost("/connect/token", issuer.Token);
        await app.StartAsync();
        return issuer;
    }

    /// <summary>Signs an RS256 access token as the token endpoint does.</summary>
    public string Mint(IssuerClient client, TimeSpan lifetime)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = KeyId }, SecurityAlgorithms.RsaSha256),
            Subject = new ClaimsIdentity(
            [
                new Claim(JwtRegisteredClaimNames.Sub, client.ClientId),
                new Claim(PartnerClaims.ClientId, client.ClientId),
                new Claim(PartnerClaims.ClinicId, client.ClinicId.ToString()),
                new Claim(PartnerClaims.Scope, string.Join(' ', client.Scopes))
            ])
        });
    }

    IResult Jwks()
    {
        var key = rsa.ExportParameters(includePrivateParameters: false);
        return Results.Json(new
        {
            keys = new[]
            {
                new { kty = "RSA", use = "sig", alg = SecurityAlgorithms.RsaSha256, kid = KeyId, n = Base64UrlEncoder.Encode(key.Modulus), e = Base64UrlEncoder.Encode(key.Exponent) }
            }
        });
    }

    async Task<IResult> Token(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        if (form["grant_type"] != "client_credentials")
            return Results.Json(new { error = "unsupported_grant_type" }, statusCode: StatusCodes.Status400BadRequest);
        if (!clients.TryGetValue(form["client_id"].ToString(), out var client)
            || !CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(client.ClientSecret), System.Text.Encoding.UTF8.GetBytes(form["client_secret"].ToString())))
            return Results.Json(new { error = "invalid_client" }, statusCode: StatusCodes.Status401Unauthorized);
        var lifetime = TimeSpan.FromMinutes(30);
        return Results.Json(new { access_token = Mint(client, lifetime), token_type = "Bearer", expires_in = (int)lifetime.TotalSeconds });
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        rsa.Dispose();
    }
}
