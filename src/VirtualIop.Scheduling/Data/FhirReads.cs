using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.Scheduling.Domain;
using VirtualIop.Scheduling.Domain.Fhir;

namespace VirtualIop.Scheduling.Data;

/// <summary>
/// The rows behind the FHIR views: each patient's place in each session (on its roster, or waiting for a seat), with the
/// session, whether it is a makeup, and Attendance's outcome; and the state an Appointment's status is read from,
/// computed here so that a status filter and the keyset page agree. Every read is audited for the patients it shows.
/// </summary>
public sealed class FhirReads(NpgsqlDataSource db, PatientAudit audit)
{
    /// <summary>
    /// Places are rosters plus waitlists (a patient waiting for a seat is not on the roster yet); the state puts a
    /// cancelled session first, then waiting, then Attendance's outcome, else scheduled.
    /// </summary>
    const string Places = """
        select x.* from (
            select s.id as session_id, a.patient_id, s.kind, s.starts_at, s.ends_at, s.time_zone, s.clinician_id, s.cancel_reason,
                   (s.kind = 'makeup' or exists (select 1 from makeup m where m.clinic_id = s.clinic_id and m.session_id = s.id
                                                                       and m.patient_id = a.patient_id)) as is_makeup,
                   o.checked_in_at,
                   case when s.status = 'cancelled' then 'cancelled'
                        when a.waitlisted then 'waitlisted'
                        else coalesce(o.outcome, 'scheduled') end as state
            from (
                select p.session_id, p.patient_id, false as waitlisted from session_participant p
                where p.clinic_id = @Clinic /**patient-p**/
                union all
                select w.session_id, w.patient_id, true from waitlist_entry w
                where w.clinic_id = @Clinic /**patient-w**/
                  and not exists (select 1 from session_participant p
                                  where p.clinic_id = w.clinic_id and p.session_id = w.session_id and p.patient_id = w.patient_id)
            ) a
            join session s on s.clinic_id = @Clinic and s.id = a.session_id
            left join attendance_outcome o on o.clinic_id = @Clinic and o.session_id = s.id and o.patient_id = a.patient_id
            where true /**where**/
        ) x
        """;

    /// <returns>One patient's place in one session of this clinic; null when there is none (another clinic's included).</returns>
    public async Task<AppointmentFacts?> Find(Guid clinicId, Guid sessionId, Guid patientId, CancellationToken ct)
    {
        var sql = Places.Replace("/**patient-p**/", "and p.patient_id = @Patient and p.session_id = @Session")
            .Replace("/**patient-w**/", "and w.patient_id = @Patient and w.session_id = @Session")
            .Replace("/**where**/", "");
        await using var conn = await db.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(sql,
            new { Clinic = clinicId, Session = sessionId, Patient = patientId }, cancellationToken: ct));
        if (row is null) return null;
        await audit.Read(conn, [row.PatientId], ct);
        return row.ToFacts();
    }

    /// <returns>Up to <see cref="FhirSearchQuery.Count"/> + 1 places by (start, session, patient): the extra one tells a next page follows.</returns>
    public async Task<IReadOnlyList<AppointmentFacts>> Search(Guid clinicId, FhirSearchQuery query, CancellationToken ct)
    {
        var where = new List<string>();
        if (query.From is not null) where.Add("s.starts_at >= @From");
        if (query.Before is not null) where.Add("s.starts_at < @Before");
        if (query.After is not null) where.Add("(s.starts_at, s.id, a.patient_id) > (@AfterStartsAt, @AfterSession, @AfterPatient)");
        var sql = Places.Replace("/**patient-p**/", query.PatientId is null ? "" : "and p.patient_id = @Patient")
            .Replace("/**patient-w**/", query.PatientId is null ? "" : "and w.patient_id = @Patient")
            .Replace("/**where**/", string.Concat(where.Select(w => " and " + w)))
            + (query.States is null ? "" : " where x.state = any(@States)")
            + " order by x.starts_at, x.session_id, x.patient_id limit @Take";
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = (await conn.QueryAsync<Row>(new CommandDefinition(sql, new
        {
            Clinic = clinicId, Patient = query.PatientId, query.From, query.Before, AfterStartsAt = query.After?.StartsAt,
            AfterSession = query.After?.SessionId, AfterPatient = query.After?.PatientId,
            States = query.States?.Select(s => s.Name()).ToArray(), Take = query.Count + 1
        }, cancellationToken: ct))).ToList();
        await audit.Read(conn, rows.Take(query.Count).Select(r => r.PatientId), ct);
        return rows.Select(r => r.ToFacts()).ToList();
    }

    sealed class Row
    {
        public Guid SessionId { get; set; }
        public Guid PatientId { get; set; }
        public string Kind { get; set; } = "";
        public DateTimeOffset StartsAt { get; set; }
        public DateTimeOffset EndsAt { get; set; }
        public string TimeZone { get; set; } = "";
        public Guid? ClinicianId { get; set; }
        public string? CancelReason { get; set; }
        public bool IsMakeup { get; set; }
        public DateTimeOffset? CheckedInAt { get; set; }
        public string State { get; set; } = "";

        public AppointmentFacts ToFacts() => new(SessionId, PatientId, SessionKinds.Parse(Kind), IsMakeup, StartsAt, EndsAt, TimeZone, ClinicianId,
            AppointmentStates.Parse(State), CancelReason, CheckedInAt);
    }
}
