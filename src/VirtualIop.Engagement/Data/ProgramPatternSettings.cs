using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Data;
using VirtualIop.Engagement.Domain;

namespace VirtualIop.Engagement.Data;

/// <summary>A program's pattern settings; IsDefault when the program has none of its own and the service defaults apply.</summary>
public sealed record ProgramPatternSettingsView(Guid ProgramId, bool IsDefault, PatternSettings Settings, string? UpdatedBy, DateTimeOffset? UpdatedAt);

/// <summary>
/// The pattern rules' thresholds per program. A patient's rules use their program's settings (program from the roster),
/// and the service defaults (configuration section Engagement:Patterns) when the patient has no program or the
/// program has no settings of its own.
/// </summary>
public sealed class ProgramPatternSettings(NpgsqlDataSource db, IOptions<PatternSettings> defaults, TimeProvider clock)
{
    const string Columns = """
        consecutive_misses, consecutive_misses_high, misses_in_window, window_days, attendance_threshold, minimum_sessions_for_rate,
        same_slot_absences, technical_difficulty_absences, low_motivation_absences, homework_overdue_days, suggest_family_involvement
        """;

    public PatternSettings Defaults => defaults.Value;

    /// <summary>The settings that apply to a patient, read in the caller's transaction.</summary>
    public async Task<PatternSettings> ForPatient(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinic, Guid patient, CancellationToken ct) =>
        await conn.QuerySingleOrDefaultAsync<PatternSettings>(new CommandDefinition($"""
            select {Columns}
            from patient_roster r
            join program_pattern_settings s on s.clinic_id = r.clinic_id and s.program_id = r.program_id
            where r.clinic_id = @Clinic and r.patient_id = @Patient
            """, new { Clinic = clinic, Patient = patient }, tx, cancellationToken: ct)) ?? defaults.Value;

    /// <summary>A program's settings; null for a program Engagement does not know for the clinic (<see cref="KnownPrograms"/>).</summary>
    public async Task<ProgramPatternSettingsView?> Find(ClinicContext clinic, Guid programId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await Load(conn, null, clinic.ClinicId, programId, ct);
    }

    /// <summary>Replaces a program's settings (already validated: Domain PatternSettingsRules); null for an unknown program, nothing written.</summary>
    public async Task<ProgramPatternSettingsView?> Save(ClinicContext clinic, Guid programId, PatternSettings s, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var saved = await conn.ExecuteAsync(new CommandDefinition($"""
            insert into program_pattern_settings (clinic_id, program_id, {Columns}, updated_by, updated_at)
            select @Clinic, @Program, @ConsecutiveMisses, @ConsecutiveMissesHigh, @MissesInWindow, @WindowDays, @AttendanceThreshold,
                   @MinimumSessionsForRate, @SameSlotAbsences, @TechnicalDifficultyAbsences, @LowMotivationAbsences, @HomeworkOverdueDays,
                   @SuggestFamilyInvolvement, @Client, @Now
            where {KnownPrograms.IsKnown}
            on conflict (clinic_id, program_id) do update set
                consecutive_misses = excluded.consecutive_misses, consecutive_misses_high = excluded.consecutive_misses_high,
                misses_in_window = excluded.misses_in_window, window_days = excluded.window_days,
                attendance_threshold = excluded.attendance_threshold, minimum_sessions_for_rate = excluded.minimum_sessions_for_rate,
                same_slot_absences = excluded.same_slot_absences, technical_difficulty_absences = excluded.technical_difficulty_absences,
                low_motivation_absences = excluded.low_motivation_absences, homework_overdue_days = excluded.homework_overdue_days,
                suggest_family_involvement = excluded.suggest_family_involvement, updated_by = excluded.updated_by, updated_at = excluded.updated_at
            """,
            new
            {
                Clinic = clinic.ClinicId, Program = programId, s.ConsecutiveMisses, s.ConsecutiveMissesHigh, s.MissesInWindow, s.WindowDays,
                s.AttendanceThreshold, s.MinimumSessionsForRate, s.SameSlotAbsences, s.TechnicalDifficultyAbsences, s.LowMotivationAbsences,
                s.HomeworkOverdueDays, s.SuggestFamilyInvolvement, Client = clinic.ClientId, Now = clock.GetUtcNow()
            }, tx, cancellationToken: ct));
        if (saved == 0) return null;
        var view = await Load(conn, tx, clinic.ClinicId, programId, ct);
        await tx.CommitAsync(ct);
        return view;
    }

    async Task<ProgramPatternSettingsView?> Load(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid clinic, Guid programId, CancellationToken ct)
    {
        var args = new { Clinic = clinic, Program = programId };
        var row = await conn.QuerySingleOrDefaultAsync<SettingsRow>(new CommandDefinition($"""
            select {Columns}, updated_by, updated_at from program_pattern_settings where clinic_id = @Clinic and program_id = @Program
            """, args, tx, cancellationToken: ct));
        if (row is not null)
            return new ProgramPatternSettingsView(programId, false, row.ToSettings(), row.UpdatedBy, row.UpdatedAt);
        var known = await conn.ExecuteScalarAsync<bool>(new CommandDefinition($"select {KnownPrograms.IsKnown}", args, tx, cancellationToken: ct));
        return known ? new ProgramPatternSettingsView(programId, true, defaults.Value, null, null) : null;
    }

    sealed record SettingsRow
    {
        public int ConsecutiveMisses { get; init; }
        public int ConsecutiveMissesHigh { get; init; }
        public int MissesInWindow { get; init; }
        public int WindowDays { get; init; }
        public decimal AttendanceThreshold { get; init; }
        public int MinimumSessionsForRate { get; init; }
        public int SameSlotAbsences { get; init; }
        public int TechnicalDifficultyAbsences { get; init; }
        public int LowMotivationAbsences { get; init; }
        public int HomeworkOverdueDays { get; init; }
        public bool SuggestFamilyInvolvement { get; init; }
        public string UpdatedBy { get; init; } = "";
        public DateTimeOffset UpdatedAt { get; init; }

        public PatternSettings ToSettings() => new()
        {
            ConsecutiveMisses = ConsecutiveMisses, ConsecutiveMissesHigh = ConsecutiveMissesHigh, MissesInWindow = MissesInWindow, WindowDays = WindowDays,
            AttendanceThreshold = AttendanceThreshold, MinimumSessionsForRate = MinimumSessionsForRate, SameSlotAbsences = SameSlotAbsences,
            TechnicalDifficultyAbsences = TechnicalDifficultyAbsences, LowMotivationAbsences = LowMotivationAbsences,
            HomeworkOverdueDays = HomeworkOverdueDays, SuggestFamilyInvolvement = SuggestFamilyInvolvement
        };
    }
}
