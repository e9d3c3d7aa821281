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

    public string Issue(Guid clinicId, string clientId, IEnumerable<string> scopes, TimeSpan lifetime) =>
        Sign(lifetime,
        [
            new Claim(JwtRegisteredClaimNames.Sub, clientId),
            new Claim(PartnerClaims.ClientId, clientId),
            new Claim(PartnerClaims.ClinicId, clinicId.ToString()),
            new Claim(PartnerClaims.Scope, string.Join(' ', scopes))
        ]);

    /// <summary>A staff member's token: their user id as subject, the clinic, a role from <see cref="StaffRoles"/>.</summary>
    public string IssueStaff(Guid clinicId, Guid userId, string role, string clientId, IEnumerable<string> scopes, TimeSpan lifetime) =>
        Sign(lifetime,
        [
            new Claim(JwtRegisteredClaimNames.Sub, userId.ToString()),
            new Claim(PartnerClaims.ClientId, clientId),
            new Claim(PartnerClaims.ClinicId, clinicId.ToString()),
            new Claim(PartnerClaims.Role, role),
            new Claim(PartnerClaims.Scope, string.Join(' ', scopes))
        ]);

    /// <summary>A patient-scoped token, as redeemed from a personal link: the patient's own data and nothing else.</summary>
    public string IssuePatient(Guid clinicId, Guid patientId, string clientId, TimeSpan lifetime) =>
        Sign(lifetime,
        [
            new Claim(JwtRegisteredClaimNames.Sub, patientId.ToString()),
            new Claim(PartnerClaims.ClientId, clientId),
            new Claim(PartnerClaims.ClinicId, clinicId.ToString()),
            new Claim(PartnerClaims.PatientId, patientId.ToString()),
            new Claim(PartnerClaims.Scope, PartnerScopes.Patient)
        ]);

    string Sign(TimeSpan lifetime, Claim[] claims)
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
            Subject = new ClaimsIdentity(claims)
        });
    }
}
