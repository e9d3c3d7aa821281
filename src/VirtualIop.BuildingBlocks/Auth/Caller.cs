using System.Security.Claims;

namespace VirtualIop.BuildingBlocks.Auth;

/// <summary>Who holds the token: a partner system (client credentials), a staff member or a patient.</summary>
public static class Caller
{
    /// <summary>The patient a patient-scoped token belongs to, or null for partner and staff tokens.</summary>
    public static Guid? PatientId(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(PartnerClaims.PatientId), out var patientId) && patientId != Guid.Empty ? patientId : null;

    public static bool IsPatient(ClaimsPrincipal user) => user.HasClaim(c => c.Type == PartnerClaims.PatientId);

    /// <summary>The staff member's role, or null for a partner system or a patient.</summary>
    public static string? StaffRole(ClaimsPrincipal user) => user.FindFirstValue(PartnerClaims.Role);
}
