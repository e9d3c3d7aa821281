using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace VirtualIop.BuildingBlocks.Messaging;

/// <summary>
/// Moves messages from a queue's <c>_error</c> queue back to the queue, each exactly once even with several replicas at
/// it: a message is taken with basic.get (unacknowledged, so no one else sees it), republished to its queue with a
/// publisher confirm and only then acknowledged. A crash between the confirm and the ack leaves one copy in each
/// queue; the consumer's inbox absorbs the second. The number of redrives travels in the <see cref="RedrivesHeader"/>
/// header (MassTransit keeps transport headers when it moves a message to _error), the time of the last in
/// <see cref="RedrivenAtHeader"/>.
/// </summary>
public sealed class ErrorQueues(Uri broker, string clientName) : IAsyncDisposable
{
    public const string RedrivesHeader = "x-redrive-count";
    public const string RedrivenAtHeader = "x-redriven-at";
    const string ErrorSuffix = "_error";
    // Messages looked at per queue and pass. Those that stay are held unacknowledged until the pass ends, so basic.get
    // never returns one twice in a pass, and the pass ends when the queue has nothing more to give.
    const int MaxPerPass = 1000;

    readonly SemaphoreSlim gate = new(1, 1);
    IConnection? connection;

    public static string ErrorQueueOf(string queue) => queue + ErrorSuffix;

    /// <summary>
    /// Moves every message of <paramref name="queue"/>'s _error queue whose redrive is due under
    /// <paramref name="schedule"/> back to <paramref name="queue"/>, counting the redrive; leaves the rest where they are.
    /// Messages past Messaging:RedriveLimit stay and are counted as parked.
    /// </summary>
    public Task<RedriveResult> RedriveDue(string queue, MessagingOptions schedule, DateTimeOffset now, CancellationToken ct) =>
        Move(queue, now, (redrives, redrivenAt) =>
            redrives >= schedule.RedriveLimit ? Decision.Park
            : redrivenAt is null || now >= redrivenAt.Value + schedule.RedriveDelay(redrives) ? Decision.Move
            : Decision.Wait, resetCount: false, ct);

    /// <summary>
    /// Moves every message of <paramref name="queue"/>'s _error queue back at once, parked or not, and clears its redrive
    /// count, so it gets the whole automatic redrive window again (for use once the cause is mended).
    /// </summary>
    public Task<RedriveResult> RedriveAll(string queue, DateTimeOffset now, CancellationToken ct) =>
        Move(queue, now, (_, _) => Decision.Move, resetCount: true, ct);

    async Task<RedriveResult> Move(string queue, DateTimeOffset now, Func<int, DateTimeOffset?, Decision> decide, bool resetCount, CancellationToken ct)
    {
        var errorQueue = ErrorQueueOf(queue);
        var open = await Connection(ct);
        await using var channel = await open.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
        uint depth;
        try
        {
            depth = (await channel.QueueDeclarePassiveAsync(errorQueue, ct)).MessageCount;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            // MassTransit declares an _error queue with the first fault; none yet, nothing to move.
            return new RedriveResult(errorQueue, 0, 0, 0);
        }

        var moved = 0;
        var parked = 0;
        var held = new List<ulong>();
        try
        {
            for (var i = 0; i < MaxPerPass; i++)
            {
                var message = await channel.BasicGetAsync(errorQueue, autoAck: false, ct);
                if (message is null) break;
                var redrives = ReadInt(message.BasicProperties.Headers, RedrivesHeader);
                var redrivenAt = ReadUnixMilliseconds(message.BasicProperties.Headers, RedrivenAtHeader);
                var decision = decide(redrives, redrivenAt);
                if (decision != Decision.Move)
                {
                    held.Add(message.DeliveryTag);
                    if (decision == Decision.Park) parked++;
                    continue;
                }

                var properties = new BasicProperties(message.BasicProperties)
                {
                    Headers = new Dictionary<string, object?>(message.BasicProperties.Headers ?? new Dictionary<string, object?>())
                    {
                        [RedrivesHeader] = resetCount ? 0 : redrives + 1,
                        [RedrivenAtHeader] = now.ToUnixTimeMilliseconds()
                    }
                };
                try
                {
                    // Mandatory with tracked confirms: this returns only once the queue holds the copy, and throws when
                    // the broker refuses or cannot route it (the queue is gone); the original then stays in _error.
                    await channel.BasicPublishAsync("", queue, mandatory: true, properties, message.Body.ToArray(), ct);
                }
                catch (PublishException)
                {
                    held.Add(message.DeliveryTag);
                    continue;
                }
                await channel.BasicAckAsync(message.DeliveryTag, multiple: false, ct);
                moved++;
            }
        }
        finally
        {
            // Put back what stays, in its place; closing the channel would do the same if this fails.
            foreach (var tag in held)
            {
                if (channel.IsOpen) await channel.BasicNackAsync(tag, multiple: false, requeue: true, CancellationToken.None);
            }
        }
        return new RedriveResult(errorQueue, moved, Math.Max(0, (long)depth - moved), parked);
    }

    async Task<IConnection> Connection(CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        try
        {
            if (connection is { IsOpen: true }) return connection;
            if (connection is not null) await connection.DisposeAsync();
            connection = await new ConnectionFactory { Uri = broker, ClientProvidedName = clientName }.CreateConnectionAsync(ct);
            return connection;
        }
        finally
        {
            gate.Release();
        }
    }

    static int ReadInt(IDictionary<string, object?>? headers, string name) =>
        headers is not null && headers.TryGetValue(name, out var value) ? value switch
        {
            int i => i,
            long l => (int)l,
            byte[] text when int.TryParse(Encoding.UTF8.GetString(text), out var parsed) => parsed,
            _ => 0
        } : 0;

    static DateTimeOffset? ReadUnixMilliseconds(IDictionary<string, object?>? headers, string name) =>
        headers is not null && headers.TryGetValue(name, out var value) ? value switch
        {
            long l => DateTimeOffset.FromUnixTimeMilliseconds(l),
            int i => DateTimeOffset.FromUnixTimeMilliseconds(i),
            _ => null
        } : null;

    public async ValueTask DisposeAsync()
    {
        if (connection is not null) await connection.DisposeAsync();
        gate.Dispose();
    }

    enum Decision { Move, Wait, Park }
}

/// <summary>What one pass over an _error queue did: messages moved back, messages left, and of those how many are parked.</summary>
public sealed record RedriveResult(string ErrorQueue, int Moved, long Depth, int Parked);
