using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace VirtualIop.BuildingBlocks.Messaging;

/// <summary>
/// Degraded while anything is parked: outbox rows the relay gave up on (read now) or _error messages past
/// Messaging:RedriveLimit (as the redrive worker last counted them). The service still works; an operator is due.
/// </summary>
public sealed class MessagingHealthCheck(NpgsqlDataSource db, MessagingMetrics metrics) : IHealthCheck
{
    public const string Name = "messaging";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var parkedRows = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "select count(*) from outbox_message where sent_at is null and parked_at is not null", cancellationToken: ct));
        var parkedMessages = metrics.ParkedErrorMessages;
        if (parkedRows == 0 && parkedMessages == 0) return HealthCheckResult.Healthy();
        return HealthCheckResult.Degraded(
            $"{parkedRows} parked outbox row(s), {parkedMessages} parked _error message(s); see docs/operations.md, \"Re-driving parked messages\".",
            data: new Dictionary<string, object> { ["outbox_parked"] = parkedRows, ["error_parked"] = parkedMessages });
    }
}
