using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using VirtualIop.BuildingBlocks.Auth;

namespace VirtualIop.Gateway.Tests;

/// <summary>
/// The real gateway on a Kestrel port, called over real HTTP from 127.0.0.1, in Development (demo clients) with the
/// given settings. The services behind it are unreachable: a call the limits let through ends at the proxy (502), never 429.
/// </summary>
public sealed class KestrelGateway : WebApplicationFactory<Program>
{
    readonly (string Key, string Value)[] settings;
    readonly CapturedLogs? logs;

    public KestrelGateway(params (string Key, string Value)[] settings) : this(null, settings)
    {
    }

    /// <param name="logs">Where the gateway's log lines go as well, when a test reads them.</param>
    public KestrelGateway(CapturedLogs? logs, params (string Key, string Value)[] settings)
    {
        this.settings = settings;
        this.logs = logs;
        UseKestrel(0);
        StartServer();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Auth:SigningKey", GatewayFactory.SigningKey);
        foreach (var cluster in new[] { "scheduling", "attendance", "notification", "engagement" })
            builder.UseSetting($"ReverseProxy:Clusters:{cluster}:Destinations:{cluster}:Address", "http://127.0.0.1:9");
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        if (logs is not null) builder.ConfigureLogging(logging => logging.AddProvider(logs));
    }

    /// <summary>A partner client of <paramref name="clinicId"/> with its own client id, as a token from the issuer names it.</summary>
    public HttpClient PartnerClient(Guid clinicId, string clientId)
    {
        var client = CreateClient();
        var token = new PartnerTokenIssuer(new PartnerAuthOptions { SigningKey = GatewayFactory.SigningKey }, TimeProvider.System)
            .Issue(clinicId, clientId, [PartnerScopes.Scheduling], TimeSpan.FromMinutes(10));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
