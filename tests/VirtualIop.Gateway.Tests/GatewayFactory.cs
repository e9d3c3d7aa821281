using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace VirtualIop.Gateway.Tests;

/// <summary>The real gateway in memory, with the demo clients of appsettings.Development.json.</summary>
public sealed class GatewayFactory : WebApplicationFactory<Program>
{
    public const string SigningKey = "gateway-tests-signing-key-0123456789abcdef";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Auth:SigningKey", SigningKey);
        builder.UseSetting("GatewayRateLimits:TokenRequestsPerMinute", "1000");
    }
}
