using System.Security.Cryptography;
using System.Text;

namespace VirtualIop.Gateway.Identity;

/// <summary>The registered demo clients (configuration Auth:Clients), with constant-time secret checks.</summary>
public sealed class DemoClientRegistry(IReadOnlyList<DemoClient> clients)
{
    public bool IsEmpty => clients.Count == 0;

    public DemoClient? Authenticate(string clientId, string clientSecret)
    {
        var client = clients.FirstOrDefault(c => string.Equals(c.ClientId, clientId, StringComparison.Ordinal));
        // Hashing both sides first makes the comparison length-independent as well as constant-time.
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(clientSecret));
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(client?.ClientSecret ?? Guid.NewGuid().ToString()));
        return CryptographicOperations.FixedTimeEquals(presented, expected) && client is not null ? client : null;
    }
}
