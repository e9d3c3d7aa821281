using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Audit;

namespace VirtualIop.Attendance.Data;

/// <summary>A column of the heatmap: one of the cohort's sessions (cancelled ones left out); Imported for history brought from the clinic's previous system.</summary>
public sealed record HeatmapSession(Guid SessionId, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string TimeZone, bool Imported);

/// <summary>
/// A row of the heatmap: a patient expected at any of the sessions, and their last evaluated standing under the cohort's
/// program (status goodStanding, atRisk or inBreach; null before the first evaluation), with the fewest further absences
/// that would breach a limit.
/// </summary>
public sealed record HeatmapPatient(Guid PatientId, Guid? ProgramId, string? Standing, int? AbsencesToBreach, DateTimeOffset? StandingEvaluatedAt);

/// <summary>A cell: the patient's outcome of the session as stored, and whether a completed makeup replaced the session.</summary>
public sealed record HeatmapCell(Guid PatientId, Guid SessionId, string Outcome, bool MadeUp);

/// <summary>A cohort's patients by sessions, for sessions starting in [From, To), sessions oldest first.</summary>
public sealed record CohortHeatmap(Guid CohortId, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<HeatmapSession> Sessions,
    IReadOnlyList<HeatmapPatient> Patients, IReadOnlyList<HeatmapCell> Cells);

/// <summary>The cohort heatmap read: three set-based queries, every one naming the clinic; every patient shown is audited.</summary>
public sealed class CohortHeatmaps(NpgsqlDataSource db, PatientAudit audit)
{
    /// <returns>Null when the clinic has no session of the cohort at all (another clinic's cohort included).</returns>
    public async Task<CohortHeatmap?> For(Guid clinicId, Guid cohortId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var args = new { Clinic = clinicId, Cohort = cohortId, From = from, To = to };
        var known = await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists (select 1 from attendance_session where clinic_id = @Clinic and cohort_id = @Cohort)", args, cancellationToken: ct));
        if (!known) return null;

        const string InRange = """
            s.clinic_id = @Clinic and s.cohort_id = @Cohort and s.cancelled_at is null and s.starts_at >= @From and s.starts_at < @To
            """;
        var sessions = (await conn.QueryAsync<HeatmapSession>(new CommandDefinition($"""
            select s.id as "SessionId", s.starts_at as "StartsAt", s.ends_at as "EndsAt", s.time_zone as "TimeZone",
                   s.imported_at is not null as "Imported"
            from attendance_session s
            where {InRange}
            order by s.starts_at, s.id
            """, args, cancellationToken: ct))).AsList();
        var cells = (await conn.QueryAsync<HeatmapCell>(new CommandDefinition($"""
            select r.patient_id as "PatientId", r.session_id as "SessionId", r.outcome as "Outcome",
                   exists (select 1 from makeup_completion m
                           where m.clinic_id = r.clinic_id and m.missed_session_id = r.session_id and m.patient_id = r.patient_id) as "MadeUp"
            from attendance_record r
            join attendance_session s on s.clinic_id = r.clinic_id and s.id = r.session_id
            where {InRange}
            order by r.patient_id, s.starts_at, s.id
            """, args, cancellationToken: ct))).AsList();
        // The standing under the program of the patient's latest session in range (a cohort belongs to one program).
        var patients = (await conn.QueryAsync<HeatmapPatient>(new CommandDefinition($"""
            with expected as (
                select distinct on (r.patient_id) r.patient_id, s.program_id
                from attendance_record r
                join attendance_session s on s.clinic_id = r.clinic_id and s.id = r.session_id
                where {InRange}
                order by r.patient_id, s.starts_at desc
            )
            select e.patient_id as "PatientId", e.program_id as "ProgramId", p.status as "Standing",
                   (select min((rule ->> 'absencesToBreach')::int) from jsonb_array_elements(p.rules) rule) as "AbsencesToBreach",
                   p.evaluated_at as "StandingEvaluatedAt"
            from expected e
            left join policy_standing p on p.clinic_id = @Clinic and p.program_id = e.program_id and p.patient_id = e.patient_id
            order by e.patient_id
            """, args, cancellationToken: ct))).AsList();
        await audit.Read(conn, patients.Select(p => p.PatientId), ct);
        return new CohortHeatmap(cohortId, from, to, sessions, patients, cells);
    }
}
