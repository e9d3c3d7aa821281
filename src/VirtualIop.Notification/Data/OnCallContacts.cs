using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Data;

namespace VirtualIop.Notification.Data;

/// <summary>Who a program's unacknowledged safety checks escalate to: an email address, an E.164 phone number, or both.</summary>
public sealed record OnCallContact(Guid ProgramId, string? Email, string? Phone, string UpdatedBy, DateTimeOffset UpdatedAt);

public sealed class OnCallContacts(NpgsqlDataSource db, TimeProvider clock)
{
    /// <returns>null for a program Notification does not know for the clinic; nothing written.</returns>
    public async Task<OnCallContact?> Save(ClinicContext clinic, Guid programId, string? email, string? phone, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<OnCallContact>(new CommandDefinition($"""
            insert into program_on_call (clinic_id, program_id, email, phone, updated_by, updated_at)
            select @Clinic, @Program, @Email, @Phone, @Client, @Now
            where {KnownPrograms.IsKnown}
            on conflict (clinic_id, program_id) do update
                set email = excluded.email, phone = excluded.phone, updated_by = excluded.updated_by, updated_at = excluded.updated_at
            returning program_id, email, phone, updated_by, updated_at
            """, new { Clinic = clinic.ClinicId, Program = programId, Email = email, Phone = phone, Client = clinic.ClientId, Now = clock.GetUtcNow() },
            cancellationToken: ct));
    }

    public async Task<OnCallContact?> Find(ClinicContext clinic, Guid programId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<OnCallContact>(new CommandDefinition("""
            select program_id, email, phone, updated_by, updated_at from program_on_call where clinic_id = @Clinic and program_id = @Program
            """, new { Clinic = clinic.ClinicId, Program = programId }, cancellationToken: ct));
    }
}
