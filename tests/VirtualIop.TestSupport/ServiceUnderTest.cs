using System.Net.Http.Headers;
using Dapper;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Workers;
using Xunit;

namespace VirtualIop.TestSupport;

/// <summary>What every service under test shares, whatever its program type.</summary>
public static class ServiceUnderTest
{
    /// <summary>The client id of every partner token a service fixture mints.</summary>
    public const string TestClientId = "test-client";

    /// <summary>The client id of every patient-scoped token a service fixture mints (the web front end's, when deployed).</summary>
    public const string PatientClientId = "test-patient-portal";

    /// <summary>The client id of every staff token a service fixture mints.</summary>
    public const string StaffClientId = "test-console";
}

/// <summary>
/// A real service in memory, on its own database and virtual host: what every service fixture shares. It gives the
/// service the settings all services read, mints partner tokens for any clinic, counts what the service's consumers
/// finished with, and starts a <see cref="BrokerProbe"/> standing in for the services around it. A fixture adds its
/// own settings (<see cref="Configure"/>), the events its probe records (<see cref="RecordEvents"/>) and reads of its
/// own tables (<see cref="DatabaseConnectionString"/>).
/// </summary>
/// <param name="name">The service's name: it names the database, the virtual host, the connection string
/// (<c>ConnectionStrings:{name}db</c>) and the probe's queue.</param>
/// <param name="defaultScope">The partner scope <see cref="ClientFor"/> grants unless told otherwise.</param>
public abstract class ServiceUnderTest<TProgram>(PostgresServer postgres, RabbitMqBroker rabbitMq, string name, string defaultScope)
    : IAsyncLifetime where TProgram : class
{
    WebApplicationFactory<TProgram>? app;
    BrokerProbe? broker;

    string SigningKey => $"{name}-tests-signing-key-0123456789abcdef";

    WebApplicationFactory<TProgram> App => app ?? throw new InvalidOperationException($"The {name} service is not started yet.");

    /// <summary>The service's own database; the service creates it at start-up.</summary>
    protected string DatabaseConnectionString { get; private set; } = "";

    /// <summary>The started service's container.</summary>
    protected IServiceProvider Services => App.Services;

    /// <summary>amqp URI of the service's own virtual host.</summary>
    public Uri BrokerUri { get; private set; } = null!;

    /// <summary>The bus standing in for the services around this one.</summary>
    public BrokerProbe Broker => broker ?? throw new InvalidOperationException($"The {name} service is not started yet.");

    /// <summary>Every message the service's consumers finished with, by message id (redeliveries included).</summary>
    public ConsumedEvents Consumed { get; } = new();

    /// <summary>When set before start, also receives every line the service logs (for tests of what logs may say).</summary>
    public CapturedLogs? Logs { get; set; }

    /// <summary>This service's own settings and services; runs while <see cref="InitializeAsync"/> builds the host.</summary>
    protected virtual void Configure(IWebHostBuilder host)
    {
    }

    /// <summary>The events the service publishes that its tests look for on the broker.</summary>
    protected abstract void RecordEvents(ProbeSubscriptions probe);

    public async Task InitializeAsync()
    {
        // A second start would leave the first host running unseen, on a database its tests no longer read.
        if (app is not null) throw new InvalidOperationException($"The {name} service is already started: a shared one is started once, by its fixture.");
        DatabaseConnectionString = postgres.NewDatabaseConnectionString(name);
        BrokerUri = await rabbitMq.NewVirtualHostAsync(name);
        app = new WebApplicationFactory<TProgram>().WithWebHostBuilder(host =>
        {
            host.UseSetting($"ConnectionStrings:{name}db", DatabaseConnectionString);
            host.UseSetting("ConnectionStrings:rabbitmq", BrokerUri.AbsoluteUri);
            host.UseSetting("Auth:SigningKey", SigningKey);
            host.UseSetting("Messaging:OutboxPollInterval", "00:00:00.100");
            host.ConfigureTestServices(services => services.AddConsumeObserver(_ => Consumed));
            if (Logs is { } logs) host.ConfigureLogging(logging => logging.AddProvider(logs));
            Configure(host);
        });
        _ = app.Server; // starts the host: migrations, bus, outbox relay, background workers
        broker = await BrokerProbe.Start(BrokerUri, $"{name}-tests-probe", RecordEvents);
    }

    /// <summary>A client holding a partner token for <paramref name="clinicId"/> with one scope.</summary>
    public HttpClient ClientFor(Guid clinicId, string? scope = null)
    {
        var client = App.CreateClient();
        var token = new PartnerTokenIssuer(new PartnerAuthOptions { SigningKey = SigningKey }, TimeProvider.System)
            .Issue(clinicId, ServiceUnderTest.TestClientId, [scope ?? defaultScope], TimeSpan.FromMinutes(10));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A client holding a patient-scoped token, as redeemed from a personal link, for <paramref name="patientId"/> of <paramref name="clinicId"/>.</summary>
    public HttpClient PatientClientFor(Guid clinicId, Guid patientId) =>
        WithToken(Issuer().IssuePatient(clinicId, patientId, ServiceUnderTest.PatientClientId, TimeSpan.FromMinutes(10)));

    /// <summary>A client holding a staff member's token with <paramref name="role"/> (a <see cref="StaffRoles"/> value) and the service's scope, or <paramref name="scope"/>.</summary>
    public HttpClient StaffClientFor(Guid clinicId, string role, string? scope = null) =>
        WithToken(Issuer().IssueStaff(clinicId, Guid.NewGuid(), role, ServiceUnderTest.StaffClientId, [scope ?? defaultScope], TimeSpan.FromMinutes(10)));

    PartnerTokenIssuer Issuer() => new(new PartnerAuthOptions { SigningKey = SigningKey }, TimeProvider.System);

    HttpClient WithToken(string token)
    {
        var client = App.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public HttpClient AnonymousClient() => App.CreateClient();

    /// <summary>A client holding a token the test issues itself with the service's development key (another client id, a patient, staff).</summary>
    public HttpClient ClientWithToken(Func<PartnerTokenIssuer, string> issue)
    {
        var client = App.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            issue(new PartnerTokenIssuer(new PartnerAuthOptions { SigningKey = SigningKey }, TimeProvider.System)));
        return client;
    }

    /// <summary>Every route the started service maps, for tests that walk them.</summary>
    public IReadOnlyList<RouteEndpoint> Routes => App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

    /// <summary>Calls every endpoint that audits patient data (see <see cref="PatientDataAudit.Walk"/>).</summary>
    public Task WalkAuditedEndpoints(IReadOnlyDictionary<string, Func<HttpClient, Guid, Task<AuditedCall>>> arrange) =>
        PatientDataAudit.Walk(Routes, clinicId => ClientFor(clinicId), DatabaseConnectionString, arrange);

    /// <summary>Walks every creating endpoint with an Idempotency-Key (see <see cref="IdempotentCreations.Walk"/>).</summary>
    public Task WalkCreatingEndpoints(IReadOnlyDictionary<string, Func<HttpClient, Guid, Task<CreatingCall>>> arrange) =>
        IdempotentCreations.Walk(Routes, clinicId => ClientFor(clinicId), DatabaseConnectionString, arrange);

    /// <summary>The worker that forgets Idempotency-Keys past their window, to run a pass at a chosen time.</summary>
    public IdempotencyKeyRetention IdempotencyRetention => Services.GetRequiredService<IdempotencyKeyRetention>();

    /// <summary>How many Idempotency-Keys (pending or completed) the service holds for a clinic.</summary>
    public async Task<long> IdempotencyKeysOf(Guid clinicId)
    {
        await using var db = new NpgsqlConnection(DatabaseConnectionString);
        return await db.ExecuteScalarAsync<long>("select count(*) from idempotency_key where clinic_id = @Clinic", new { Clinic = clinicId });
    }

    /// <summary>The service's audit rows for a clinic, oldest first.</summary>
    public Task<IReadOnlyList<AuditRow>> AuditRows(Guid clinicId) => PatientDataAudit.Rows(DatabaseConnectionString, clinicId);

    public async Task DisposeAsync()
    {
        if (broker is not null) await broker.DisposeAsync();
        if (app is not null) await app.DisposeAsync();
        // Tear down what this fixture made, so a long-lived test broker and server stay fast across many runs.
        if (BrokerUri is not null) await rabbitMq.DeleteVirtualHostAsync(BrokerUri);
        if (DatabaseConnectionString.Length > 0) await postgres.DropDatabaseAsync(DatabaseConnectionString);
    }
}
