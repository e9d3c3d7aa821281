namespace VirtualIop.BuildingBlocks.Auth;

/// <summary>
/// How partner tokens are validated. Production sets <see cref="Authority"/> to the real OAuth2 issuer
/// (keys come from its OIDC discovery document); development shares <see cref="SigningKey"/> with the
/// gateway's demo token endpoint.
/// </summary>
public sealed class PartnerAuthOptions
{
    public const string SectionName = "Auth";

    public string? Authority { get; set; }

    public string Issuer { get; set; } = "urn:virtualiop:dev";

    public string Audience { get; set; } = "virtualiop-api";

    public string? SigningKey { get; set; }

    public bool RequireHttpsMetadata { get; set; } = true;
}
