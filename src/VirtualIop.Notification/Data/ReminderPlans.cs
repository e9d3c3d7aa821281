using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Data;

namespace VirtualIop.Notification.Data;

/// <summary>A program's reminder plan as the API shows it.</summary>
public sealed record ReminderPlan(Guid ProgramId, IReadOnlyList<TimeSpan> Offsets, TimeSpan? JoinAlertOffset);

/// <summary>
/// Reminder plans per program, accepted only for a program the clinic's schedule created: one Notification has heard of
/// through ProgramCreated or through a SessionScheduled that names it (<see cref="KnownPrograms"/>), so either order of
/// the two events converges.
/// </summary>
public sealed class ReminderPlans(NpgsqlDataSource db, TimeProvider clock)
{
    /// <returns>null, with nothing written, for a program Notification does not know for the clinic.</returns>
    public async Task<ReminderPlan?> Save(ClinicContext clinic, ReminderPlan plan, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<PlanRow>(new CommandDefinition($"""
            insert into reminder_plan (clinic_id, program_id, offsets, join_alert_offset, updated_at)
            select @Clinic, @ProgramId, @Offsets, @JoinAlertOffset, @Now
            where {KnownPrograms.IsKnown}
            on conflict (clinic_id, program_id) do update
            set offsets = excluded.offsets, join_alert_offset = excluded.join_alert_offset, updated_at = excluded.updated_at
            returning program_id, offsets, join_alert_offset
            """, new { Clinic = clinic.ClinicId, plan.ProgramId, Program = plan.ProgramId, Offsets = plan.Offsets.ToArray(), plan.JoinAlertOffset, Now = clock.GetUtcNow() },
            cancellationToken: ct));
        return row?.ToPlan();
    }


    public async Task<ReminderPlan?> Find(ClinicContext clinic, Guid programId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await Find(conn, null, clinic.ClinicId, programId, ct);
    }

    /// <summary>The plan of a session's program, read inside the transaction that plans the session's reminders.</summary>
    public static async Task<ReminderPlan?> Find(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid clinicId, Guid programId, CancellationToken ct)
    {
        var row = await conn.QuerySingleOrDefaultAsync<PlanRow>(new CommandDefinition("""
            select program_id, offsets, join_alert_offset from reminder_plan where clinic_id = @Clinic and program_id = @ProgramId
            """, new { Clinic = clinicId, ProgramId = programId }, tx, cancellationToken: ct));
        return row?.ToPlan();
    }

    sealed record PlanRow
    {
        public Guid ProgramId { get; init; }
        public TimeSpan[] Offsets { get; init; } = [];
        public TimeSpan? JoinAlertOffset { get; init; }

        public ReminderPlan ToPlan() => new(ProgramId, Offsets.Order().Reverse().ToList(), JoinAlertOffset);
    }
}
