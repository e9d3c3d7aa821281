namespace VirtualIop.BuildingBlocks.Auth;

/// <summary>
/// Claim names the tokens carry. Every token has a clinic; a staff member's token adds their user id and role, a
/// patient's token (redeemed from a personal link) adds the patient id and reaches only that patient's own data.
/// </summary>
public static class PartnerClaims
{
    public const string ClinicId = "clinic_id";
    public const string ClientId = "client_id";
    public const string Scope = "scope";
    public const string Subject = "sub";
    public const string Role = "role";
    public const string PatientId = "patient_id";
}
