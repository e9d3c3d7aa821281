using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Auth;

namespace VirtualIop.Notification.Data;

public sealed record Contact(Guid PatientId, string Email);

public sealed class Contacts(NpgsqlDataSource db, TimeProvider clock)
{
    public async Task<Contact> Save(ClinicContext clinic, Guid patientId, string email, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleAsync<Contact>(new CommandDefinition("""
            insert into contact (clinic_id, patient_id, email, updated_at)
            values (@Clinic, @PatientId, @Email, @Now)
            on conflict (clinic_id, patient_id) do update set email = excluded.email, updated_at = excluded.updated_at
            returning patient_id, email
            """, new { Clinic = clinic.ClinicId, PatientId = patientId, Email = email, Now = clock.GetUtcNow() }, cancellationToken: ct));
    }

    public async Task<Contact?> Find(ClinicContext clinic, Guid patientId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<Contact>(new CommandDefinition("""
            select patient_id, email from contact where clinic_id = @Clinic and patient_id = @PatientId
            """, new { Clinic = clinic.ClinicId, PatientId = patientId }, cancellationToken: ct));
    }
}
