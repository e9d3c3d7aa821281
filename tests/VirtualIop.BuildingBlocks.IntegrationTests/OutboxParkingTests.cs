using Dapper;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts;
using VirtualIop.Contracts.Attendance;
using VirtualIop.TestSupport;

namespace VirtualIop.BuildingBlocks.IntegrationTests;

[Collection(MessagingCollection.Name)]
public sealed class OutboxParkingTests(PostgresServer postgres, RabbitMqBroker rabbitMq) : IAsyncLifetime
{
    readonly MessagingDatabase messaging = new(postgres, rabbitMq);

    public Task InitializeAsync() => messaging.InitializeAsync();

    public Task DisposeAsync() => messaging.DisposeAsync();

    [Fact]
    public async Task Poison_rows_between_good_rows_are_parked_with_their_error_and_the_good_rows_arrive()
    {
        var clinic = Guid.NewGuid();
        var good = Enumerable.Range(0, 3).Select(_ => MessagingDatabase.NewEvent(clinic)).ToList();
        await Write(good[0]);
        var unknownType = await WritePoison("VirtualIop.Contracts.Attendance.SessionMissedV9", """{"eventId": "01890000-0000-7000-8000-000000000000"}""");
        await Write(good[1]);
        var unreadable = await WritePoison(IntegrationEventSerializer.TypeName(typeof(SessionMissed)), """{"eventId": "not an id"}""");
        await Write(good[2]);
        var relay = messaging.Relay(new MessagingOptions { OutboxMaxAttempts = 3 });

        for (var pass = 0; pass < 5; pass++) await relay.PublishBatch(100, CancellationToken.None);

        var received = await messaging.WaitForReceived(clinic, good.Count);
        Assert.Equal(good.Select(e => e.EventId).Order(), received.Select(r => r.Message.EventId).Order());
        var parked = (await Parked()).ToDictionary(p => p.Position);
        Assert.Equal(new[] { unknownType, unreadable }, parked.Keys.Order());
        Assert.All(parked.Values, p => Assert.Equal(3, p.Attempts));
        Assert.StartsWith("System.TypeLoadException: ", parked[unknownType].LastError);
        Assert.StartsWith("System.Text.Json.JsonException: ", parked[unreadable].LastError);
        Assert.DoesNotContain("not an id", parked[unreadable].LastError);
        Assert.Equal(0, await Waiting());
    }

    [Fact]
    public async Task A_parked_row_shows_in_health_and_metrics_and_the_requeue_command_publishes_it_once_mended()
    {
        var clinic = Guid.NewGuid();
        var before = MessagingDatabase.NewEvent(clinic);
        var poison = MessagingDatabase.NewEvent(clinic);
        var after = MessagingDatabase.NewEvent(clinic);
        await Write(before);
        var position = await WritePoison("VirtualIop.Contracts.Attendance.SessionMissedFromTheFuture", IntegrationEventSerializer.Serialize(poison), poison.EventId);
        await Write(after);
        await using var app = await StartService();
        using var client = app.GetTestClient();

        await messaging.WaitForReceived(clinic, 2);
        await Eventually.Until(() => client.GetStringAsync("/health"), status => status == "Degraded", "/health to report Degraded");
        var metrics = app.Services.GetRequiredService<MessagingMetrics>();
        await Eventually.Until(() => Task.FromResult(metrics.Outbox), b => b.Parked == 1, "the parked-rows gauge to count the row");

        // The cause is mended (say, a release that knows the type again); the operator re-queues the row.
        await using (var connection = await messaging.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("update outbox_message set message_type = @Type where position = @position",
                new { Type = IntegrationEventSerializer.TypeName(typeof(SessionMissed)), position });
        }
        var output = await RedriveCommand.Run("outbox", messaging.ConnectionString);

        Assert.Contains("re-queued 1 parked row(s)", output);
        var received = await messaging.WaitForReceived(clinic, 3);
        Assert.Equal(new[] { before.EventId, poison.EventId, after.EventId }.Order(), received.Select(r => r.Message.EventId).Order());
        await Eventually.Until(() => client.GetStringAsync("/health"), status => status == "Healthy", "/health to report Healthy again");
        Assert.Empty(await Parked());
    }

    [Fact]
    public async Task A_publish_the_broker_never_confirms_is_marked_failed_within_the_timeout_and_releases_its_row()
    {
        var clinic = Guid.NewGuid();
        var lost = MessagingDatabase.NewEvent(clinic);
        await Write(lost);
        var vhost = await rabbitMq.NewVirtualHostAsync("outage");
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(vhost, host => host.PublisherConfirmation = true));
        await bus.StartAsync();
        try
        {
            // The broker goes away under a connected bus: publishes wait for a connection that never comes back.
            await rabbitMq.DeleteVirtualHostAsync(vhost);
            var relay = messaging.Relay(new MessagingOptions { PublishTimeout = TimeSpan.FromSeconds(2), OutboxMaxAttempts = 1 }, bus);

            var claimed = await relay.PublishBatch(100, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

            Assert.Equal(1, claimed);
            await using var connection = await messaging.DataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            // NOWAIT fails at once if the relay still held the row's lock.
            var row = await connection.QuerySingleAsync<(long Attempts, string? LastError, bool Sent, bool Parked)>(
                "select attempts::bigint, last_error, sent_at is not null, parked_at is not null from outbox_message for update nowait", transaction: transaction);
            Assert.NotNull(row.LastError);
            Assert.False(row.Sent);
            // With no row of the pass confirmed, the broker is down: the outage is not charged to the row.
            Assert.Equal(0, row.Attempts);
            Assert.False(row.Parked);
        }
        finally
        {
            await bus.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token).ContinueWith(_ => { });
        }
    }

    [Fact]
    public async Task Purge_deletes_inbox_rows_and_sent_outbox_rows_past_their_retention_only()
    {
        var now = DateTimeOffset.UtcNow;
        await using (var connection = await messaging.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("""
                insert into inbox_message (message_id, consumer, processed_at)
                select gen_random_uuid(), 'old', @Now - interval '15 days' from generate_series(1, 5200)
                union all select gen_random_uuid(), 'young', @Now - interval '13 days' from generate_series(1, 3);
                insert into outbox_message (id, message_type, body, occurred_at, sent_at)
                values (gen_random_uuid(), 'old', '{}', @Now - interval '5 days', @Now - interval '4 days'),
                       (gen_random_uuid(), 'young', '{}', @Now - interval '2 days', @Now - interval '2 days'),
                       (gen_random_uuid(), 'unsent', '{}', @Now - interval '5 days', null);
                """, new { Now = now });
        }

        var purged = await messaging.Relay().Purge(CancellationToken.None);

        Assert.Equal((1, 5200), purged);
        await using var check = await messaging.DataSource.OpenConnectionAsync();
        Assert.Equal(new[] { "young" }, await check.QueryAsync<string>("select distinct consumer from inbox_message"));
        Assert.Equal(new[] { "unsent", "young" }, (await check.QueryAsync<string>("select message_type from outbox_message")).Order());
    }

    async Task<WebApplication> StartService()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration["ConnectionStrings:" + MessagingExtensions.BrokerConnectionName] = messaging.BrokerUri.ToString();
        builder.Configuration["Messaging:OutboxPollInterval"] = "00:00:00.05";
        builder.Configuration["Messaging:OutboxMaxAttempts"] = "2";
        builder.AddServiceDefaults();
        builder.Services.AddSingleton(messaging.DataSource);
        builder.AddServiceBus("relay-tests", _ => { });
        var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync();
        return app;
    }

    async Task Write(IIntegrationEvent message)
    {
        await using var connection = await messaging.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await new Outbox(TimeProvider.System).Add(connection, transaction, message, CancellationToken.None);
        await transaction.CommitAsync();
    }

    async Task<long> WritePoison(string messageType, string body, Guid? id = null)
    {
        await using var connection = await messaging.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("""
            insert into outbox_message (id, message_type, body, occurred_at) values (@Id, @MessageType, @Body::jsonb, now())
            returning position
            """, new { Id = id ?? Guid.NewGuid(), MessageType = messageType, Body = body });
    }

    async Task<IReadOnlyList<ParkedRow>> Parked()
    {
        await using var connection = await messaging.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<ParkedRow>(
            "select position, attempts, last_error from outbox_message where parked_at is not null")).AsList();
    }

    async Task<int> Waiting()
    {
        await using var connection = await messaging.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<int>("select count(*) from outbox_message where sent_at is null and parked_at is null");
    }

    sealed record ParkedRow(long Position, int Attempts, string LastError);
}
