using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Scheduling.Domain;

namespace VirtualIop.Scheduling.Data;

/// <summary>A session as the schedule reads show it: with its topic, clinician, series, status and roster.</summary>
public sealed record CohortSession(
    Guid Id, SessionKind Kind, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string TimeZone, Guid? TopicId, Guid? ClinicianId,
    Guid? SeriesId, int? OccurrenceIndex, string Status, int Sequence, IReadOnlyList<Guid> PatientIds);

/// <summary>One page of a listing and the cursor of the next, when there is more.</summary>
public sealed record SessionPage(IReadOnlyList<CohortSession> Sessions, string? NextCursor);

/// <summary>
/// The schedule reads: a cohort's sessions, a patient's and a clinician's, each in a window of start instants, paged by
/// keyset on (start, id).
/// </summary>
public sealed class ScheduleReads(NpgsqlDataSource db, PatientAudit audit)
{
    /// <returns>null when the cohort does not exist for this clinic.</returns>
    public async Task<SessionPage?> ForCohort(Guid clinicId, Guid cohortId, SessionWindow window, PageRequest page, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var exists = await conn.ExecuteScalarAsync<bool>(new CommandDefinition("""
            select exists (select 1 from cohort where clinic_id = @Clinic and id = @Cohort)
            """, new { Clinic = clinicId, Cohort = cohortId }, cancellationToken: ct));
        return exists ? await Read(conn, "s.cohort_id = @Subject", clinicId, cohortId, window, page, ct) : null;
    }

    /// <param name="wholeRoster">False for the patient themself: each session names only them, never the others in it.</param>
    public async Task<SessionPage> ForPatient(Guid clinicId, Guid patientId, SessionWindow window, PageRequest page, bool wholeRoster, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await Read(conn, """
            exists (select 1 from session_participant p where p.clinic_id = s.clinic_id and p.session_id = s.id and p.patient_id = @Subject)
            """, clinicId, patientId, window, page, ct, wholeRoster ? Roster : "array[@Subject]");
    }

    public async Task<SessionPage> ForClinician(Guid clinicId, Guid clinicianId, SessionWindow window, PageRequest page, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await Read(conn, "s.clinician_id = @Subject", clinicId, clinicianId, window, page, ct);
    }

    const string Roster = """
        array(select p.patient_id from session_participant p where p.clinic_id = s.clinic_id and p.session_id = s.id order by p.position)
        """;

    /// <param name="filter">A fixed SQL predicate from this class (never caller input) naming @Subject.</param>
    /// <param name="patients">A fixed SQL expression from this class: the patients each session shows.</param>
    async Task<SessionPage> Read(NpgsqlConnection conn, string filter, Guid clinicId, Guid subject, SessionWindow window, PageRequest page,
        CancellationToken ct, string patients = Roster)
    {
        var rows = (await conn.QueryAsync<SessionRows.Row>(new CommandDefinition($"""
            select s.id, s.kind, s.starts_at, s.ends_at, s.time_zone, s.topic_id, s.clinician_id, s.series_id, s.occurrence_index,
                   s.status, s.sequence, {patients} as patient_ids
            from session s
            where s.clinic_id = @Clinic and {filter} and s.starts_at >= @From and s.starts_at < @To
              and (@AfterStartsAt::timestamptz is null or (s.starts_at, s.id) > (@AfterStartsAt, @AfterId))
            order by s.starts_at, s.id
            limit @Take
            """,
            new { Clinic = clinicId, Subject = subject, window.From, window.To, page.AfterStartsAt, page.AfterId, page.Take },
            cancellationToken: ct))).ToList();
        var (kept, nextCursor) = page.Cut(rows, r => (r.StartsAt, r.Id));
        var sessions = kept.Select(r => new CohortSession(r.Id, SessionKinds.Parse(r.Kind), r.StartsAt, r.EndsAt, r.TimeZone,
            r.TopicId, r.ClinicianId, r.SeriesId, r.OccurrenceIndex, r.Status, r.Sequence, r.PatientIds)).ToList();
        await audit.Read(conn, sessions.SelectMany(s => s.PatientIds), ct);
        return new SessionPage(sessions, nextCursor);
    }
}
