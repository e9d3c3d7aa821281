using System.Security.Cryptography;
using System.Text;
using VirtualIop.BuildingBlocks.Auth;

namespace VirtualIop.Gateway.Identity;

/// <summary>
/// Who the development issuer knows, from configuration: the partner clients (<c>Auth:Clients</c>), the web app
/// (<c>Auth:WebClient</c>) and the demo staff (<c>Auth:StaffUsers</c>). Secrets and passwords are compared in constant time.
/// </summary>
public sealed class DemoClientRegistry
{
    readonly IReadOnlyList<DemoClient> clients;
    readonly WebClient? web;
    readonly IReadOnlyList<StaffUser> staff;

    public DemoClientRegistry(IReadOnlyList<DemoClient> clients, WebClient? web, IReadOnlyList<StaffUser> staff)
    {
        var problems = staff.Where(u => u.UserId == Guid.Empty || u.ClinicId == Guid.Empty || string.IsNullOrWhiteSpace(u.Username)
                                        || string.IsNullOrEmpty(u.Password) || string.IsNullOrWhiteSpace(u.DisplayName))
            .Select(u => $"Auth:StaffUsers: user '{u.UserId}' needs a UserId, Username, Password, DisplayName and ClinicId.")
            .Concat(staff.Where(u => !StaffRoles.All.Contains(u.Role, StringComparer.Ordinal))
                .Select(u => $"Auth:StaffUsers: user {u.UserId} has role '{u.Role}'; the roles are {string.Join(", ", StaffRoles.All)}."))
            .Concat(staff.GroupBy(u => u.Username, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1)
                .Select(g => $"Auth:StaffUsers: the user name of {string.Join(", ", g.Select(u => u.UserId))} is taken twice."))
            .ToList();
        if (web is not null && (string.IsNullOrWhiteSpace(web.ClientSecret) || web.RedirectUris.Length == 0))
            problems.Add("Auth:WebClient needs a ClientSecret and at least one of RedirectUris.");
        if (problems.Count > 0) throw new InvalidOperationException(string.Join(" ", problems));
        this.clients = clients;
        this.web = web;
        this.staff = staff;
    }

    /// <summary>The partner client with this id and secret, or null.</summary>
    public DemoClient? AuthenticatePartner(string? clientId, string? clientSecret)
    {
        var client = FindPartner(clientId);
        return SecretsMatch(clientSecret, client?.ClientSecret) && client is not null ? client : null;
    }

    /// <summary>The partner client with this id, once the token request has authenticated it.</summary>
    public DemoClient? FindPartner(string? clientId) => clients.FirstOrDefault(c => string.Equals(c.ClientId, clientId, StringComparison.Ordinal));

    /// <summary>True when the web app presents its own id and secret.</summary>
    public bool AuthenticateWeb(string? clientId, string? clientSecret) =>
        SecretsMatch(clientSecret, web?.ClientSecret) && web is not null && clientId == WebClient.ClientId;

    public bool IsWebRedirectUri(string? clientId, string? redirectUri) =>
        web is not null && clientId == WebClient.ClientId && web.RedirectUris.Contains(redirectUri, StringComparer.Ordinal);

    /// <summary>The staff member with this user name (any case) and password, or null.</summary>
    public StaffUser? SignIn(string? username, string? password)
    {
        var user = staff.FirstOrDefault(u => string.Equals(u.Username, username, StringComparison.OrdinalIgnoreCase));
        return SecretsMatch(password, user?.Password) && user is not null ? user : null;
    }

    // Hashing both sides first makes the comparison length-independent as well as constant-time; an unknown name
    // costs the same as a wrong secret.
    static bool SecretsMatch(string? presented, string? expected)
    {
        var left = SHA256.HashData(Encoding.UTF8.GetBytes(presented ?? ""));
        var right = SHA256.HashData(Encoding.UTF8.GetBytes(expected ?? Guid.NewGuid().ToString()));
        return CryptographicOperations.FixedTimeEquals(left, right) && !string.IsNullOrEmpty(presented);
    }
}
