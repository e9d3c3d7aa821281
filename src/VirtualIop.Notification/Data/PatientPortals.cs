using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Auth;

namespace VirtualIop.Notification.Data;

/// <summary>
/// The patient app of a clinic that runs its own: its messages link there instead of Notification:PatientPortalUrl.
/// The dispatcher reads it with each claimed delivery, so a change applies to the next message sent.
/// </summary>
public sealed class PatientPortals(NpgsqlDataSource db, TimeProvider clock)
{
    /// <summary>The clinic's own portal URL, or null when its messages use the default.</summary>
    public async Task<string?> Find(Guid clinicId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "select url from clinic_patient_portal where clinic_id = @Clinic", new { Clinic = clinicId }, cancellationToken: ct));
    }

    public async Task Save(ClinicContext clinic, string url, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            insert into clinic_patient_portal (clinic_id, url, updated_at) values (@Clinic, @Url, @Now)
            on conflict (clinic_id) do update set url = excluded.url, updated_at = excluded.updated_at
            """, new { Clinic = clinic.ClinicId, Url = url, Now = clock.GetUtcNow() }, cancellationToken: ct));
    }

    /// <returns>false when the clinic had no portal of its own.</returns>
    public async Task<bool> Remove(ClinicContext clinic, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(
            "delete from clinic_patient_portal where clinic_id = @Clinic", new { Clinic = clinic.ClinicId }, cancellationToken: ct)) > 0;
    }
}
