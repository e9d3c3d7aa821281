using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using VirtualIop.BuildingBlocks.Data;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts.Attendance;
using VirtualIop.TestSupport;

namespace VirtualIop.BuildingBlocks.IntegrationTests;

[CollectionDefinition(Name)]
public sealed class MessagingCollection : ICollectionFixture<PostgresServer>, ICollectionFixture<RabbitMqBroker>
{
    public const string Name = "Outbox and inbox on PostgreSQL and RabbitMQ";
}

/// <summary>
/// A migrated database holding only the building blocks' tables, and a bus on a fresh virtual host that
/// records every SessionMissed it receives, with the broker's MessageId.
/// </summary>
public sealed class MessagingDatabase(PostgresServer postgres, RabbitMqBroker rabbitMq) : IAsyncLifetime
{
    BrokerProbe? broker;

    public string ConnectionString { get; private set; } = "";

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    /// <summary>The amqp URI of the test's virtual host.</summary>
    public Uri BrokerUri { get; private set; } = null!;

    BrokerProbe Broker => broker ?? throw new InvalidOperationException("MessagingDatabase is not initialised yet.");

    public async Task InitializeAsync()
    {
        DapperConventions.Apply();
        ConnectionString = postgres.NewDatabaseConnectionString("buildingblocks");
        await Migrate();
        DataSource = NpgsqlDataSource.Create(ConnectionString);
        BrokerUri = await rabbitMq.NewVirtualHostAsync("buildingblocks");
        broker = await BrokerProbe.Start(BrokerUri, "building-blocks-tests",
            probe => probe.Record<SessionMissed>());
    }

    public Task Migrate() =>
        new DatabaseMigrator(ConnectionString, [typeof(Outbox).Assembly], NullLogger<DatabaseMigrator>.Instance).StartingAsync(CancellationToken.None);

    public OutboxRelay Relay(MessagingOptions? options = null, IBus? bus = null) => new(DataSource, bus ?? Broker.Bus, TimeProvider.System,
        Options.Create(options ?? new MessagingOptions()), Metrics(), NullLogger<OutboxRelay>.Instance);

    public static MessagingMetrics Metrics() =>
        new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());

    public static SessionMissed NewEvent(Guid clinicId) =>
        new(Guid.CreateVersion7(), clinicId, Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow, "America/Chicago", DateTimeOffset.UtcNow);

    /// <summary>Waits until at least <paramref name="count"/> of the clinic's events have arrived, and returns them all.</summary>
    public Task<IReadOnlyList<ReceivedMessage<SessionMissed>>> WaitForReceived(Guid clinicId, int count) =>
        Broker.WaitForMessages<SessionMissed>(e => e.ClinicId == clinicId, count);

    public async Task DisposeAsync()
    {
        if (broker is not null) await broker.DisposeAsync();
        await DataSource.DisposeAsync();
    }
}
