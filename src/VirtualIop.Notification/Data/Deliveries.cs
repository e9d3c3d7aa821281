using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.Notification.Domain;

namespace VirtualIop.Notification.Data;

public sealed record Delivery
{
    public Guid Id { get; init; }
    public Guid PatientId { get; init; }
    public Guid SessionId { get; init; }
    public DeliveryKind Kind { get; init; }
    public string Channel { get; init; } = "";
    public DateTimeOffset DueAt { get; init; }
    public DeliveryStatus Status { get; init; }
    public DateTimeOffset? SentAt { get; init; }
    public string? Detail { get; init; }
}

public sealed class Deliveries(NpgsqlDataSource db)
{
    const int MaxRows = 500;

    public async Task<IReadOnlyList<Delivery>> List(ClinicContext clinic, Guid? patientId, Guid? sessionId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<Delivery>(new CommandDefinition("""
            select id, patient_id, session_id, kind, channel, due_at, status, sent_at, detail
            from delivery
            where clinic_id = @Clinic
              and (@PatientId::uuid is null or patient_id = @PatientId)
              and (@SessionId::uuid is null or session_id = @SessionId)
            order by due_at, id
            limit @MaxRows
            """, new { Clinic = clinic.ClinicId, PatientId = patientId, SessionId = sessionId, MaxRows }, cancellationToken: ct));
        return rows.AsList();
    }
}
