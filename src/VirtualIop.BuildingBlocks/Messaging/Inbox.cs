using Dapper;
using Npgsql;
using VirtualIop.Contracts;

namespace VirtualIop.BuildingBlocks.Messaging;

/// <summary>
/// Makes a consumer's effect happen once per event: the inbox row and the effect commit in one
/// transaction, so a redelivered or republished event finds the row and changes nothing. At most
/// <c>concurrentTransactions</c> of them run at once in the replica (Messaging:ConcurrentTransactionLimit);
/// the others wait their turn in arrival order before taking a connection.
/// </summary>
public sealed class Inbox(NpgsqlDataSource db, TimeProvider clock, int concurrentTransactions)
{
    readonly SemaphoreSlim turns = new(concurrentTransactions, concurrentTransactions);

    /// <returns>false when this consumer had already processed the event.</returns>
    public async Task<bool> ProcessOnce(
        IIntegrationEvent message,
        string consumer,
        Func<NpgsqlConnection, NpgsqlTransaction, Task> effect,
        CancellationToken ct)
    {
        await turns.WaitAsync(ct);
        try
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            // A concurrent delivery of the same event blocks on this insert until the first commits, then sees the conflict.
            var first = await connection.ExecuteAsync(new CommandDefinition("""
                insert into inbox_message (message_id, consumer, processed_at) values (@MessageId, @Consumer, @Now)
                on conflict do nothing
                """, new { MessageId = message.EventId, Consumer = consumer, Now = clock.GetUtcNow() }, transaction, cancellationToken: ct));
            if (first == 0) return false;

            await effect(connection, transaction);
            await transaction.CommitAsync(ct);
            return true;
        }
        finally
        {
            turns.Release();
        }
    }
}
