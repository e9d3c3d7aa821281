using Dapper;
using Npgsql;
using VirtualIop.Scheduling.Domain;

namespace VirtualIop.Scheduling.Data;

/// <summary>Per-program makeup settings; a program that never set them gets <see cref="MakeupSettings.Default"/>.</summary>
public sealed class MakeupSettingsStore(NpgsqlDataSource db, TimeProvider clock)
{
    /// <returns>false when the program does not exist for this clinic (nothing written).</returns>
    public async Task<bool> Replace(Guid clinicId, Guid programId, MakeupSettings settings, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition("""
            insert into program_makeup_settings (clinic_id, program_id, allowed_kinds, expiry_days, search_window_days, one_on_one_minutes,
                                                 recording_completion_share, updated_at)
            select p.clinic_id, p.id, @Kinds, @ExpiryDays, @SearchWindowDays, @OneOnOneMinutes, @RecordingCompletionShare, @Now
            from program p where p.clinic_id = @Clinic and p.id = @Program
            on conflict (clinic_id, program_id) do update
            set allowed_kinds = excluded.allowed_kinds, expiry_days = excluded.expiry_days, search_window_days = excluded.search_window_days,
                one_on_one_minutes = excluded.one_on_one_minutes, recording_completion_share = excluded.recording_completion_share,
                updated_at = excluded.updated_at
            """,
            new
            {
                Clinic = clinicId, Program = programId, Kinds = settings.AllowedKinds.Select(k => k.Name()).ToArray(), settings.ExpiryDays,
                settings.SearchWindowDays, settings.OneOnOneMinutes, settings.RecordingCompletionShare, Now = clock.GetUtcNow()
            }, cancellationToken: ct)) == 1;
    }

    /// <returns>null when the program does not exist for this clinic.</returns>
    public async Task<MakeupSettings?> Find(Guid clinicId, Guid programId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var exists = await conn.ExecuteScalarAsync<bool>(new CommandDefinition("""
            select exists (select 1 from program where clinic_id = @Clinic and id = @Program)
            """, new { Clinic = clinicId, Program = programId }, cancellationToken: ct));
        return exists ? await Find(conn, null, clinicId, programId, ct) : null;
    }

    /// <summary>The program's settings, or the defaults when it has none.</summary>
    public static async Task<MakeupSettings> Find(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid clinicId, Guid programId, CancellationToken ct)
    {
        var row = await conn.QuerySingleOrDefaultAsync<Row>(new CommandDefinition("""
            select allowed_kinds, expiry_days, search_window_days, one_on_one_minutes, recording_completion_share
            from program_makeup_settings where clinic_id = @Clinic and program_id = @Program
            """, new { Clinic = clinicId, Program = programId }, tx, cancellationToken: ct));
        return row is null
            ? MakeupSettings.Default
            : new MakeupSettings(row.AllowedKinds.Select(MakeupKinds.Parse).ToList(), row.ExpiryDays, row.SearchWindowDays, row.OneOnOneMinutes,
                row.RecordingCompletionShare);
    }

    sealed class Row
    {
        public string[] AllowedKinds { get; set; } = [];
        public int ExpiryDays { get; set; }
        public int SearchWindowDays { get; set; }
        public int OneOnOneMinutes { get; set; }
        public decimal RecordingCompletionShare { get; set; }
    }
}
