namespace VirtualIop.BuildingBlocks.Auth;

/// <summary>The roles a staff member's token carries (claim <see cref="PartnerClaims.Role"/>).</summary>
public static class StaffRoles
{
    public const string Clinician = "clinician";
    public const string Coordinator = "coordinator";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Clinician, Coordinator, Admin];
}
