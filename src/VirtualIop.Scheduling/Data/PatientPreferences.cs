using Dapper;
using Npgsql;
using VirtualIop.Scheduling.Domain;
using VirtualIop.BuildingBlocks.Audit;

namespace VirtualIop.Scheduling.Data;

/// <summary>A patient's preferred hours for one-on-one makeups, kept as an <see cref="Availability"/> without time off.</summary>
public sealed class PatientPreferences(NpgsqlDataSource db, TimeProvider clock, PatientAudit audit)
{
    public async Task Replace(Guid clinicId, Guid patientId, Availability hours, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            insert into patient_preferred_hours (clinic_id, patient_id, time_zone, weekly_hours, updated_at)
            values (@Clinic, @Patient, @TimeZone, @Weekly::jsonb, @Now)
            on conflict (clinic_id, patient_id) do update
            set time_zone = excluded.time_zone, weekly_hours = excluded.weekly_hours, updated_at = excluded.updated_at
            """,
            new { Clinic = clinicId, Patient = patientId, hours.TimeZone, Weekly = HoursRows.SerializeHours(hours.WeeklyHours), Now = clock.GetUtcNow() },
            tx, cancellationToken: ct));
        await audit.Change(conn, tx, [patientId], ct);
        await tx.CommitAsync(ct);
    }

    public async Task<Availability?> Find(Guid clinicId, Guid patientId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var hours = await Find(conn, null, clinicId, patientId, ct);
        if (hours is not null) await audit.Read(conn, [patientId], ct);
        return hours;
    }

    /// <returns>null when the patient stated no preference: any time the clinician works will do.</returns>
    public static async Task<Availability?> Find(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid clinicId, Guid patientId, CancellationToken ct)
    {
        var row = await conn.QuerySingleOrDefaultAsync<HoursRows.Row>(new CommandDefinition("""
            select time_zone, weekly_hours::text as weekly_hours from patient_preferred_hours where clinic_id = @Clinic and patient_id = @Patient
            """, new { Clinic = clinicId, Patient = patientId }, tx, cancellationToken: ct));
        return row?.ToAvailability();
    }
}
