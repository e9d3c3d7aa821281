// Re-drives what a service parked, at once, for an operator who has mended the cause (docs/operations.md,
// "Re-driving parked messages"):
//   outbox <postgres connection string>        re-queue the service's parked outbox rows
//   errors <amqp uri> <queue> [<queue> ...]    move every message of each <queue>_error back to <queue>
using Npgsql;
using VirtualIop.BuildingBlocks.Messaging;

const string Usage = """
    usage: VirtualIop.Redrive outbox "<postgres connection string of the service's database>"
           VirtualIop.Redrive errors "<amqp uri of the virtual host>" <queue> [<queue> ...]
    """;

switch (args)
{
    case ["outbox", var database]:
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        var requeued = await ParkedOutbox.Requeue(connection, CancellationToken.None);
        Console.WriteLine($"outbox: re-queued {requeued} parked row(s)");
        return 0;
    }
    case ["errors", var broker, .. var queues] when queues.Length > 0:
    {
        await using var errorQueues = new ErrorQueues(new Uri(broker), "virtualiop-redrive");
        foreach (var queue in queues)
        {
            var result = await errorQueues.RedriveAll(queue, DateTimeOffset.UtcNow, CancellationToken.None);
            Console.WriteLine($"errors: moved {result.Moved} message(s) from {result.ErrorQueue} to {queue}; {result.Depth} left");
        }
        return 0;
    }
    default:
        Console.Error.WriteLine(Usage);
        return 2;
}
