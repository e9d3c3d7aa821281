using Dapper;
using Npgsql;

namespace VirtualIop.BuildingBlocks.Messaging;

/// <summary>Outbox rows the relay parked, for an operator who has mended their cause.</summary>
public static class ParkedOutbox
{
    /// <summary>
    /// Puts every parked row back in line with its attempts cleared (its last error stays, for the record); the relay
    /// publishes it on its next pass, in its original position order.
    /// </summary>
    /// <returns>How many rows were re-queued.</returns>
    public static async Task<int> Requeue(NpgsqlConnection connection, CancellationToken ct) =>
        await connection.ExecuteAsync(new CommandDefinition(
            "update outbox_message set parked_at = null, attempts = 0 where sent_at is null and parked_at is not null",
            cancellationToken: ct));
}
