using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using VirtualIop.BuildingBlocks.Auth;

namespace VirtualIop.Gateway.Tests;

/// <summary>Outside Development only the configured issuer is trusted: no shared key, no demo clients.</summary>
public sealed class ProductionTrustTests
{
    static WebApplicationFactory<Program> InProduction(params (string Key, string Value)[] settings) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseEnvironment("Production");
            // The development key and demo clients leaked into production settings: neither may be honoured.
            host.UseSetting("Auth:SigningKey", GatewayFactory.SigningKey);
            host.UseSetting("Auth:Clients:0:ClientId", "demo-clinic");
            host.UseSetting("Auth:Clients:0:ClientSecret", "demo-clinic-secret");
            host.UseSetting("Auth:Clients:0:ClinicId", Guid.NewGuid().ToString());
            host.UseSetting("Auth:Clients:0:Scopes:0", "scheduling");
            foreach (var (key, value) in settings) host.UseSetting(key, value);
        });

    static string Messages(Exception e) => e is AggregateException all
        ? string.Join(" | ", all.Flatten().InnerExceptions.Select(i => i.Message))
        : e.Message;

    [Fact]
    public async Task Outside_development_the_gateway_refuses_to_start_without_an_issuer_naming_every_missing_setting_at_once()
    {
        await using var gateway = InProduction(("Auth:Audience", ""));

        var refused = Assert.ThrowsAny<Exception>(() => gateway.Server);

        var message = Messages(refused);
        Assert.Contains("Auth:Authority", message);
        Assert.Contains("Auth:Audience", message);
    }

    [Fact]
    public async Task Outside_development_a_token_signed_with_the_development_key_is_refused_and_no_demo_token_is_issued()
    {
        await using var gateway = InProduction(("Auth:Authority", "https://127.0.0.1:9/"));
        var client = gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            new PartnerTokenIssuer(new PartnerAuthOptions { SigningKey = GatewayFactory.SigningKey }, TimeProvider.System)
                .Issue(Guid.NewGuid(), "demo-clinic", [PartnerScopes.Scheduling], TimeSpan.FromMinutes(10)));

        var call = await client.GetAsync("/api/scheduling/programs");
        var token = await gateway.CreateClient().PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "demo-clinic", ["client_secret"] = "demo-clinic-secret"
        }));

        Assert.Equal(HttpStatusCode.Unauthorized, call.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, token.StatusCode);
    }
}
