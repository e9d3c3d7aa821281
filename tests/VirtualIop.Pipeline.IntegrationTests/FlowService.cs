using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace VirtualIop.Pipeline.IntegrationTests;

/// <summary>
/// One real service in memory, on its own database and on a virtual host it shares with the other services of the
/// flow, so its events reach them through the broker as in production. Its own appsettings.json applies; the
/// settings given override it.
/// </summary>
public sealed class FlowService<TProgram> : IAsyncDisposable where TProgram : class
{
    readonly WebApplicationFactory<TProgram> app;

    FlowService(WebApplicationFactory<TProgram> app, string databaseConnectionString)
    {
        this.app = app;
        DatabaseConnectionString = databaseConnectionString;
    }

    /// <summary>The service's own database (it creates it at start-up).</summary>
    public string DatabaseConnectionString { get; }

    /// <summary>Starts the service: migrations, bus (its queues bound before this returns), outbox relay and workers.</summary>
    /// <param name="name">Names the connection string, <c>ConnectionStrings:{name}db</c>.</param>
    public static FlowService<TProgram> Start(string name, string databaseConnectionString, Uri broker, IReadOnlyDictionary<string, string> settings)
    {
        var app = new WebApplicationFactory<TProgram>().WithWebHostBuilder(host =>
        {
            host.UseSetting($"ConnectionStrings:{name}db", databaseConnectionString);
            host.UseSetting("ConnectionStrings:rabbitmq", broker.AbsoluteUri);
            host.UseSetting("Auth:SigningKey", $"{name}-flow-signing-key-0123456789abcdef");
            foreach (var (key, value) in settings) host.UseSetting(key, value);
        });
        _ = app.Server;
        return new FlowService<TProgram>(app, databaseConnectionString);
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();
}
