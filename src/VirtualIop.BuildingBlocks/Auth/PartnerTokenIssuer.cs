using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace VirtualIop.BuildingBlocks.Auth;

/// <summary>
/// Signs client-credentials access tokens with the development key. The gateway's demo token endpoint
/// and the tests use it; production tokens come from the configured Authority instead.
/// </summary>
public sealed class PartnerTokenIssuer(PartnerAuthOptions options, TimeProvider clock)
{
    readonly SigningCredentials credentials = new(PartnerAuthenticationExtensions.DevelopmentSigningKey(options), SecurityAlgorithms.HmacSha256);

    public string Issue(Guid clinicId, string clientId, IEnumerable<string> scopes, TimeSpan lifetime)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = credentials,
            Subject = new ClaimsIdentity(
            [
                new Claim(JwtRegisteredClaimNames.Sub, clientId),
                new Claim(PartnerClaims.ClientId, clientId),
                new Claim(PartnerClaims.ClinicId, clinicId.ToString()),
                new Claim(PartnerClaims.Scope, string.Join(' ', scopes))
            ])
        });
    }
}
