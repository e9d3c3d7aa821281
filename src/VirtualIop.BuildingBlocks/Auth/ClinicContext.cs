using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace VirtualIop.BuildingBlocks.Auth;

/// <summary>
/// The clinic a request acts for. It is read only from the validated token, never from the body or
/// a header the client controls. Minimal APIs bind it through <see cref="BindAsync"/>.
/// </summary>
public sealed record ClinicContext(Guid ClinicId, string ClientId)
{
    public static ValueTask<ClinicContext?> BindAsync(HttpContext http) => ValueTask.FromResult(FromPrincipal(http.User));

    public static ClinicContext? FromPrincipal(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true) return null;
        return Guid.TryParse(user.FindFirstValue(PartnerClaims.ClinicId), out var clinicId) && clinicId != Guid.Empty
            ? new ClinicContext(clinicId, user.FindFirstValue(PartnerClaims.ClientId) ?? "unknown")
            : null;
    }
}
