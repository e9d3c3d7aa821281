using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using VirtualIop.BuildingBlocks.Auth;

namespace VirtualIop.Notification.Extensions;

/// <summary>
/// Who may redeem a personal link: a client holding the scope <see cref="Scope"/> (the gateway, client id
/// <c>virtualiop-gateway</c>, or a clinic's own patient app), whatever clinic its token names: the link itself says
/// which clinic and patient it is for. Patient tokens never pass.
/// </summary>
public static class PatientLinkRedemption
{
    public const string Scope = "patient-links";

    public const string Policy = "patient-link-redemption";

    public static AuthorizationPolicy BuildPolicy() => new AuthorizationPolicyBuilder(JwtBearerDefaults.AuthenticationScheme)
        .RequireAuthenticatedUser()
        .RequireAssertion(ctx => !Caller.IsPatient(ctx.User)
                                 && ctx.User.FindAll(PartnerClaims.Scope)
                                     .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                                     .Contains(Scope, StringComparer.Ordinal))
        .Build();
}
