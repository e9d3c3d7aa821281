using System.Collections.Concurrent;
using Dapper;
using MassTransit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.BuildingBlocks.Workers;
using VirtualIop.Contracts.Attendance;
using VirtualIop.TestSupport;

namespace VirtualIop.BuildingBlocks.IntegrationTests;

/// <summary>
/// A consumer on a quorum queue, as every service's, with no in-process retry, so a fault sends the message straight
/// to its _error queue. Its effect goes through the real inbox, in the test's database.
/// </summary>
[Collection(MessagingCollection.Name)]
public sealed class ErrorQueueRedriveTests(PostgresServer postgres, RabbitMqBroker rabbitMq) : IAsyncLifetime
{
    const string Queue = "redrive-tests-open-follow-up";
    readonly MessagingDatabase messaging = new(postgres, rabbitMq);
    readonly ConcurrentQueue<int> attempts = new();
    IBusControl consumer = null!;
    volatile bool databaseDown = true;

    public async Task InitializeAsync()
    {
        await messaging.InitializeAsync();
        await using (var connection = await messaging.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("create table effect (event_id uuid not null)");
        }
        var inbox = new Inbox(messaging.DataSource, TimeProvider.System, concurrentTransactions: 8);
        consumer = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(messaging.BrokerUri, host => host.PublisherConfirmation = true);
            rabbit.ReceiveEndpoint(Queue, endpoint =>
            {
                endpoint.SetQuorumQueue();
                endpoint.Handler<SessionMissed>(async context =>
                {
                    attempts.Enqueue(context.ReceiveContext.TransportHeaders.Get<int>(ErrorQueues.RedrivesHeader, default(int?)) ?? 0);
                    if (databaseDown) throw new InvalidOperationException("database unreachable");
                    await inbox.ProcessOnce(context.Message, "open-follow-up", (c, t) =>
                        c.ExecuteAsync("insert into effect (event_id) values (@EventId)", new { context.Message.EventId }, t), default);
                });
            });
        });
        await consumer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await consumer.StopAsync();
        await messaging.DisposeAsync();
    }

    [Fact]
    public async Task A_message_that_faulted_during_an_outage_is_redriven_after_it_and_takes_effect_once()
    {
        var missed = MessagingDatabase.NewEvent(Guid.NewGuid());
        await consumer.Publish(missed, context => context.MessageId = missed.EventId);
        await InError(1);
        databaseDown = false;
        var (worker, metrics) = Worker(new MessagingOptions());

        var moved = await worker.RunOnce(DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(1, moved);
        await Eventually.Until(Effects, n => n == 1, "the redriven message's effect");
        Assert.Equal(new[] { 0, 1 }, attempts);
        Assert.Equal(0, await worker.RunOnce(DateTimeOffset.UtcNow, CancellationToken.None));
        Assert.Equal(0, metrics.ParkedErrorMessages);
        Assert.Equal(1, await Effects());
    }

    [Fact]
    public async Task A_message_is_redriven_with_backoff_parked_past_the_limit_and_the_redrive_command_moves_it_back()
    {
        var missed = MessagingDatabase.NewEvent(Guid.NewGuid());
        var options = new MessagingOptions { RedriveInterval = TimeSpan.FromMinutes(1), RedriveMaxDelay = TimeSpan.FromMinutes(10), RedriveLimit = 2 };
        var (worker, metrics) = Worker(options);
        await consumer.Publish(missed, context => context.MessageId = missed.EventId);
        await InError(1);
        var start = DateTimeOffset.UtcNow;

        Assert.Equal(1, await worker.RunOnce(start, CancellationToken.None));
        await Eventually.Until(() => Task.FromResult(attempts.Count), n => n == 2, "the first redrive to fault");
        await InError(1);
        // The second redrive waits RedriveInterval after the first.
        Assert.Equal(0, await worker.RunOnce(start + TimeSpan.FromSeconds(30), CancellationToken.None));
        await InError(1);
        Assert.Equal(1, await worker.RunOnce(start + TimeSpan.FromSeconds(61), CancellationToken.None));
        await Eventually.Until(() => Task.FromResult(attempts.Count), n => n == 3, "the second redrive to fault");
        await InError(1);
        // Past the limit the message stays in _error, parked, however long one waits.
        Assert.Equal(0, await worker.RunOnce(start + TimeSpan.FromHours(5), CancellationToken.None));
        Assert.Equal(1, metrics.ParkedErrorMessages);
        await InError(1);
        Assert.Equal(new[] { 0, 1, 2 }, attempts);

        databaseDown = false;
        var output = await RedriveCommand.Run("errors", messaging.BrokerUri.ToString(), Queue);

        Assert.Contains($"moved 1 message(s) from {Queue}_error to {Queue}", output);
        await Eventually.Until(Effects, n => n == 1, "the message moved by hand to take effect");
        Assert.Equal(new[] { 0, 1, 2, 0 }, attempts);
        Assert.Equal(0, await worker.RunOnce(start + TimeSpan.FromHours(6), CancellationToken.None));
        Assert.Equal(0, metrics.ParkedErrorMessages);
    }

    (ErrorQueueRedriveWorker Worker, MessagingMetrics Metrics) Worker(MessagingOptions options)
    {
        var queues = new ServiceQueues();
        queues.Add(Queue);
        var metrics = MessagingDatabase.Metrics();
        var errorQueues = new ErrorQueues(messaging.BrokerUri, "redrive-tests");
        return (new ErrorQueueRedriveWorker(errorQueues, queues, metrics, Options.Create(options), TimeProvider.System,
            NullLogger<ErrorQueueRedriveWorker>.Instance), metrics);
    }

    // Asked of the broker itself (a passive declare): the management API's counts lag by seconds.
    Task InError(uint count) => Eventually.Until(async () =>
    {
        await using var connection = await new ConnectionFactory { Uri = messaging.BrokerUri }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(ErrorQueues.ErrorQueueOf(Queue))).MessageCount;
        }
        catch (OperationInterruptedException)
        {
            return 0u;
        }
    }, depth => depth == count, $"{count} message(s) in {ErrorQueues.ErrorQueueOf(Queue)}");

    async Task<int> Effects()
    {
        await using var connection = await messaging.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<int>("select count(*) from effect");
    }
}
