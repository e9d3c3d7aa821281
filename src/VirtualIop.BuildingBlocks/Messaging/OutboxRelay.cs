using System.Diagnostics;
using Dapper;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace VirtualIop.BuildingBlocks.Messaging;

/// <summary>
/// Publishes committed outbox rows and marks them sent. Rows are claimed with FOR UPDATE SKIP LOCKED,
/// so replicas share the work without publishing a row twice; a crash between publish and commit
/// republishes the batch, which consumers' inboxes absorb.
/// </summary>
public sealed class OutboxRelay(
    NpgsqlDataSource db,
    IBus bus,
    TimeProvider clock,
    IOptions<MessagingOptions> options,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    static readonly TimeSpan PurgeEvery = TimeSpan.FromMinutes(10);
    static readonly ActivitySource RelayActivity = new("VirtualIop.Outbox");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var nextPurge = clock.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await PublishBatch(settings.OutboxBatchSize, stoppingToken) == settings.OutboxBatchSize)
                {
                }
                if (clock.GetUtcNow() >= nextPurge)
                {
                    await PurgeSent(settings.OutboxRetention, stoppingToken);
                    nextPurge = clock.GetUtcNow() + PurgeEvery;
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Outbox relay pass failed; retrying after the poll interval");
            }

            try
            {
                await Task.Delay(settings.OutboxPollInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async Task<int> PublishBatch(int batchSize, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var rows = (await connection.QueryAsync<OutboxRow>(new CommandDefinition("""
            select position, id, message_type, body::text as body, trace_parent
            from outbox_message
            where sent_at is null
            order by position
            limit @BatchSize
            for update skip locked
            """, new { BatchSize = batchSize }, transaction, cancellationToken: ct))).AsList();
        if (rows.Count == 0) return 0;

        // Each publish awaits the broker's confirm; the rows are marked sent only after all confirmed.
        await Task.WhenAll(rows.Select(row => Publish(row, ct)));

        await connection.ExecuteAsync(new CommandDefinition(
            "update outbox_message set sent_at = @Now where position = any(@Positions)",
            new { Now = clock.GetUtcNow(), Positions = rows.Select(r => r.Position).ToArray() }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return rows.Count;
    }

    async Task Publish(OutboxRow row, CancellationToken ct)
    {
        // Continue the trace of the request that wrote the row, so the dashboard shows one trace from the
        // gateway through the broker to every consumer, although the publish happens later, here.
        using var activity = row.TraceParent is { } parent
            ? RelayActivity.StartActivity("outbox publish", ActivityKind.Producer, parent)
            : null;
        var (message, type) = IntegrationEventSerializer.Deserialize(row.MessageType, row.Body);
        await bus.Publish(message, type, context => context.MessageId = row.Id, ct);
    }

    async Task PurgeSent(TimeSpan retention, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "delete from outbox_message where sent_at < @Before",
            new { Before = clock.GetUtcNow() - retention }, cancellationToken: ct));
    }

    sealed record OutboxRow(long Position, Guid Id, string MessageType, string Body, string? TraceParent);
}
