namespace VirtualIop.Gateway.Identity;

/// <summary>A demo staff member who signs in at the development authorization endpoint (configuration <c>Auth:StaffUsers</c>).</summary>
public sealed class StaffUser
{
    public required Guid UserId { get; init; }
    public required string Username { get; init; }
    public required string Password { get; init; }
    public required string DisplayName { get; init; }
    public required Guid ClinicId { get; init; }

    /// <summary>One of <see cref="VirtualIop.BuildingBlocks.Auth.StaffRoles"/>.</summary>
    public required string Role { get; init; }
}
