using System.Diagnostics;
using Dapper;
using Npgsql;
using VirtualIop.Contracts;

namespace VirtualIop.BuildingBlocks.Messaging;

/// <summary>
/// Writes events into the caller's transaction. Nothing is published here: the relay publishes
/// only what committed, so a rolled-back change never leaks an event.
/// </summary>
public sealed class Outbox(TimeProvider clock)
{
    public Task Add(NpgsqlConnection connection, NpgsqlTransaction transaction, IIntegrationEvent message, CancellationToken ct) =>
        AddRange(connection, transaction, [message], ct);

    public async Task AddRange(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyCollection<IIntegrationEvent> messages, CancellationToken ct)
    {
        if (messages.Count == 0) return;
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into outbox_message (id, message_type, body, occurred_at, trace_parent)
            select id, message_type, body::jsonb, @Now, @TraceParent
            from unnest(@Ids, @Types, @Bodies) as m(id, message_type, body)
            """,
            new
            {
                Ids = messages.Select(m => m.EventId).ToArray(),
                Types = messages.Select(m => IntegrationEventSerializer.TypeName(m.GetType())).ToArray(),
                Bodies = messages.Select(IntegrationEventSerializer.Serialize).ToArray(),
                Now = clock.GetUtcNow(),
                TraceParent = Activity.Current?.Id
            }, transaction, cancellationToken: ct));
    }
}
