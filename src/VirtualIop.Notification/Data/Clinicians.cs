using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Notification.Domain;

namespace VirtualIop.Notification.Data;

/// <summary>How a clinician is reached with alerts about their patients.</summary>
public sealed record ClinicianContact
{
    public Guid ClinicianId { get; init; }
    public string Email { get; init; } = "";
    public Language Language { get; init; }
}

public sealed class Clinicians(NpgsqlDataSource db, TimeProvider clock)
{
    public async Task<ClinicianContact> Save(ClinicContext clinic, ClinicianContact contact, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleAsync<ClinicianContact>(new CommandDefinition("""
            insert into clinician_contact (clinic_id, clinician_id, email, language, updated_at)
            values (@Clinic, @ClinicianId, @Email, @Language, @Now)
            on conflict (clinic_id, clinician_id) do update set email = excluded.email, language = excluded.language, updated_at = excluded.updated_at
            returning clinician_id, email, language
            """, new
        {
            Clinic = clinic.ClinicId, contact.ClinicianId, contact.Email, Language = WireName.Of(contact.Language), Now = clock.GetUtcNow()
        }, cancellationToken: ct));
    }

    public async Task<ClinicianContact?> Find(ClinicContext clinic, Guid clinicianId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<ClinicianContact>(new CommandDefinition("""
            select clinician_id, email, language from clinician_contact where clinic_id = @Clinic and clinician_id = @ClinicianId
            """, new { Clinic = clinic.ClinicId, ClinicianId = clinicianId }, cancellationToken: ct));
    }
}
