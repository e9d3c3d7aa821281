using System.Text.Json;
using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Engagement.Domain;
using VirtualIop.Engagement.Messaging;

namespace VirtualIop.Engagement.Data;

public sealed record FollowUpTask
{
    public Guid Id { get; init; }
    public Guid PatientId { get; init; }
    public Guid SessionId { get; init; }
    public FollowUpReason Reason { get; init; }
    public FollowUpStatus Status { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset DueBy { get; init; }
}

public sealed class FollowUpTasks(NpgsqlDataSource db, Inbox inbox, Outbox outbox, PatientReadAudit audit, TimeProvider clock)
{
    const int MaxRows = 500;

    /// <summary>
    /// Opens the task and writes FollowUpTaskCreated in the inbox's transaction: a redelivered event changes
    /// nothing, and a second event about the same miss finds the task already open (unique index) and announces nothing.
    /// </summary>
    public Task<bool> OpenForMiss(SessionMissed missed, CancellationToken ct) =>
        inbox.ProcessOnce(missed, nameof(OpenFollowUpOnMiss), async (conn, tx) =>
        {
            var zone = TimeZoneInfo.TryFindSystemTimeZoneById(missed.TimeZone, out var found) ? found : TimeZoneInfo.Utc;
            var task = await conn.QuerySingleOrDefaultAsync<FollowUpTask>(new CommandDefinition("""
                insert into follow_up_task (id, clinic_id, patient_id, session_id, reason, status, created_at, due_by)
                values (@Id, @ClinicId, @PatientId, @SessionId, 'sessionMissed', 'open', @Now, @DueBy)
                on conflict do nothing
                returning id, patient_id, session_id, reason, status, created_at, due_by
                """,
                new
                {
                    Id = Guid.CreateVersion7(),
                    missed.ClinicId,
                    missed.PatientId,
                    missed.SessionId,
                    Now = clock.GetUtcNow(),
                    DueBy = FollowUpDueBy.ForMissedSession(missed.DetectedAt, zone)
                }, tx, cancellationToken: ct));
            if (task is null) return;
            await outbox.Add(conn, tx, new FollowUpTaskCreated(Guid.CreateVersion7(), missed.ClinicId, task.Id, task.PatientId,
                task.SessionId, "sessionMissed", task.CreatedAt), ct);
        }, ct);

    public async Task<FollowUpTask?> Find(ClinicContext clinic, Guid id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var task = await conn.QuerySingleOrDefaultAsync<FollowUpTask>(new CommandDefinition("""
            select id, patient_id, session_id, reason, status, created_at, due_by
            from follow_up_task
            where clinic_id = @Clinic and id = @Id
            """, new { Clinic = clinic.ClinicId, Id = id }, cancellationToken: ct));
        if (task is not null) await audit.Record(conn, clinic, [task.PatientId], "followUp", ct);
        return task;
    }

    public async Task<IReadOnlyList<FollowUpTask>> List(ClinicContext clinic, Guid? patientId, FollowUpStatus? status, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<FollowUpTask>(new CommandDefinition("""
            select id, patient_id, session_id, reason, status, created_at, due_by
            from follow_up_task
            where clinic_id = @Clinic
              and (@PatientId::uuid is null or patient_id = @PatientId)
              and (@Status::text is null or status = @Status)
            order by due_by, id
            limit @MaxRows
            """,
            new
            {
                Clinic = clinic.ClinicId,
                PatientId = patientId,
                Status = status is { } s ? JsonNamingPolicy.CamelCase.ConvertName(s.ToString()) : null,
                MaxRows
            }, cancellationToken: ct));
        var tasks = rows.AsList();
        await audit.Record(conn, clinic, tasks.Select(t => t.PatientId), "followUps", ct);
        return tasks;
    }
}
