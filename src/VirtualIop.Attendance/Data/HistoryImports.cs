using Dapper;
using Npgsql;
using VirtualIop.Attendance.Domain;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Data;

namespace VirtualIop.Attendance.Data;

public enum HistoryImportStatus
{
    Imported,
    /// <summary>The clinic's schedule has not created the program (or not yet told Attendance of it).</summary>
    UnknownProgram,
    /// <summary>The cohort's sessions known here belong to another program.</summary>
    CohortOfAnotherProgram,
    /// <summary>Some session ids belong to sessions scheduled in VirtualIop, which are not history to import.</summary>
    ScheduledHere
}

/// <param name="Imported">Sessions this call brought in.</param>
/// <param name="AlreadyImported">Sessions an earlier import brought in: left as they are.</param>
/// <param name="Conflicting">With <see cref="HistoryImportStatus.ScheduledHere"/>: the sessions VirtualIop scheduled itself.</param>
public sealed record HistoryImportResult(HistoryImportStatus Status, IReadOnlyList<Guid> Imported, IReadOnlyList<Guid> AlreadyImported,
    IReadOnlyList<Guid> Conflicting)
{
    public static HistoryImportResult Refused(HistoryImportStatus status, IReadOnlyList<Guid>? conflicting = null) => new(status, [], [], conflicting ?? []);
}

/// <summary>
/// Imports a cohort's past sessions with their decided records in one transaction: the sessions are marked imported and
/// already swept (so the no-show sweep never takes them and nothing announces a miss), and each patient's standing is
/// evaluated from their whole history and kept without a warning or breach event: history is a starting point, not news.
/// A session imported before is left as it was; corrections go through the corrections endpoint.
/// </summary>
public sealed class HistoryImports(NpgsqlDataSource db, ProgramPolicies policies, PatientAudit audit)
{
    public async Task<HistoryImportResult> Import(Guid clinicId, Guid programId, Guid cohortId, string timeZone, IReadOnlyList<ImportedSession> sessions,
        string recordedBy, DateTimeOffset now, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var ids = sessions.Select(s => s.SessionId).ToArray();
        var args = new { Clinic = clinicId, Program = programId, Cohort = cohortId, Ids = ids };
        if (!await conn.ExecuteScalarAsync<bool>(new CommandDefinition($"select {KnownPrograms.IsKnown}", args, tx, cancellationToken: ct)))
            return HistoryImportResult.Refused(HistoryImportStatus.UnknownProgram);
        if (await conn.ExecuteScalarAsync<bool>(new CommandDefinition("""
                select exists (select 1 from attendance_session
                               where clinic_id = @Clinic and cohort_id = @Cohort and program_id is distinct from @Program)
                """, args, tx, cancellationToken: ct)))
            return HistoryImportResult.Refused(HistoryImportStatus.CohortOfAnotherProgram);
        var scheduledHere = (await conn.QueryAsync<Guid>(new CommandDefinition("""
            select id from attendance_session where clinic_id = @Clinic and id = any(@Ids) and imported_at is null
            union
            select id from session_placeholder where clinic_id = @Clinic and id = any(@Ids)
            """, args, tx, cancellationToken: ct))).ToList();
        if (scheduledHere.Count > 0) return HistoryImportResult.Refused(HistoryImportStatus.ScheduledHere, scheduledHere);

        var records = sessions.SelectMany(s => s.Records.Select((r, i) => (s.SessionId, Position: i + 1, Record: r))).ToList();
        // One statement: the sessions new to this clinic, then their rosters and records (an id imported before, even by a
        // concurrent call, inserts no session and so no records).
        var imported = (await conn.QueryAsync<Guid>(new CommandDefinition("""
            with new_session as (
                insert into attendance_session (clinic_id, id, starts_at, ends_at, time_zone, no_show_due_at, swept_at, recorded_at,
                                                program_id, cohort_id, imported_at)
                select @Clinic, s.id, s.starts_at, s.ends_at, @TimeZone, s.ends_at, @Now, @Now, @Program, @Cohort, @Now
                from unnest(@Ids::uuid[], @StartsAt::timestamptz[], @EndsAt::timestamptz[]) as s(id, starts_at, ends_at)
                on conflict do nothing
                returning id
            ),
            roster as (
                select r.* from unnest(@RecordSessions::uuid[], @RecordPatients::uuid[], @Positions::int[], @Outcomes::text[], @Reasons::text[],
                                       @Minutes::int[]) as r(session_id, patient_id, position, outcome, reason, minutes)
                join new_session n on n.id = r.session_id
            ),
            membership as (
                insert into session_membership (clinic_id, session_id, patient_id, version, removed)
                select @Clinic, session_id, patient_id, 0, false from roster
                on conflict do nothing
            ),
            record as (
                insert into attendance_record (clinic_id, session_id, patient_id, position, outcome, decided_at, reason_category,
                                               recorded_by, recorded_at, imported_minutes)
                select @Clinic, session_id, patient_id, position, outcome, @Now, reason, @RecordedBy, @Now, minutes from roster
                on conflict do nothing
            )
            select id from new_session
            """,
            new
            {
                Clinic = clinicId, Program = programId, Cohort = cohortId, TimeZone = timeZone, Now = now, RecordedBy = recordedBy, Ids = ids,
                StartsAt = sessions.Select(s => s.StartsAt.ToUniversalTime()).ToArray(), EndsAt = sessions.Select(s => s.EndsAt.ToUniversalTime()).ToArray(),
                RecordSessions = records.Select(r => r.SessionId).ToArray(), RecordPatients = records.Select(r => r.Record.PatientId).ToArray(),
                Positions = records.Select(r => r.Position).ToArray(), Outcomes = records.Select(r => r.Record.Outcome.Name()).ToArray(),
                Reasons = records.Select(r => r.Record.ReasonCategory?.Name()).ToArray(), Minutes = records.Select(r => r.Record.MinutesAttended).ToArray()
            }, tx, cancellationToken: ct))).ToHashSet();
        if (imported.Count == 0) return new HistoryImportResult(HistoryImportStatus.Imported, [], ids, []);

        var patients = records.Where(r => imported.Contains(r.SessionId)).Select(r => r.Record.PatientId).Distinct().ToArray();
        await policies.KeepStandingsQuietly(conn, tx, clinicId, programId, patients, now, ct);
        await audit.Change(conn, tx, patients, ct);
        await tx.CommitAsync(ct);
        return new HistoryImportResult(HistoryImportStatus.Imported, ids.Where(imported.Contains).ToList(), ids.Where(id => !imported.Contains(id)).ToList(), []);
    }
}
