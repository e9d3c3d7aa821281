using System.Diagnostics;
using Dapper;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace VirtualIop.BuildingBlocks.Messaging;

/// <summary>
/// Publishes committed outbox rows and marks each by its own outcome. Rows are claimed in position order with
/// FOR UPDATE SKIP LOCKED, so replicas share the work without publishing a row twice, and published concurrently
/// within one pass, which waits at most Messaging:PublishTimeout for the broker. A confirmed row is marked sent; a
/// failed row is charged an attempt with its error and, after Messaging:OutboxMaxAttempts, parked, so it never holds
/// up the rows behind it. A crash between publish and commit republishes the pass, which consumers' inboxes absorb.
/// While a backlog lasts, Messaging:OutboxConcurrentBatches passes run side by side (each claims its own rows, as
/// replicas do), so one pass publishes while another claims, marks or commits.
/// Also purges sent outbox rows and old inbox rows.
/// </summary>
public sealed class OutboxRelay(
    NpgsqlDataSource db,
    IBus bus,
    TimeProvider clock,
    IOptions<MessagingOptions> options,
    MessagingMetrics metrics,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    static readonly TimeSpan PurgeEvery = TimeSpan.FromMinutes(10);
    static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(10);
    const int PurgeBatchSize = 5000;
    const int ErrorLength = 1000;
    static readonly ActivitySource RelayActivity = new("VirtualIop.Outbox");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var nextPurge = clock.GetUtcNow();
        var nextSample = clock.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Drain(settings, stoppingToken);
                if (clock.GetUtcNow() >= nextSample)
                {
                    metrics.RecordOutbox(await SampleBacklog(stoppingToken));
                    nextSample = clock.GetUtcNow() + SampleEvery;
                }
                if (clock.GetUtcNow() >= nextPurge)
                {
                    await Purge(stoppingToken);
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

    /// <summary>
    /// Publishes until a pass finds fewer rows than a batch. The first pass tells whether there is a backlog; only then
    /// do further passes run beside it, so an idle relay polls with one query.
    /// </summary>
    async Task Drain(MessagingOptions settings, CancellationToken ct)
    {
        if (await PublishBatch(settings.OutboxBatchSize, ct) < settings.OutboxBatchSize) return;
        await Task.WhenAll(Enumerable.Range(0, settings.OutboxConcurrentBatches).Select(async _ =>
        {
            while (await PublishBatch(settings.OutboxBatchSize, ct) == settings.OutboxBatchSize)
            {
            }
        }));
    }

    /// <returns>How many rows the pass claimed (published or charged a failure).</returns>
    public async Task<int> PublishBatch(int batchSize, CancellationToken ct)
    {
        var settings = options.Value;
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // The claim must walk the unsent index in position order and stop after a batch. Without a sort the planner
        // has no other plan; with one, an estimate taken when few rows were unsent (the usual case) makes it fetch and
        // sort every unsent row instead, on every pass of a backlog: 40 ms a pass for a 20,000-row burst.
        var rows = (await connection.QueryAsync<OutboxRow>(new CommandDefinition("""
            set local enable_sort = off;
            select position, id, message_type, body::text as body, trace_parent
            from outbox_message
            where sent_at is null and parked_at is null
            order by position
            limit @BatchSize
            for update skip locked
            """, new { BatchSize = batchSize }, transaction, cancellationToken: ct))).AsList();
        if (rows.Count == 0) return 0;

        // Every publish awaits the broker's confirm; each row's outcome is kept apart, so one bad row fails alone. One
        // deadline bounds the pass: WaitAsync holds even where the transport does not watch the token for a confirm.
        using var publishing = CancellationTokenSource.CreateLinkedTokenSource(ct);
        publishing.CancelAfter(settings.PublishTimeout);
        var publishes = new Task<string?>[rows.Count];
        var unreadable = new bool[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            publishes[i] = Publish(rows[i], out unreadable[i], publishing.Token);
        }
        try
        {
            await Task.WhenAll(publishes).WaitAsync(settings.PublishTimeout, clock, ct);
        }
        catch (TimeoutException)
        {
        }
        ct.ThrowIfCancellationRequested();

        var now = clock.GetUtcNow();
        var sent = new List<long>(rows.Count);
        var failed = new List<Failure>();
        for (var i = 0; i < rows.Count; i++)
        {
            var error = publishes[i].IsCompletedSuccessfully
                ? publishes[i].Result
                : NoConfirm(typeof(TimeoutException), settings.PublishTimeout);
            if (error is null) sent.Add(rows[i].Position);
            else failed.Add(new Failure(rows[i].Position, error, unreadable[i]));
        }
        if (sent.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "update outbox_message set sent_at = @Now where position = any(@Positions)",
                new { Now = now, Positions = sent.ToArray() }, transaction, cancellationToken: ct));
        }

        if (failed.Count > 0)
        {
            // A row that cannot be read is at fault itself. A publish that failed while the broker confirmed another
            // row of the pass is charged too; when the broker confirmed none, it is down, and an outage must not
            // park every row: the error is kept, the attempt is not charged.
            var brokerUp = sent.Count > 0;
            var parked = await connection.QueryAsync<OutboxParked>(new CommandDefinition("""
                update outbox_message o
                set attempts = o.attempts + f.charge,
                    last_error = f.error,
                    last_attempt_at = @Now,
                    parked_at = case when o.attempts + f.charge >= @MaxAttempts then @Now end
                from unnest(@Positions, @Errors, @Charges) as f(position, error, charge)
                where o.position = f.position
                returning o.position, o.id, o.message_type, o.attempts, o.parked_at is not null as parked
                """,
                new
                {
                    Now = now,
                    MaxAttempts = settings.OutboxMaxAttempts,
                    Positions = failed.Select(f => f.Position).ToArray(),
                    Errors = failed.Select(f => f.Error).ToArray(),
                    Charges = failed.Select(f => f.Unreadable || brokerUp ? 1 : 0).ToArray()
                }, transaction, cancellationToken: ct));
            metrics.RecordPublishFailures(failed.Count);
            foreach (var row in parked.Where(p => p.Parked))
            {
                logger.LogError("Outbox row {Position} ({EventId}, {MessageType}) parked after {Attempts} failed attempts",
                    row.Position, row.Id, row.MessageType, row.Attempts);
            }
            logger.LogWarning("Outbox relay failed to publish {Failed} of {Claimed} row(s); first error: {Error}",
                failed.Count, rows.Count, failed[0].Error);
        }

        await transaction.CommitAsync(ct);
        return rows.Count;
    }

    /// <returns>A task with the row's error, or null once the broker confirmed it.</returns>
    Task<string?> Publish(OutboxRow row, out bool unreadable, CancellationToken token)
    {
        object message;
        Type type;
        try
        {
            (message, type) = IntegrationEventSerializer.Deserialize(row.MessageType, row.Body);
        }
        catch (Exception e)
        {
            unreadable = true;
            return Task.FromResult<string?>(Describe(e));
        }
        unreadable = false;

        // Continue the trace of the request that wrote the row, so the dashboard shows one trace from the gateway
        // through the broker to every consumer, although the publish happens later, here.
        using var activity = row.TraceParent is { } parent
            ? RelayActivity.StartActivity("outbox publish", ActivityKind.Producer, parent)
            : null;
        try
        {
            return Confirmed(bus.Publish(message, type, context => context.MessageId = row.Id, token), options.Value.PublishTimeout);
        }
        catch (Exception e)
        {
            return Task.FromResult<string?>(Describe(e));
        }
    }

    static async Task<string?> Confirmed(Task publish, TimeSpan timeout)
    {
        try
        {
            await publish;
            return null;
        }
        catch (Exception e)
        {
            return e is OperationCanceledException ? NoConfirm(e.GetType(), timeout) : Describe(e);
        }
    }

    static string NoConfirm(Type cause, TimeSpan timeout) => $"{cause.FullName}: no broker confirm within {timeout}";

    // Type and message only: a body holds ids and times, and no exception message here quotes a value from it.
    static string Describe(Exception e)
    {
        var text = $"{e.GetType().FullName}: {e.Message}";
        return text.Length <= ErrorLength ? text : text[..ErrorLength];
    }

    async Task<OutboxBacklog> SampleBacklog(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleAsync<BacklogRow>(new CommandDefinition("""
            select count(*) filter (where parked_at is null) as waiting,
                   count(*) filter (where parked_at is not null) as parked,
                   min(occurred_at) filter (where parked_at is null) as oldest
            from outbox_message
            where sent_at is null
            """, cancellationToken: ct));
        var age = row.Oldest is { } oldest ? clock.GetUtcNow() - oldest : TimeSpan.Zero;
        return new OutboxBacklog(row.Waiting, row.Parked, age < TimeSpan.Zero ? TimeSpan.Zero : age);
    }

    /// <summary>
    /// Deletes sent outbox rows past Messaging:OutboxRetention and inbox rows past Messaging:InboxRetention, in bounded
    /// batches whose rows are claimed with SKIP LOCKED, so replicas purging at once neither wait on nor repeat each other.
    /// </summary>
    /// <returns>How many outbox and inbox rows were deleted.</returns>
    public async Task<(int Outbox, int Inbox)> Purge(CancellationToken ct)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var outbox = await DeleteInBatches("""
            delete from outbox_message where position in (
                select position from outbox_message where sent_at < @Before limit @Batch for update skip locked)
            """, now - settings.OutboxRetention, ct);
        var inbox = await DeleteInBatches("""
            delete from inbox_message where ctid in (
                select ctid from inbox_message where processed_at < @Before limit @Batch for update skip locked)
            """, now - settings.InboxRetention, ct);
        return (outbox, inbox);
    }

    async Task<int> DeleteInBatches(string sql, DateTimeOffset before, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var total = 0;
        int deleted;
        do
        {
            deleted = await connection.ExecuteAsync(new CommandDefinition(sql, new { Before = before, Batch = PurgeBatchSize }, cancellationToken: ct));
            total += deleted;
        } while (deleted == PurgeBatchSize);
        return total;
    }

    sealed record OutboxRow(long Position, Guid Id, string MessageType, string Body, string? TraceParent);

    sealed record BacklogRow(long Waiting, long Parked, DateTimeOffset? Oldest);

    sealed record Failure(long Position, string Error, bool Unreadable);

    sealed record OutboxParked(long Position, Guid Id, string MessageType, int Attempts, bool Parked);
}
