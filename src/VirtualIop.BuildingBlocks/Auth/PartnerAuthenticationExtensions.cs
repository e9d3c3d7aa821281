using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace VirtualIop.BuildingBlocks.Auth;

public static class PartnerAuthenticationExtensions
{
    /// <summary>Shortest development signing key accepted: HS256 wants a key at least as long as its 256-bit output.</summary>
    public const int MinimumSigningKeyBytes = 32;

    /// <summary>
    /// Validates partner JWTs and makes "authenticated, of one clinic, holding <paramref name="requiredScope"/>"
    /// both the default and the fallback policy, so an endpoint is protected unless it opts out explicitly. A patient's
    /// token passes only on endpoints marked <see cref="PatientSelfAccessExtensions.AllowPatientSelf{TBuilder}"/>, and a
    /// staff member's only where their role is among <see cref="StaffRoleAccessExtensions.RequireStaffRole{TBuilder}"/>'s. Tokens are
    /// validated against <c>Auth:Authority</c>'s keys; only in Development, without an Authority, against the shared
    /// development key. The settings are checked at start-up (<see cref="PartnerAuthOptionsValidator"/>).
    /// </summary>
    public static IHostApplicationBuilder AddPartnerAuthentication(this IHostApplicationBuilder builder, string? requiredScope)
    {
        builder.Services.AddOptions<PartnerAuthOptions>().BindConfiguration(PartnerAuthOptions.SectionName).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PartnerAuthOptions>, PartnerAuthOptionsValidator>());
        builder.Services.TryAddSingleton<TokenFailureMetrics>();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<PartnerAuthOptions>, IHostEnvironment>((jwt, auth, environment) => Configure(jwt, auth.Value, environment))
            .Configure<TokenFailureMetrics>((jwt, metrics) => jwt.Events.OnChallenge = metrics.RecordChallenge);

        builder.Services.AddAuthorization(authorization =>
        {
            var policy = new AuthorizationPolicyBuilder(JwtBearerDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .RequireAssertion(ctx => ClinicContext.FromPrincipal(ctx.User) is not null
                                         && (Caller.IsPatient(ctx.User)
                                             ? Caller.PatientId(ctx.User) is not null && PatientSelfAccessExtensions.AllowsPatientSelf(ctx.Resource)
                                             : (requiredScope is null || HasScope(ctx.User, requiredScope))
                                               && StaffRoleAccessExtensions.RoleAllows(ctx.Resource, ctx.User)))
                .Build();
            authorization.DefaultPolicy = policy;
            authorization.FallbackPolicy = policy;
        });
        return builder;
    }

    static void Configure(JwtBearerOptions jwt, PartnerAuthOptions options, IHostEnvironment environment)
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
        // Outside Development start-up has already failed; should it be skipped, no key is configured and every token is refused.
        if (!environment.IsDevelopment()) return;
        jwt.TokenValidationParameters.ValidIssuer = options.Issuer;
        jwt.TokenValidationParameters.IssuerSigningKey = DevelopmentSigningKey(options);
        jwt.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
    }

    public static SymmetricSecurityKey DevelopmentSigningKey(PartnerAuthOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.SigningKey) || Encoding.UTF8.GetByteCount(options.SigningKey) < MinimumSigningKeyBytes)
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
