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
    /// <summary>An E.164 mobile number for the alerts that also go out by SMS (safety alerts); null when none is on file.</summary>
    public string? Phone { get; init; }
    public Language Language { get; init; }
}

public sealed class Clinicians(NpgsqlDataSource db, TimeProvider clock)
{
    public async Task<ClinicianContact> Save(ClinicContext clinic, ClinicianContact contact, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleAsync<ClinicianContact>(new CommandDefinition("""
            insert into clinician_contact (clinic_id, clinician_id, email, phone, language, updated_at)
            values (@Clinic, @ClinicianId, @Email, @Phone, @Language, @Now)
            on conflict (clinic_id, clinician_id) do update set email = excluded.email, phone = excluded.phone, language = excluded.language, updated_at = excluded.updated_at
            returning clinician_id, email, phone, language
            """, new
        {
            Clinic = clinic.ClinicId, contact.ClinicianId, contact.Email, contact.Phone, Language = WireName.Of(contact.Language), Now = clock.GetUtcNow()
        }, cancellationToken: ct));
    }

    public async Task<ClinicianContact?> Find(ClinicContext clinic, Guid clinicianId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<ClinicianContact>(new CommandDefinition("""
            select clinician_id, email, phone, language from clinician_contact where clinic_id = @Clinic and clinician_id = @ClinicianId
            """, new { Clinic = clinic.ClinicId, ClinicianId = clinicianId }, cancellationToken: ct));
    }
}
