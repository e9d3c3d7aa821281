namespace VirtualIop.BuildingBlocks.Auth;

/// <summary>Claim names every partner token carries.</summary>
public static class PartnerClaims
{
    public const string ClinicId = "clinic_id";
    public const string ClientId = "client_id";
    public const string Scope = "scope";
}
