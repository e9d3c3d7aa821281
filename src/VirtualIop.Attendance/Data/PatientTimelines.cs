using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Http;

namespace VirtualIop.Attendance.Data;

/// <summary>One session in a patient's attendance timeline, with its decision, why, and the makeup that replaced it.</summary>
public sealed record TimelineEntry(
    Guid SessionId,
    string? Kind,
    Guid? ProgramId,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string TimeZone,
    string Outcome,
    string? ReasonCategory,
    string? Notes,
    string? RecordedBy,
    DateTimeOffset? RecordedAt,
    int Corrections,
    Guid? MakeupId,
    DateTimeOffset? MakeupCompletedAt);

public sealed class PatientTimelines(NpgsqlDataSource db, PatientAudit audit)
{
    /// <summary>
    /// One page of the patient's sessions in this clinic, newest first by keyset on (start, session id) (for the treatment
    /// record), and the cursor of the next page. Empty for another clinic's patient.
    /// </summary>
    public async Task<(IReadOnlyList<TimelineEntry> Entries, string? NextCursor)> For(Guid clinicId, Guid patientId, PageRequest page, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var fetched = (await conn.QueryAsync<TimelineEntry>(new CommandDefinition("""
            select s.id as "SessionId", s.kind as "Kind", s.program_id as "ProgramId", s.starts_at as "StartsAt", s.ends_at as "EndsAt",
                   s.time_zone as "TimeZone", r.outcome as "Outcome", r.reason_category as "ReasonCategory", r.notes as "Notes",
                   r.recorded_by as "RecordedBy", r.recorded_at as "RecordedAt",
                   (select count(*)::int from attendance_correction c
                    where c.clinic_id = r.clinic_id and c.session_id = r.session_id and c.patient_id = r.patient_id) as "Corrections",
                   m.makeup_id as "MakeupId", m.completed_at as "MakeupCompletedAt"
            from attendance_record r
            join attendance_session s on s.clinic_id = r.clinic_id and s.id = r.session_id
            left join makeup_completion m on m.clinic_id = r.clinic_id and m.missed_session_id = r.session_id and m.patient_id = r.patient_id
            where r.clinic_id = @Clinic and r.patient_id = @Patient
              and (@AfterId::uuid is null or (s.starts_at, s.id) < (@AfterStartsAt, @AfterId))
            order by s.starts_at desc, s.id desc
            limit @Take
            """, new { Clinic = clinicId, Patient = patientId, page.AfterStartsAt, page.AfterId, page.Take }, cancellationToken: ct))).ToList();
        if (fetched.Count > 0) await audit.Read(conn, [patientId], ct);
        return page.Cut(fetched, e => (e.StartsAt, e.SessionId));
    }
}
