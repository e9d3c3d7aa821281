using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using VirtualIop.BuildingBlocks.Data;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts;
using VirtualIop.Contracts.Attendance;

namespace VirtualIop.BuildingBlocks.IntegrationTests.Benchmarks;

/// <summary>
/// The durable event pipeline as a service runs it, measured against a raw RabbitMQ.Client loop in the same run.
/// The pipeline is a host wired by the building blocks alone (<see cref="DatabaseExtensions.AddServiceDatabase"/> and
/// <see cref="MessagingExtensions.AddServiceBus"/>, with their configured defaults): committed outbox rows, the
/// outbox relay publishing them with publisher confirms, and a consumer (<see cref="RecordMissEffect"/>) writing its
/// inbox row and its effect in one transaction. The raw loop publishes bodies of the size the pipeline's consumer
/// received, persistent, with confirms, in batches of the relay's size, to a quorum queue, and acks each one.
/// Free of any test framework: it returns figures and counts, and the caller decides what to check and where to print.
/// </summary>
public sealed class PipelineBenchmark : IAsyncDisposable
{
    const string ServiceName = "pipeline-bench";
    const string DatabaseName = "pipelinebenchdb";
    const int SeedChunk = 5_000;

    readonly IHost host;
    readonly NpgsqlDataSource db;

    PipelineBenchmark(IHost host, NpgsqlDataSource db, PipelineProgress progress)
    {
        this.host = host;
        this.db = db;
        Progress = progress;
    }

    PipelineProgress Progress { get; }

    /// <summary>The size of a SessionMissed as the pipeline's consumer received it (its MassTransit envelope included).</summary>
    public int MessageSize => Progress.BodySize;

    /// <summary>The most events the consumer handled at once (the bus's effective concurrency).</summary>
    public int ConsumerConcurrency => Progress.MostInFlight;

    /// <summary>Relay batch size as configured, the raw loop's confirm batch.</summary>
    public int RelayBatchSize => host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<MessagingOptions>>().Value.OutboxBatchSize;

    /// <summary>Starts the host (migrations, bus, relay) on <paramref name="connectionString"/>'s database (created here) and <paramref name="broker"/>'s virtual host.</summary>
    public static async Task<PipelineBenchmark> Start(string connectionString, Uri broker)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{DatabaseName}"] = connectionString,
            [$"ConnectionStrings:{MessagingExtensions.BrokerConnectionName}"] = broker.AbsoluteUri
        });
        builder.AddServiceDatabase(DatabaseName, typeof(PipelineBenchmark).Assembly);
        builder.AddServiceBus(ServiceName, bus => bus.AddConsumer<RecordMissEffect>());
        var progress = new PipelineProgress();
        builder.Services.AddSingleton(progress);
        var host = builder.Build();
        await host.StartAsync();
        return new PipelineBenchmark(host, host.Services.GetRequiredService<NpgsqlDataSource>(), progress);
    }

    /// <summary>
    /// Commits <paramref name="count"/> SessionMissed rows to the outbox (in chunks, before the clock starts) and times
    /// from their commit to the commit of the last effect (<c>Elapsed</c>) and to the relay's marking the last row sent
    /// (<c>Relayed</c>, from the rows' sent_at), which tells whether the relay or the consumer set the pace.
    /// </summary>
    public async Task<(TimeSpan Elapsed, TimeSpan Relayed)> MeasurePipeline(Guid clinicId, int count)
    {
        var last = Progress.WhenMore(count);
        await using var connection = await db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var outbox = new Outbox(TimeProvider.System);
        for (var written = 0; written < count; written += SeedChunk)
        {
            var chunk = Enumerable.Range(0, Math.Min(SeedChunk, count - written)).Select(_ => NewMiss(clinicId)).ToList();
            await outbox.AddRange(connection, transaction, chunk, CancellationToken.None);
        }
        await transaction.CommitAsync();
        var start = Stopwatch.GetTimestamp();
        var committedAt = DateTimeOffset.UtcNow;
        var end = await last.WaitAsync(TimeSpan.FromMinutes(10));
        var lastSent = await connection.ExecuteScalarAsync<DateTimeOffset>(
            "select max(sent_at) from outbox_message where body ->> 'clinicId' = @Clinic", new { Clinic = clinicId.ToString() });
        return (Stopwatch.GetElapsedTime(start, end), lastSent - committedAt);
    }

    /// <summary>What the pipeline left: a clinic's effects and distinct events among them; in all, effects, inbox rows and outbox rows still unsent.</summary>
    public async Task<PipelineCounts> Count(Guid clinicId)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.QuerySingleAsync<PipelineCounts>("""
            select (select count(*)::int from pipeline_effect where clinic_id = @Clinic) as effects,
                   (select count(distinct event_id)::int from pipeline_effect where clinic_id = @Clinic) as distinctevents,
                   (select count(*)::int from pipeline_effect) as alleffects,
                   (select count(*)::int from inbox_message where consumer = @Consumer) as inboxrows,
                   (select count(*)::int from outbox_message where sent_at is null) as unsent
            """, new { Clinic = clinicId, Consumer = RecordMissEffect.InboxKey });
    }

    static IIntegrationEvent NewMiss(Guid clinicId) =>
        new SessionMissed(Guid.CreateVersion7(), clinicId, Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow, "America/Chicago", DateTimeOffset.UtcNow);

    /// <summary>
    /// The baseline: <paramref name="count"/> persistent bodies of <paramref name="size"/> bytes published with confirms in
    /// batches of <paramref name="batchSize"/> (each batch awaits all its confirms, as the relay does) to a durable quorum
    /// queue, consumed with a manual ack each, on one connection; timed from the first publish to the last ack.
    /// </summary>
    public static async Task<(TimeSpan Elapsed, int Received)> MeasureRawLoop(Uri broker, int count, int size, int batchSize, ushort prefetch)
    {
        var factory = new ConnectionFactory { Uri = broker, ConsumerDispatchConcurrency = prefetch };
        await using var connection = await factory.CreateConnectionAsync();
        await using var publisher = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await using var subscriber = await connection.CreateChannelAsync();
        var queue = $"raw-bench-{Guid.NewGuid():N}";
        await subscriber.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" });
        await subscriber.BasicQosAsync(0, prefetch, false);

        var received = 0;
        var allAcked = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = new AsyncEventingBasicConsumer(subscriber);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            await subscriber.BasicAckAsync(delivery.DeliveryTag, multiple: false);
            if (Interlocked.Increment(ref received) == count) allAcked.TrySetResult(Stopwatch.GetTimestamp());
        };
        await subscriber.BasicConsumeAsync(queue, autoAck: false, consumer);

        var body = new byte[size];
        Random.Shared.NextBytes(body);
        var properties = new BasicProperties { Persistent = true };
        var start = Stopwatch.GetTimestamp();
        for (var sent = 0; sent < count; sent += batchSize)
        {
            await Task.WhenAll(Enumerable.Range(0, Math.Min(batchSize, count - sent))
                .Select(_ => publisher.BasicPublishAsync("", queue, mandatory: false, properties, body).AsTask()));
        }
        var end = await allAcked.Task.WaitAsync(TimeSpan.FromMinutes(10));
        await subscriber.QueueDeleteAsync(queue);
        return (Stopwatch.GetElapsedTime(start, end), Volatile.Read(ref received));
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}

public sealed record PipelineCounts(int Effects, int DistinctEvents, int AllEffects, int InboxRows, int Unsent);
