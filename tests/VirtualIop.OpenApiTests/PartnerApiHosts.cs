using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.Gateway;
using VirtualIop.TestSupport;

namespace VirtualIop.OpenApiTests;

/// <summary>A real service host whose endpoints and OpenAPI document the tests read.</summary>
public interface IDocumentedService : IAsyncLifetime
{
    string Name { get; }
    IEnumerable<Endpoint> Endpoints { get; }
    HttpClient Anonymous();
}

public class DocumentedService<TAssembly>(PostgresServer postgres, RabbitMqBroker rabbitMq, string name, string scope)
    : ServiceUnderTest<TAssembly>(postgres, rabbitMq, name, scope), IDocumentedService where TAssembly : class
{
    public string Name { get; } = name;

    public IEnumerable<Endpoint> Endpoints => Services.GetRequiredService<EndpointDataSource>().Endpoints;

    public HttpClient Anonymous() => AnonymousClient();

    protected override void RecordEvents(ProbeSubscriptions probe)
    {
    }
}

public sealed class NotificationService(PostgresServer postgres, RabbitMqBroker rabbitMq)
    : DocumentedService<Notification.Extensions.NotificationOptions>(postgres, rabbitMq, "notification", PartnerScopes.Notification)
{
    protected override void Configure(IWebHostBuilder host)
    {
        // Nothing is sent here; an unreachable SMTP port keeps it so.
        host.UseSetting("Smtp:Host", "127.0.0.1");
        host.UseSetting("Smtp:Port", "9");
        host.UseSetting("Notification:PatientPortalUrl", "https://portal.virtualiop.test");
        host.UseSetting("Notification:ClinicianPortalUrl", "https://console.virtualiop.test");
        host.UseSetting("Sms:AuthToken", "openapi-tests-sms-auth-token");
        host.UseSetting("Sms:PublicBaseUrl", "https://notification.virtualiop.test");
    }
}

/// <summary>
/// The four services on real PostgreSQL and RabbitMQ, and the real gateway whose document client reaches each of them
/// in memory by the cluster host name it asks for (http://scheduling, …), as service discovery resolves it when deployed.
/// </summary>
public sealed class PartnerApiHosts : IAsyncLifetime
{
    readonly PostgresServer postgres = new();
    readonly RabbitMqBroker rabbitMq = new();
    WebApplicationFactory<Gateway.Identity.DemoClient>? gateway;

    public PartnerApiHosts() =>
        Services =
        [
            new DocumentedService<Scheduling.Extensions.SchedulingOptions>(postgres, rabbitMq, "scheduling", PartnerScopes.Scheduling),
            new DocumentedService<Attendance.Extensions.AttendanceOptions>(postgres, rabbitMq, "attendance", PartnerScopes.Attendance),
            new NotificationService(postgres, rabbitMq),
            new DocumentedService<Engagement.Data.Consents>(postgres, rabbitMq, "engagement", PartnerScopes.Engagement),
        ];

    public IReadOnlyList<IDocumentedService> Services { get; }

    public HttpClient Gateway() => (gateway ?? throw new InvalidOperationException("The gateway is not started yet.")).CreateClient();

    public async Task InitializeAsync()
    {
        await postgres.InitializeAsync();
        await rabbitMq.InitializeAsync();
        foreach (var service in Services) await service.InitializeAsync();
        gateway = new WebApplicationFactory<Gateway.Identity.DemoClient>().WithWebHostBuilder(host =>
        {
            host.UseEnvironment("Development");
            host.UseSetting("Auth:SigningKey", "openapi-tests-gateway-signing-key-0123456789");
            host.ConfigureTestServices(services => services.AddHttpClient(ApiDocuments.HttpClientName)
                .ConfigurePrimaryHttpMessageHandler(() => new InMemoryServices(Services.ToDictionary(s => s.Name, s => s.Anonymous()))));
        });
        _ = gateway.Server;
    }

    public async Task DisposeAsync()
    {
        if (gateway is not null) await gateway.DisposeAsync();
        foreach (var service in Services) await service.DisposeAsync();
        await rabbitMq.DisposeAsync();
        await postgres.DisposeAsync();
    }

    /// <summary>Sends each GET to the in-memory service its host names.</summary>
    sealed class InMemoryServices(IReadOnlyDictionary<string, HttpClient> services) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct) =>
            services.TryGetValue(request.RequestUri!.Host, out var service)
                ? service.GetAsync(request.RequestUri.PathAndQuery, ct)
                : throw new HttpRequestException($"No service called {request.RequestUri.Host}.");
    }
}
