using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Http;

namespace VirtualIop.Attendance.Data;

/// <summary>Decided outcomes counted: absences split into excused and unexcused (no-shows included in unexcused, and also counted alone).</summary>
public sealed record OutcomeCounts(int Sessions, int Pending, int Present, int Late, int Partial, int ExcusedAbsences, int UnexcusedAbsences, int NoShows)
{
    public int Decided => Sessions - Pending;

    public int Attended => Present + Late + Partial;

    /// <summary>Sessions attended (present, late or partial) as a percentage of the decided ones; null before any is decided.</summary>
    public decimal? AttendanceRate => Decided == 0 ? null : Math.Round(Attended * 100m / Decided, 2);
}

/// <param name="Week">The ISO week in the cohort's time zone, e.g. 2030-W10; WeekStartsOn is its Monday.</param>
public sealed record CohortWeek(string Week, DateOnly WeekStartsOn, int SessionCount, OutcomeCounts Outcomes);

/// <param name="Notified">An absence notice for the session is in force (given and not withdrawn).</param>
public sealed record LivePatient(Guid PatientId, string Outcome, bool InNow, bool Notified);

/// <summary>A session of the clinician's day, with who is in the room now.</summary>
public sealed record LiveSession(Guid SessionId, string? Kind, Guid? CohortId, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string TimeZone,
    bool Cancelled, IReadOnlyList<LivePatient> Patients, IReadOnlyList<Guid> StaffInNow);

/// <summary>One page of the clinician's day and the cursor of the next, when there is more.</summary>
public sealed record LiveSessionPage(IReadOnlyList<LiveSession> Sessions, string? NextCursor);

/// <summary>The attendance reads across sessions: a patient's counts, a cohort's weeks, a clinician's day. Every query names the clinic.</summary>
public sealed class AttendanceReads(NpgsqlDataSource db, PatientAudit audit)
{
    const string Counts = """
        count(*)::int as "Sessions",
        count(*) filter (where r.outcome = 'pending')::int as "Pending",
        count(*) filter (where r.outcome = 'present')::int as "Present",
        count(*) filter (where r.outcome = 'late')::int as "Late",
        count(*) filter (where r.outcome = 'partial')::int as "Partial",
        count(*) filter (where r.outcome = 'excusedAbsence')::int as "ExcusedAbsences",
        count(*) filter (where r.outcome in ('unexcusedAbsence', 'noShow'))::int as "UnexcusedAbsences",
        count(*) filter (where r.outcome = 'noShow')::int as "NoShows"
        """;

    /// <summary>The patient's outcomes over sessions starting in [from, to) (either bound optional); null when the clinic has no session for the patient.</summary>
    public async Task<OutcomeCounts?> PatientCounts(Guid clinicId, Guid patientId, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var args = new { Clinic = clinicId, Patient = patientId, From = from, To = to };
        var known = await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists (select 1 from attendance_record where clinic_id = @Clinic and patient_id = @Patient)", args, cancellationToken: ct));
        if (!known) return null;
        await audit.Read(conn, [patientId], ct);
        return await conn.QuerySingleAsync<OutcomeCounts>(new CommandDefinition($"""
            select {Counts}
            from attendance_record r
            join attendance_session s on s.clinic_id = r.clinic_id and s.id = r.session_id
            where r.clinic_id = @Clinic and r.patient_id = @Patient and s.cancelled_at is null
              and (@From::timestamptz is null or s.starts_at >= @From) and (@To::timestamptz is null or s.starts_at < @To)
            """, args, cancellationToken: ct));
    }

    /// <summary>
    /// The cohort's attendance per ISO week of the session's local time (the cohort's time zone), oldest first, for
    /// sessions starting in [from, to); cancelled sessions left out. Null when the clinic has no session of the cohort.
    /// </summary>
    public async Task<IReadOnlyList<CohortWeek>?> CohortWeeks(Guid clinicId, Guid cohortId, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var args = new { Clinic = clinicId, Cohort = cohortId, From = from, To = to };
        var known = await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists (select 1 from attendance_session where clinic_id = @Clinic and cohort_id = @Cohort)", args, cancellationToken: ct));
        if (!known) return null;
        var rows = await conn.QueryAsync<WeekRow>(new CommandDefinition($"""
            select to_char(s.starts_at at time zone s.time_zone, 'IYYY-"W"IW') as week,
                   date_trunc('week', s.starts_at at time zone s.time_zone)::date as week_starts_on,
                   count(distinct s.id)::int as session_count,
                   {Counts}
            from attendance_session s
            join attendance_record r on r.clinic_id = s.clinic_id and r.session_id = s.id
            where s.clinic_id = @Clinic and s.cohort_id = @Cohort and s.cancelled_at is null
              and (@From::timestamptz is null or s.starts_at >= @From) and (@To::timestamptz is null or s.starts_at < @To)
            group by 1, 2
            order by 2
            """, args, cancellationToken: ct));
        return rows.Select(w => new CohortWeek(w.Week, DateOnly.FromDateTime(w.WeekStartsOn), w.SessionCount,
            new OutcomeCounts(w.Sessions, w.Pending, w.Present, w.Late, w.Partial, w.ExcusedAbsences, w.UnexcusedAbsences, w.NoShows))).ToList();
    }

    /// <summary>
    /// A page of the clinician's sessions on the local day of <paramref name="now"/> in each session's time zone, by
    /// (start, id), each with its patients' outcomes and who (patients and staff) has an open presence interval now.
    /// </summary>
    public async Task<LiveSessionPage> ClinicianDay(Guid clinicId, Guid clinicianId, DateTimeOffset now, PageRequest page, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var args = new { Clinic = clinicId, Clinician = clinicianId, Now = now, page.AfterStartsAt, page.AfterId, page.Take };
        // The index narrows to two days around now; the local-date test then keeps the clinician's day in each session's zone.
        var fetched = (await conn.QueryAsync<DaySessionRow>(new CommandDefinition("""
            select s.id, s.kind, s.cohort_id, s.starts_at, s.ends_at, s.time_zone, s.cancelled_at is not null as cancelled
            from attendance_session s
            where s.clinic_id = @Clinic and s.clinician_id = @Clinician
              and s.starts_at >= @Now - interval '1 day 14 hours' and s.starts_at < @Now + interval '1 day 14 hours'
              and (s.starts_at at time zone s.time_zone)::date = (@Now at time zone s.time_zone)::date
              and (@AfterStartsAt::timestamptz is null or (s.starts_at, s.id) > (@AfterStartsAt, @AfterId))
            order by s.starts_at, s.id
            limit @Take
            """, args, cancellationToken: ct))).ToList();
        var (sessions, nextCursor) = page.Cut(fetched, s => (s.StartsAt, s.Id));
        if (sessions.Count == 0) return new LiveSessionPage([], null);
        var ids = sessions.Select(s => s.Id).ToArray();
        var patients = (await conn.QueryAsync<LivePatientRow>(new CommandDefinition("""
            select r.session_id, r.patient_id, r.outcome,
                   exists (select 1 from presence_interval i
                           where i.clinic_id = r.clinic_id and i.session_id = r.session_id and i.participant_id = r.patient_id
                             and i.participant_kind = 'patient' and i.left_at is null) as in_now,
                   exists (select 1 from absence_notice n
                           where n.clinic_id = r.clinic_id and n.session_id = r.session_id and n.patient_id = r.patient_id
                             and n.withdrawn_at is null) as notified
            from attendance_record r
            where r.clinic_id = @Clinic and r.session_id = any(@Ids)
            order by r.session_id, r.position
            """, new { Clinic = clinicId, Ids = ids }, cancellationToken: ct))).ToLookup(p => p.SessionId);
        var staff = (await conn.QueryAsync<(Guid SessionId, Guid StaffId)>(new CommandDefinition("""
            select distinct session_id, participant_id from presence_interval
            where clinic_id = @Clinic and session_id = any(@Ids) and participant_kind = 'staff' and left_at is null
            """, new { Clinic = clinicId, Ids = ids }, cancellationToken: ct))).ToLookup(s => s.SessionId, s => s.StaffId);
        await audit.Read(conn, patients.SelectMany(p => p).Select(p => p.PatientId), ct);
        return new LiveSessionPage(sessions.Select(s => new LiveSession(s.Id, s.Kind, s.CohortId, s.StartsAt, s.EndsAt, s.TimeZone, s.Cancelled,
            patients[s.Id].Select(p => new LivePatient(p.PatientId, p.Outcome, p.InNow, p.Notified)).ToList(), staff[s.Id].ToList())).ToList(), nextCursor);
    }

    sealed class WeekRow
    {
        public string Week { get; set; } = "";
        public DateTime WeekStartsOn { get; set; }
        public int SessionCount { get; set; }
        public int Sessions { get; set; }
        public int Pending { get; set; }
        public int Present { get; set; }
        public int Late { get; set; }
        public int Partial { get; set; }
        public int ExcusedAbsences { get; set; }
        public int UnexcusedAbsences { get; set; }
        public int NoShows { get; set; }
    }

    sealed class DaySessionRow
    {
        public Guid Id { get; set; }
        public string? Kind { get; set; }
        public Guid? CohortId { get; set; }
        public DateTimeOffset StartsAt { get; set; }
        public DateTimeOffset EndsAt { get; set; }
        public string TimeZone { get; set; } = "";
        public bool Cancelled { get; set; }
    }

    sealed class LivePatientRow
    {
        public Guid SessionId { get; set; }
        public Guid PatientId { get; set; }
        public string Outcome { get; set; } = "";
        public bool InNow { get; set; }
        public bool Notified { get; set; }
    }
}
