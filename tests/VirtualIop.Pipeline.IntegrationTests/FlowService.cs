using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using VirtualIop.BuildingBlocks.Auth;

namespace VirtualIop.Pipeline.IntegrationTests;

/// <summary>
/// One real service in memory, on its own database and on a virtual host it shares with the other services of the
/// flow, so its events reach them through the broker as in production. Its own appsettings.json applies; the
/// settings given override it.
/// </summary>
public sealed class FlowService<TProgram> : IAsyncDisposable where TProgram : class
{
    readonly WebApplicationFactory<TProgram> app;
    readonly string signingKey;

    FlowService(WebApplicationFactory<TProgram> app, string databaseConnectionString, string signingKey)
    {
        this.app = app;
        this.signingKey = signingKey;
        DatabaseConnectionString = databaseConnectionString;
    }

    /// <summary>The service's own database (it creates it at start-up).</summary>
    public string DatabaseConnectionString { get; }

    /// <summary>The running service's container, for a test that drives one of its workers itself.</summary>
    public IServiceProvider Services => app.Services;

    /// <summary>A client of the service's API holding a partner token for <paramref name="clinicId"/> with one scope.</summary>
    public HttpClient ClientFor(Guid clinicId, string scope)
    {
        var client = app.CreateClient();
        var token = new PartnerTokenIssuer(new PartnerAuthOptions { SigningKey = signingKey }, TimeProvider.System)
            .Issue(clinicId, "flow-test-client", [scope], TimeSpan.FromMinutes(10));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Starts the service: migrations, bus (its queues bound before this returns), outbox relay and workers.</summary>
    /// <param name="name">Names the connection string, <c>ConnectionStrings:{name}db</c>.</param>
    public static FlowService<TProgram> Start(string name, string databaseConnectionString, Uri broker, IReadOnlyDictionary<string, string> settings)
    {
        var signingKey = $"{name}-flow-signing-key-0123456789abcdef";
        var app = new WebApplicationFactory<TProgram>().WithWebHostBuilder(host =>
        {
            host.UseSetting($"ConnectionStrings:{name}db", databaseConnectionString);
            host.UseSetting("ConnectionStrings:rabbitmq", broker.AbsoluteUri);
            host.UseSetting("Auth:SigningKey", signingKey);
            foreach (var (key, value) in settings) host.UseSetting(key, value);
        });
        _ = app.Server;
        return new FlowService<TProgram>(app, databaseConnectionString, signingKey);
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();
}
