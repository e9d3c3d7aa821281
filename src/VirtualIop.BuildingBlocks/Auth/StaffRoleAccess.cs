using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace VirtualIop.BuildingBlocks.Auth;

/// <summary>
/// Endpoint metadata: a staff member's token must carry one of <see cref="Roles"/>. Partner systems (client credentials,
/// no role) act for the whole clinic and pass; patients never reach a staff endpoint.
/// </summary>
public sealed record StaffRoleAccess(IReadOnlyList<string> Roles);

public static class StaffRoleAccessExtensions
{
    public static TBuilder RequireStaffRole<TBuilder>(this TBuilder builder, params string[] roles) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new StaffRoleAccess(roles));

    /// <summary>True unless the endpoint names roles and the caller is a staff member holding none of them.</summary>
    public static bool RoleAllows(object? resource, System.Security.Claims.ClaimsPrincipal user) =>
        resource is not HttpContext http
        || http.GetEndpoint()?.Metadata.GetMetadata<StaffRoleAccess>() is not { } access
        || Caller.StaffRole(user) is not { } role
        || access.Roles.Contains(role, StringComparer.Ordinal);
}
