using Dapper;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.TestSupport;

namespace VirtualIop.BuildingBlocks.IntegrationTests;

[Collection(MessagingCollection.Name)]
public sealed class InboxTests(PostgresServer postgres, RabbitMqBroker rabbitMq) : IAsyncLifetime
{
    readonly MessagingDatabase messaging = new(postgres, rabbitMq);

    public async Task InitializeAsync()
    {
        await messaging.InitializeAsync();
        await using var connection = await messaging.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("create table effect (event_id uuid not null, consumer text not null)");
    }

    public Task DisposeAsync() => messaging.DisposeAsync();

    [Fact]
    public async Task A_redelivered_event_has_no_second_effect()
    {
        var inbox = new Inbox(messaging.DataSource, TimeProvider.System, concurrentTransactions: 8);
        var missed = MessagingDatabase.NewEvent(Guid.NewGuid());

        Assert.True(await inbox.ProcessOnce(missed, "open-follow-up", (c, t) => RecordEffect(c, t, missed.EventId, "open-follow-up"), default));
        Assert.False(await inbox.ProcessOnce(missed, "open-follow-up", (c, t) => RecordEffect(c, t, missed.EventId, "open-follow-up"), default));

        Assert.Equal(1, await Effects(missed.EventId, "open-follow-up"));
    }

    [Fact]
    public async Task Concurrent_deliveries_of_one_event_take_effect_once()
    {
        var inbox = new Inbox(messaging.DataSource, TimeProvider.System, concurrentTransactions: 8);
        var missed = MessagingDatabase.NewEvent(Guid.NewGuid());

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            inbox.ProcessOnce(missed, "send-email", (c, t) => RecordEffect(c, t, missed.EventId, "send-email"), default)));

        Assert.Single(outcomes, processed => processed);
        Assert.Equal(1, await Effects(missed.EventId, "send-email"));
    }

    [Fact]
    public async Task Each_consumer_of_an_event_takes_effect_once()
    {
        var inbox = new Inbox(messaging.DataSource, TimeProvider.System, concurrentTransactions: 8);
        var missed = MessagingDatabase.NewEvent(Guid.NewGuid());

        await inbox.ProcessOnce(missed, "send-email", (c, t) => RecordEffect(c, t, missed.EventId, "send-email"), default);
        await inbox.ProcessOnce(missed, "open-follow-up", (c, t) => RecordEffect(c, t, missed.EventId, "open-follow-up"), default);

        Assert.Equal(1, await Effects(missed.EventId, "send-email"));
        Assert.Equal(1, await Effects(missed.EventId, "open-follow-up"));
    }

    [Fact]
    public async Task A_failed_effect_leaves_the_event_to_be_processed_again()
    {
        var inbox = new Inbox(messaging.DataSource, TimeProvider.System, concurrentTransactions: 8);
        var missed = MessagingDatabase.NewEvent(Guid.NewGuid());

        await Assert.ThrowsAsync<InvalidOperationException>(() => inbox.ProcessOnce(missed, "send-email", async (c, t) =>
        {
            await RecordEffect(c, t, missed.EventId, "send-email");
            throw new InvalidOperationException("SMTP down");
        }, default));
        Assert.True(await inbox.ProcessOnce(missed, "send-email", (c, t) => RecordEffect(c, t, missed.EventId, "send-email"), default));

        Assert.Equal(1, await Effects(missed.EventId, "send-email"));
    }

    [Fact]
    public async Task The_replica_runs_at_most_its_limit_of_consumer_transactions_at_once_and_the_rest_in_turn()
    {
        var inbox = new Inbox(messaging.DataSource, TimeProvider.System, concurrentTransactions: 2);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (running, most) = (0, 0);
        var events = Enumerable.Range(0, 6).Select(_ => MessagingDatabase.NewEvent(Guid.NewGuid())).ToList();

        var deliveries = events.Select(e => inbox.ProcessOnce(e, "send-email", async (c, t) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            await release.Task;
            await RecordEffect(c, t, e.EventId, "send-email");
            Interlocked.Decrement(ref running);
        }, default)).ToList();
        await Eventually.Until(() => Task.FromResult(Volatile.Read(ref running)), n => n >= 2, "two effects running");

        release.SetResult();
        Assert.All(await Task.WhenAll(deliveries), Assert.True);
        Assert.Equal(2, most);
        foreach (var e in events) Assert.Equal(1, await Effects(e.EventId, "send-email"));
    }

    static void InterlockedMax(ref int target, int value)
    {
        for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
            if (Interlocked.CompareExchange(ref target, value, seen) == seen) return;
    }

    static Task RecordEffect(Npgsql.NpgsqlConnection connection, Npgsql.NpgsqlTransaction transaction, Guid eventId, string consumer) =>
        connection.ExecuteAsync("insert into effect (event_id, consumer) values (@eventId, @consumer)", new { eventId, consumer }, transaction);

    async Task<int> Effects(Guid eventId, string consumer)
    {
        await using var connection = await messaging.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<int>(
            "select count(*) from effect where event_id = @eventId and consumer = @consumer", new { eventId, consumer });
    }
}
