using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace VirtualIop.BuildingBlocks.Auth;

public static class PartnerAuthenticationExtensions
{
    /// <summary>
    /// Validates partner JWTs and makes "authenticated, of one clinic, holding <paramref name="requiredScope"/>"
    /// both the default and the fallback policy, so an endpoint is protected unless it opts out explicitly.
    /// </summary>
    public static IHostApplicationBuilder AddPartnerAuthentication(this IHostApplicationBuilder builder, string? requiredScope)
    {
        var options = builder.Configuration.GetSection(PartnerAuthOptions.SectionName).Get<PartnerAuthOptions>() ?? new();

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(jwt =>
            {
                jwt.MapInboundClaims = false;
                jwt.Audience = options.Audience;
                jwt.TokenValidationParameters.ValidAudience = options.Audience;
                jwt.TokenValidationParameters.NameClaimType = PartnerClaims.ClientId;
                jwt.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(30);
                if (!string.IsNullOrWhiteSpace(options.Authority))
                {
                    jwt.Authority = options.Authority;
                    jwt.RequireHttpsMetadata = options.RequireHttpsMetadata;
                    return;
                }

                jwt.TokenValidationParameters.ValidIssuer = options.Issuer;
                jwt.TokenValidationParameters.IssuerSigningKey = DevelopmentSigningKey(options);
                jwt.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
            });

        builder.Services.AddAuthorization(authorization =>
        {
            var policy = new AuthorizationPolicyBuilder(JwtBearerDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .RequireAssertion(ctx => ClinicContext.FromPrincipal(ctx.User) is not null
                                         && (requiredScope is null || HasScope(ctx.User, requiredScope)))
                .Build();
            authorization.DefaultPolicy = policy;
            authorization.FallbackPolicy = policy;
        });
        return builder;
    }

    public static SymmetricSecurityKey DevelopmentSigningKey(PartnerAuthOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.SigningKey) || Encoding.UTF8.GetByteCount(options.SigningKey) < 32)
        {
            throw new InvalidOperationException(
                "No token issuer is configured. Set Auth:Authority to your OAuth2 issuer, or (development) " +
                "Auth:SigningKey to a secret of at least 32 characters shared with the gateway.");
        }
        return new SymmetricSecurityKey(Encoding.UTF8.GetBytes(options.SigningKey));
    }

    static bool HasScope(System.Security.Claims.ClaimsPrincipal user, string scope) =>
        user.FindAll(PartnerClaims.Scope)
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Contains(scope, StringComparer.Ordinal);
}
