using System.Globalization;
using Dapper;
using Npgsql;
using VirtualIop.Attendance.Domain;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Data;
using VirtualIop.BuildingBlocks.Http;

namespace VirtualIop.Attendance.Data;

/// <summary>One patient's billable days in the range asked for.</summary>
public sealed record PatientBillableDays(Guid PatientId, IReadOnlyList<BillableDay> Days);

/// <summary>
/// Billing: each program's settings, and the clinic's billable days over a range of local dates. The days are paged by
/// patient (keyset on the patient id): each page reads its patients' records, presence and corrections in three
/// set-based statements and leaves the rule to <see cref="BillableDays"/>.
/// </summary>
public sealed class Billing(NpgsqlDataSource db, PatientAudit audit)
{
    const string Settings = "minimum_minutes_per_day, hcpcs_code, revenue_code";

    /// <returns>The program's settings (the default until set), or null for a program the clinic's schedule has not created (or not yet told of).</returns>
    public async Task<BillingSettings?> Find(Guid clinicId, Guid programId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var args = new { Clinic = clinicId, Program = programId };
        if (!await conn.ExecuteScalarAsync<bool>(new CommandDefinition($"select {KnownPrograms.IsKnown}", args, cancellationToken: ct))) return null;
        return (await conn.QuerySingleOrDefaultAsync<SettingsRow>(new CommandDefinition($"""
            select {Settings} from program_billing where clinic_id = @Clinic and program_id = @Program
            """, args, cancellationToken: ct)))?.ToSettings() ?? BillingSettings.Default;
    }

    /// <returns>The settings saved, or null, with nothing written, for a program the clinic's schedule has not created (or not yet told of).</returns>
    public async Task<BillingSettings?> Save(Guid clinicId, Guid programId, BillingSettings settings, DateTimeOffset now, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var saved = await conn.QuerySingleOrDefaultAsync<SettingsRow>(new CommandDefinition($"""
            insert into program_billing (clinic_id, program_id, minimum_minutes_per_day, hcpcs_code, revenue_code, updated_at)
            select @Clinic, @Program, @MinimumMinutesPerDay, @HcpcsCode, @RevenueCode, @Now
            where {KnownPrograms.IsKnown}
            on conflict (clinic_id, program_id) do update set
                minimum_minutes_per_day = excluded.minimum_minutes_per_day, hcpcs_code = excluded.hcpcs_code,
                revenue_code = excluded.revenue_code, updated_at = excluded.updated_at
            returning {Settings}
            """,
            new { Clinic = clinicId, Program = programId, settings.MinimumMinutesPerDay, settings.HcpcsCode, settings.RevenueCode, Now = now },
            cancellationToken: ct));
        return saved?.ToSettings();
    }

    /// <summary>
    /// A page of the clinic's patients who attended a program session (present, late or partial, not cancelled) whose
    /// local date lies in [<paramref name="from"/>, <paramref name="to"/>], by patient id, each with their billable days
    /// in that range. A patient without a billable day is left out, so a page may hold fewer patients than its limit;
    /// the cursor still moves past them.
    /// </summary>
    public async Task<(IReadOnlyList<PatientBillableDays> Patients, string? NextCursor)> Days(Guid clinicId, DateOnly from, DateOnly to, PageRequest page,
        CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        // Time zones lie within a day of UTC: the index narrows by instant, the local date then decides.
        var range = new
        {
            Clinic = clinicId,
            From = from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            To = to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Earliest = new DateTimeOffset(from.AddDays(-1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
            Latest = new DateTimeOffset(to.AddDays(2).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
        };
        const string InRange = """
            s.clinic_id = @Clinic and s.cancelled_at is null and s.imported_at is null and s.program_id is not null
            and s.starts_at >= @Earliest and s.starts_at < @Latest
            and (s.starts_at at time zone s.time_zone)::date between @From::date and @To::date
            and r.outcome in ('present', 'late', 'partial')
            """;
        var fetched = (await conn.QueryAsync<Guid>(new CommandDefinition($"""
            select distinct r.patient_id
            from attendance_session s
            join attendance_record r on r.clinic_id = s.clinic_id and r.session_id = s.id
            where {InRange}
              and (@AfterId::uuid is null or r.patient_id > @AfterId)
            order by r.patient_id
            limit @Take
            """, new { range.Clinic, range.From, range.To, range.Earliest, range.Latest, page.AfterId, page.Take }, cancellationToken: ct))).ToList();
        var (patients, nextCursor) = page.Cut(fetched, p => (DateTimeOffset.UnixEpoch, p));
        if (patients.Count == 0) return ([], nextCursor);

        var ids = patients.ToArray();
        var records = (await conn.QueryAsync<RecordRow>(new CommandDefinition($"""
            select r.patient_id, s.program_id, s.id as session_id, s.kind, s.starts_at, s.ends_at,
                   to_char(s.starts_at at time zone s.time_zone, 'YYYY-MM-DD') as local_date, r.outcome,
                   (select c.outcome from attendance_correction c
                    where c.clinic_id = r.clinic_id and c.session_id = r.session_id and c.patient_id = r.patient_id
                    order by c.corrected_at desc, c.id desc limit 1) as corrected_to
            from attendance_session s
            join attendance_record r on r.clinic_id = s.clinic_id and r.session_id = s.id
            where {InRange} and r.patient_id = any(@Patients)
            """, new { range.Clinic, range.From, range.To, range.Earliest, range.Latest, Patients = ids }, cancellationToken: ct))).ToList();
        var presence = (await conn.QueryAsync<PresenceRow>(new CommandDefinition("""
            select session_id, participant_id as patient_id, joined_at, left_at from presence_interval
            where clinic_id = @Clinic and participant_kind = 'patient' and session_id = any(@Sessions) and participant_id = any(@Patients)
            """, new { Clinic = clinicId, Sessions = records.Select(r => r.SessionId).Distinct().ToArray(), Patients = ids }, cancellationToken: ct)))
            .ToLookup(p => (p.SessionId, p.PatientId), p => new PresenceInterval(p.JoinedAt, p.LeftAt));
        var settings = (await conn.QueryAsync<SettingsRow>(new CommandDefinition($"""
            select program_id, {Settings} from program_billing where clinic_id = @Clinic and program_id = any(@Programs)
            """, new { Clinic = clinicId, Programs = records.Select(r => r.ProgramId).Distinct().ToArray() }, cancellationToken: ct)))
            .ToDictionary(s => s.ProgramId, s => s.ToSettings());

        var days = records.ToLookup(r => r.PatientId, r => new AttendedSession(r.SessionId, r.ProgramId, r.Kind,
            DateOnly.ParseExact(r.LocalDate, "yyyy-MM-dd", CultureInfo.InvariantCulture), new SessionWindow(r.StartsAt, r.EndsAt),
            AttendanceOutcomes.Parse(r.Outcome), r.CorrectedTo is null ? null : AttendanceOutcomes.Parse(r.CorrectedTo),
            presence[(r.SessionId, r.PatientId)].ToList()));
        var billable = patients.Select(p => new PatientBillableDays(p, BillableDays.Of(days[p], settings))).Where(p => p.Days.Count > 0).ToList();
        await audit.Read(conn, billable.Select(p => p.PatientId), ct);
        return (billable, nextCursor);
    }

    sealed class SettingsRow
    {
        public Guid ProgramId { get; set; }
        public int MinimumMinutesPerDay { get; set; }
        public string? HcpcsCode { get; set; }
        public string? RevenueCode { get; set; }

        public BillingSettings ToSettings() => new(MinimumMinutesPerDay, HcpcsCode, RevenueCode);
    }

    sealed class RecordRow
    {
        public Guid PatientId { get; set; }
        public Guid ProgramId { get; set; }
        public Guid SessionId { get; set; }
        public string? Kind { get; set; }
        public DateTimeOffset StartsAt { get; set; }
        public DateTimeOffset EndsAt { get; set; }
        public string LocalDate { get; set; } = "";
        public string Outcome { get; set; } = "";
        public string? CorrectedTo { get; set; }
    }

    sealed class PresenceRow
    {
        public Guid SessionId { get; set; }
        public Guid PatientId { get; set; }
        public DateTimeOffset JoinedAt { get; set; }
        public DateTimeOffset? LeftAt { get; set; }
    }
}
