using System.Globalization;
using System.Text.Json;
using Dapper;
using Npgsql;
using VirtualIop.Scheduling.Domain;

namespace VirtualIop.Scheduling.Data;

public sealed class Availabilities(NpgsqlDataSource db, TimeProvider clock)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

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
                Weekly = SerializeHours(availability.WeeklyHours),
                TimeOff = JsonSerializer.Serialize(availability.TimeOff, Json),
                Now = clock.GetUtcNow()
            }, cancellationToken: ct));
    }

    /// <returns>null when the clinic has recorded no availability for the clinician.</returns>
    public static async Task<Availability?> Find(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid clinicId, Guid clinicianId, CancellationToken ct)
    {
        var row = await conn.QuerySingleOrDefaultAsync<Row>(new CommandDefinition("""
            select time_zone, weekly_hours::text as weekly_hours, time_off::text as time_off
            from clinician_availability where clinic_id = @Clinic and clinician_id = @Clinician
            """, new { Clinic = clinicId, Clinician = clinicianId }, tx, cancellationToken: ct));
        if (row is null) return null;
        return new Availability(row.TimeZone, DeserializeHours(row.WeeklyHours), JsonSerializer.Deserialize<List<TimeOff>>(row.TimeOff, Json)!);
    }

    /// <summary>Weekly hours as stored in jsonb: local "HH:mm" times, "24:00" for the end of the day.</summary>
    public static string SerializeHours(IEnumerable<WorkingHours> hours) => JsonSerializer.Serialize(hours.Select(w =>
        new StoredHours(w.Day.ToString(), w.From.ToString("HH:mm", CultureInfo.InvariantCulture),
            w.To == TimeOnly.MaxValue ? "24:00" : w.To.ToString("HH:mm", CultureInfo.InvariantCulture))), Json);

    public static IReadOnlyList<WorkingHours> DeserializeHours(string json) => JsonSerializer.Deserialize<List<StoredHours>>(json, Json)!
        .Select(h => new WorkingHours(Enum.Parse<DayOfWeek>(h.Day), TimeOnly.Parse(h.From, CultureInfo.InvariantCulture),
            h.To == "24:00" ? TimeOnly.MaxValue : TimeOnly.Parse(h.To, CultureInfo.InvariantCulture))).ToList();

    public async Task<Availability?> Find(Guid clinicId, Guid clinicianId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await Find(conn, null, clinicId, clinicianId, ct);
    }

    sealed record StoredHours(string Day, string From, string To);

    sealed class Row
    {
        public string TimeZone { get; set; } = "";
        public string WeeklyHours { get; set; } = "";
        public string TimeOff { get; set; } = "";
    }
}
