namespace VirtualIop.Gateway.Identity;

/// <summary>A partner client the development token endpoint knows: one clinic, a secret and the scopes it may ask for.</summary>
public sealed class DemoClient
{
    public required string ClientId { get; init; }
    public required string ClientSecret { get; init; }
    public required Guid ClinicId { get; init; }
    public string[] Scopes { get; init; } = [];
}
