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
        var inbox = new Inbox(messaging.DataSource, TimeProvider.System);
        var missed = MessagingDatabase.NewEvent(Guid.NewGuid());

        Assert.True(await inbox.ProcessOnce(missed, "open-follow-up", (c, t) => RecordEffect(c, t, missed.EventId, "open-follow-up"), default));
        Assert.False(await inbox.ProcessOnce(missed, "open-follow-up", (c, t) => RecordEffect(c, t, missed.EventId, "open-follow-up"), default));

        Assert.Equal(1, await Effects(missed.EventId, "open-follow-up"));
    }

    [Fact]
    public async Task Concurrent_deliveries_of_one_event_take_effect_once()
    {
        var inbox = new Inbox(messaging.DataSource, TimeProvider.System);
        var missed = MessagingDatabase.NewEvent(Guid.NewGuid());

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            inbox.ProcessOnce(missed, "send-email", (c, t) => RecordEffect(c, t, missed.EventId, "send-email"), default)));

        Assert.Single(outcomes, processed => processed);
        Assert.Equal(1, await Effects(missed.EventId, "send-email"));
    }

    [Fact]
    public async Task Each_consumer_of_an_event_takes_effect_once()
    {
        var inbox = new Inbox(messaging.DataSource, TimeProvider.System);
        var missed = MessagingDatabase.NewEvent(Guid.NewGuid());

        await inbox.ProcessOnce(missed, "send-email", (c, t) => RecordEffect(c, t, missed.EventId, "send-email"), default);
        await inbox.ProcessOnce(missed, "open-follow-up", (c, t) => RecordEffect(c, t, missed.EventId, "open-follow-up"), default);

        Assert.Equal(1, await Effects(missed.EventId, "send-email"));
        Assert.Equal(1, await Effects(missed.EventId, "open-follow-up"));
    }

    [Fact]
    public async Task A_failed_effect_leaves_the_event_to_be_processed_again()
    {
        var inbox = new Inbox(messaging.DataSource, TimeProvider.System);
        var missed = MessagingDatabase.NewEvent(Guid.NewGuid());

        await Assert.ThrowsAsync<InvalidOperationException>(() => inbox.ProcessOnce(missed, "send-email", async (c, t) =>
        {
            await RecordEffect(c, t, missed.EventId, "send-email");
            throw new InvalidOperationException("SMTP down");
        }, default));
        Assert.True(await inbox.ProcessOnce(missed, "send-email", (c, t) => RecordEffect(c, t, missed.EventId, "send-email"), default));

        Assert.Equal(1, await Effects(missed.EventId, "send-email"));
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
