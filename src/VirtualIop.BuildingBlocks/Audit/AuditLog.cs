using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Http;

namespace VirtualIop.BuildingBlocks.Audit;

/// <summary>One audit row as the clinic reads it: who (client id), did what (read or change) to which resource of which patient, when, and the trace.</summary>
public sealed record AuditEntry(Guid Id, string ClientId, string Action, string Resource, Guid PatientId, DateTimeOffset OccurredAt, string? TraceId);

/// <summary>What a clinic asks of its audit log: optionally one patient, rows that occurred in [From, To).</summary>
public sealed record AuditQuery(Guid? PatientId, DateTimeOffset? From, DateTimeOffset? To);

/// <summary>
/// The clinic's own audit log, oldest first, paged by keyset on (occurred at, id). Reading it is itself audited: the
/// patients whose rows a page shows are recorded as read under the resource <see cref="Resource"/>.
/// </summary>
public sealed class AuditLog(NpgsqlDataSource db, PatientAudit audit)
{
    /// <summary>The resource a read of the audit log is recorded under.</summary>
    public const string Resource = "audit";

    public async Task<(IReadOnlyList<AuditEntry> Entries, string? NextCursor)> Page(Guid clinicId, AuditQuery query, PageRequest page, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = (await conn.QueryAsync<AuditEntry>(new CommandDefinition("""
            select id, client_id, action, resource, patient_id, occurred_at, trace_id
            from audit_log
            where clinic_id = @Clinic
              and (@Patient::uuid is null or patient_id = @Patient)
              and (@From::timestamptz is null or occurred_at >= @From)
              and (@To::timestamptz is null or occurred_at < @To)
              and (@AfterAt::timestamptz is null or (occurred_at, id) > (@AfterAt, @AfterId))
            order by occurred_at, id
            limit @Take
            """,
            new { Clinic = clinicId, Patient = query.PatientId, query.From, query.To, AfterAt = page.AfterStartsAt, page.AfterId, page.Take },
            cancellationToken: ct))).ToList();
        var (entries, next) = page.Cut(rows, e => (e.OccurredAt, e.Id));
        await audit.Read(conn, entries.Select(e => e.PatientId), ct);
        return (entries, next);
    }
}
