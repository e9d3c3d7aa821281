using System.Diagnostics;
using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts;
using VirtualIop.TestSupport;

namespace VirtualIop.BuildingBlocks.IntegrationTests;

[Collection(MessagingCollection.Name)]
public sealed class OutboxTests(PostgresServer postgres, RabbitMqBroker rabbitMq) : IAsyncLifetime
{
    const string RequestSourceName = "OutboxTests.Request";
    static readonly ActivitySource RequestSource = new(RequestSourceName);

    readonly MessagingDatabase messaging = new(postgres, rabbitMq);

    public Task InitializeAsync() => messaging.InitializeAsync();

    public Task DisposeAsync() => messaging.DisposeAsync();

    [Fact]
    public async Task Committed_events_are_published_once_with_the_event_id_as_message_id_and_marked_sent()
    {
        var clinic = Guid.NewGuid();
        var events = Enumerable.Range(0, 3).Select(_ => MessagingDatabase.NewEvent(clinic)).ToList();
        await Write(events, commit: true);

        var published = await messaging.Relay().PublishBatch(100, CancellationToken.None);

        Assert.Equal(3, published);
        var received = await messaging.WaitForReceived(clinic, 3);
        Assert.Equal(events.Select(e => e.EventId).Order(), received.Select(r => r.MessageId!.Value).Order());
        Assert.All(received, r => Assert.Equal(r.MessageId, r.Message.EventId));
        Assert.Equal(0, await Unsent());
    }

    [Fact]
    public async Task Events_of_a_rolled_back_change_are_never_published()
    {
        var clinic = Guid.NewGuid();
        await Write([MessagingDatabase.NewEvent(clinic)], commit: false);

        Assert.Equal(0, await messaging.Relay().PublishBatch(100, CancellationToken.None));
        await using var connection = await messaging.DataSource.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("select count(*) from outbox_message"));
    }

    [Fact]
    public async Task Two_relays_draining_together_publish_every_event_exactly_once()
    {
        var clinic = Guid.NewGuid();
        var events = Enumerable.Range(0, 600).Select(_ => MessagingDatabase.NewEvent(clinic)).ToList();
        await Write(events, commit: true);

        async Task Drain(OutboxRelay relay)
        {
            while (await relay.PublishBatch(50, CancellationToken.None) > 0)
            {
            }
        }
        await Task.WhenAll(Drain(messaging.Relay()), Drain(messaging.Relay()));

        var received = await messaging.WaitForReceived(clinic, events.Count);
        await Task.Delay(500); // a duplicate would arrive right behind the originals
        received = await messaging.WaitForReceived(clinic, events.Count);
        Assert.Equal(events.Count, received.Count);
        Assert.Equal(events.Count, received.Select(r => r.MessageId).Distinct().Count());
        Assert.Equal(0, await Unsent());
    }

    [Fact]
    public async Task The_trace_of_the_request_that_wrote_an_event_continues_where_it_is_consumed()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name.StartsWith("MassTransit", StringComparison.Ordinal)
                                       || source.Name.StartsWith("VirtualIop", StringComparison.Ordinal)
                                       || source.Name == RequestSourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded
        };
        ActivitySource.AddActivityListener(listener);
        var clinic = Guid.NewGuid();
        string requestTrace;
        using (var request = RequestSource.StartActivity("POST /api/attendance/..."))
        {
            requestTrace = request!.TraceId.ToHexString();
            await Write([MessagingDatabase.NewEvent(clinic)], commit: true);
        }

        await messaging.Relay().PublishBatch(100, CancellationToken.None);

        var received = Assert.Single(await messaging.WaitForReceived(clinic, 1));
        Assert.Equal(requestTrace, received.TraceId);
    }

    [Fact]
    public async Task Migrations_run_again_on_a_migrated_database_change_nothing()
    {
        await messaging.Migrate();
        await Task.WhenAll(messaging.Migrate(), messaging.Migrate());

        await using var connection = await messaging.DataSource.OpenConnectionAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>(
            "select count(*) from schemaversions where scriptname like '%outbox_and_inbox.sql'"));
    }

    async Task Write(IReadOnlyCollection<IIntegrationEvent> events, bool commit)
    {
        await using var connection = await messaging.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await new Outbox(TimeProvider.System).AddRange(connection, transaction, events, CancellationToken.None);
        if (commit) await transaction.CommitAsync();
        else await transaction.RollbackAsync();
    }

    async Task<int> Unsent()
    {
        await using var connection = await messaging.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<int>("select count(*) from outbox_message where sent_at is null");
    }
}
