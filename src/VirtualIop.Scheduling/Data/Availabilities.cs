using Dapper;
using Npgsql;
using VirtualIop.Scheduling.Domain;

namespace VirtualIop.Scheduling.Data;

public sealed class Availabilities(NpgsqlDataSource db, TimeProvider clock)
{
    public async Task Replace(Guid clinicId, Guid clinicianId, Availability availability, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            insert into clinician_availability (clinic_id, clinician_id, time_zone, weekly_hours, time_off, updated_at)
            values (@Clinic, @Clinician, @TimeZone, @Weekly::jsonb, @TimeOff::jsonb, @Now)
            on conflict (clinic_id, clinician_id) do update
            set time_zone = excluded.time_zone, weekly_hours = excluded.weekly_hours, time_off = excluded.time_off, updated_at = excluded.updated_at
            """,
            new
            {
                Clinic = clinicId, Clinician = clinicianId, availability.TimeZone,
                Weekly = HoursRows.SerializeHours(availability.WeeklyHours),
                TimeOff = HoursRows.SerializeTimeOff(availability.TimeOff),
                Now = clock.GetUtcNow()
            }, cancellationToken: ct));
    }

    /// <returns>null when the clinic has recorded no availability for the clinician.</returns>
    public static async Task<Availability?> Find(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid clinicId, Guid clinicianId, CancellationToken ct)
    {
        var row = await conn.QuerySingleOrDefaultAsync<HoursRows.Row>(new CommandDefinition("""
            select time_zone, weekly_hours::text as weekly_hours, time_off::text as time_off
            from clinician_availability where clinic_id = @Clinic and clinician_id = @Clinician
            """, new { Clinic = clinicId, Clinician = clinicianId }, tx, cancellationToken: ct));
        return row?.ToAvailability();
    }

    public async Task<Availability?> Find(Guid clinicId, Guid clinicianId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await Find(conn, null, clinicId, clinicianId, ct);
    }
}
