using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using VirtualIop.BuildingBlocks.Auth;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace VirtualIop.Gateway.Identity;

/// <summary>
/// Who each token names, with the claims the services read (<see cref="PartnerClaims"/>): the clinic, the scopes, and
/// for staff the user id as subject and a role, for a patient the patient id. OpenIddict adds <c>client_id</c>, the
/// issuer and the lifetime. Only the display name stays out of access tokens: it goes to the web app's id_token alone.
/// </summary>
public static class IssuedPrincipals
{
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromHours(1);

    public static ClaimsPrincipal ForPartner(DemoClient client, IEnumerable<string> scopes, string audience)
    {
        var identity = NewIdentity()
            .SetClaim(Claims.Subject, client.ClientId)
            .SetClaim(PartnerClaims.ClinicId, client.ClinicId.ToString());
        return Finish(identity, scopes, audience, AccessTokenLifetime);
    }

    public static ClaimsPrincipal ForStaff(StaffUser user, IEnumerable<string> scopes, string audience)
    {
        var identity = NewIdentity()
            .SetClaim(Claims.Subject, user.UserId.ToString())
            .SetClaim(Claims.Name, user.DisplayName)
            .SetClaim(PartnerClaims.ClinicId, user.ClinicId.ToString())
            .SetClaim(PartnerClaims.Role, user.Role);
        return Finish(identity, scopes, audience, AccessTokenLifetime);
    }

    /// <summary>A patient-scoped token for the link's patient, valid an hour at most and never past the link itself.</summary>
    public static ClaimsPrincipal ForPatient(RedeemedLink link, string audience, TimeSpan lifetime)
    {
        var identity = NewIdentity()
            .SetClaim(Claims.Subject, link.PatientId.ToString())
            .SetClaim(PartnerClaims.ClinicId, link.ClinicId.ToString())
            .SetClaim(PartnerClaims.PatientId, link.PatientId.ToString());
        return Finish(identity, [PartnerScopes.Patient], audience, lifetime);
    }

    /// <summary>The principal an authorization code carried, its claims sent on again to the tokens they belong in.</summary>
    public static ClaimsPrincipal FromCode(ClaimsPrincipal code) => code.SetDestinations(Destinations);

    static ClaimsIdentity NewIdentity() =>
        new(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, PartnerClaims.Role);

    static ClaimsPrincipal Finish(ClaimsIdentity identity, IEnumerable<string> scopes, string audience, TimeSpan lifetime)
    {
        identity.SetScopes(scopes).SetAudiences(audience).SetAccessTokenLifetime(lifetime);
        identity.SetDestinations(Destinations);
        return new ClaimsPrincipal(identity);
    }

    static IEnumerable<string> Destinations(Claim claim) => claim.Type switch
    {
        Claims.Name => [OpenIddictConstants.Destinations.IdentityToken],
        Claims.Subject or PartnerClaims.ClinicId or PartnerClaims.Role =>
            [OpenIddictConstants.Destinations.AccessToken, OpenIddictConstants.Destinations.IdentityToken],
        _ => [OpenIddictConstants.Destinations.AccessToken]
    };
}
