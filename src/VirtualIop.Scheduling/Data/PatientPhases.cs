using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Scheduling.Domain;
using VirtualIop.Scheduling.Domain.Fhir;

namespace VirtualIop.Scheduling.Data;

/// <summary>
/// Where a patient stands in their program's phases, what they missed of the current phase that nothing addresses yet,
/// and for each such miss the makeup still open for it (by missed session id), which completes it when taken up.
/// </summary>
public sealed record PhaseStanding(Guid PatientId, Guid ProgramId, Guid CohortId, Phase Phase, int PhaseCount, DateTimeOffset? EnteredAt,
    IReadOnlyList<PhaseSession> Outstanding, IReadOnlyDictionary<Guid, Guid> OpenMakeups);

/// <summary>A follow-up session proposed to cover outstanding content; the one-on-one booking path takes it as a request as it is.</summary>
public sealed record FollowUpProposal(Guid ClinicianId, Guid PatientId, SessionKind Kind, DateTimeOffset StartsAt, int DurationMinutes, string TimeZone,
    IReadOnlyList<Guid> Covers);

/// <summary>What an advance request found: the verdict, the standing after it, and for outstanding content a follow-up proposal.</summary>
public sealed record PhaseAdvance(PhaseVerdict Verdict, PhaseStanding Standing, FollowUpProposal? Proposal);

public sealed record MissWaiver(Guid SessionId, Guid PatientId, string Reason, string WaivedBy, DateTimeOffset WaivedAt);

/// <summary>
/// The phase gate's data: a patient's current phase in the program of their active enrolment (the earliest, should
/// they be in several phased programs), the sessions of that phase they missed, and what addresses each miss: a
/// completed makeup, a catch-up package Engagement reported addressed, or a clinician's waiver.
/// </summary>
public sealed class PatientPhases(NpgsqlDataSource db, Inbox inbox, TimeProvider clock, PatientAudit audit)
{
    /// <returns>null when the patient has no active enrolment in a phased program of this clinic.</returns>
    public async Task<PhaseStanding?> Find(Guid clinicId, Guid patientId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var found = await Read(conn, tx, clinicId, patientId, forUpdate: false, ct);
        if (found is null) return null;
        await audit.Read(conn, tx, [patientId], ct);
        await tx.CommitAsync(ct);
        return found.Value.Standing;
    }

    /// <summary>
    /// Moves the patient from <paramref name="fromPhase"/> to the next phase when nothing of it is outstanding. The
    /// enrolment row is locked meanwhile, so two clinicians advancing at once move the patient one phase, not two.
    /// Refused, nothing changes; outstanding content comes with a follow-up proposal in the facilitator's next free slot.
    /// </summary>
    /// <returns>null when the patient has no active enrolment in a phased program of this clinic.</returns>
    public async Task<PhaseAdvance?> Advance(Guid clinicId, Guid patientId, int fromPhase, string actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var found = await Read(conn, tx, clinicId, patientId, forUpdate: true, ct);
        if (found is null) return null;
        var (enrolment, standing) = found.Value;
        var verdict = PhaseGate.Decide(standing.Phase.Position, standing.PhaseCount, fromPhase, standing.Outstanding);
        FollowUpProposal? proposal = null;
        if (verdict == PhaseVerdict.Advance)
        {
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into patient_phase (clinic_id, program_id, patient_id, phase, entered_at, advanced_by)
                values (@Clinic, @Program, @Patient, @Phase, @Now, @Actor)
                on conflict (clinic_id, program_id, patient_id) do update
                set phase = excluded.phase, entered_at = excluded.entered_at, advanced_by = excluded.advanced_by
                """, new { Clinic = clinicId, Program = enrolment.ProgramId, Patient = patientId, Phase = fromPhase + 1, Now = now, Actor = actor },
                tx, cancellationToken: ct));
            standing = (await Read(conn, tx, clinicId, patientId, forUpdate: false, ct))!.Value.Standing;
            await audit.Change(conn, tx, [patientId], ct);
        }
        else
        {
            if (verdict == PhaseVerdict.ContentOutstanding) proposal = await Propose(conn, tx, clinicId, enrolment, standing, now, ct);
            await audit.Read(conn, tx, [patientId], ct);
        }
        await tx.CommitAsync(ct);
        return new PhaseAdvance(verdict, standing, proposal);
    }

    /// <summary>
    /// Records a clinician's waiver of what the patient missed at a session they were expected at (or Attendance
    /// reported an outcome for); a second waiver of the same miss replaces the first.
    /// </summary>
    /// <returns>null when the clinic has no such session for this patient.</returns>
    public async Task<MissWaiver?> Waive(Guid clinicId, Guid patientId, Guid sessionId, string reason, string actor, CancellationToken ct)
    {
        var waiver = new MissWaiver(sessionId, patientId, reason, actor, clock.GetUtcNow());
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var written = await conn.ExecuteAsync(new CommandDefinition("""
            insert into missed_session_waiver (clinic_id, session_id, patient_id, reason, waived_by, waived_at)
            select s.clinic_id, s.id, @Patient, @Reason, @Actor, @Now from session s
            where s.clinic_id = @Clinic and s.id = @Session
              and (exists (select 1 from session_participant p where p.clinic_id = s.clinic_id and p.session_id = s.id and p.patient_id = @Patient)
                   or exists (select 1 from attendance_outcome o where o.clinic_id = s.clinic_id and o.session_id = s.id and o.patient_id = @Patient))
            on conflict (clinic_id, session_id, patient_id) do update
            set reason = excluded.reason, waived_by = excluded.waived_by, waived_at = excluded.waived_at
            """, new { Clinic = clinicId, Session = sessionId, Patient = patientId, waiver.Reason, Actor = actor, Now = waiver.WaivedAt },
            tx, cancellationToken: ct));
        if (written == 0) return null;
        await audit.Change(conn, tx, [patientId], ct);
        await tx.CommitAsync(ct);
        return waiver;
    }

    /// <summary>Keeps that a catch-up package is addressed, once per event (the inbox) and once per package, whenever it arrives.</summary>
    public Task<bool> RecordPackageAddressed(ContinuityPackageAddressed addressed, string consumer, CancellationToken ct) =>
        inbox.ProcessOnce(addressed, consumer, (conn, tx) => conn.ExecuteAsync(new CommandDefinition("""
            insert into continuity_package_addressed (clinic_id, package_id, session_id, patient_id, how, addressed_at)
            values (@Clinic, @Package, @Session, @Patient, @How, @AddressedAt)
            on conflict (clinic_id, package_id) do nothing
            """,
            new
            {
                Clinic = addressed.ClinicId, Package = addressed.PackageId, Session = addressed.SessionId, Patient = addressed.PatientId,
                addressed.How, addressed.AddressedAt
            }, tx, cancellationToken: ct)), ct);

    async Task<(EnrolmentRow Enrolment, PhaseStanding Standing)?> Read(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid patientId,
        bool forUpdate, CancellationToken ct)
    {
        var enrolment = await conn.QuerySingleOrDefaultAsync<EnrolmentRow>(new CommandDefinition($"""
            select e.program_id, e.cohort_id, c.facilitator_clinician_id, c.time_zone, coalesce(pp.phase, 1) as phase, pp.entered_at
            from enrolment e
            join cohort c on c.clinic_id = e.clinic_id and c.id = e.cohort_id
            left join patient_phase pp on pp.clinic_id = e.clinic_id and pp.program_id = e.program_id and pp.patient_id = e.patient_id
            where e.clinic_id = @Clinic and e.patient_id = @Patient and e.ended_at is null
              and exists (select 1 from program_phase ph where ph.clinic_id = e.clinic_id and ph.program_id = e.program_id)
            order by e.enrolled_at limit 1
            {(forUpdate ? "for update of e" : "")}
            """, new { Clinic = clinicId, Patient = patientId }, tx, cancellationToken: ct));
        if (enrolment is null) return null;
        var phases = await PhaseRows.ForProgram(conn, tx, clinicId, enrolment.ProgramId, ct);
        var phase = phases.Single(p => p.Position == enrolment.Phase);

        var sessions = (await conn.QueryAsync<SessionRow>(new CommandDefinition("""
            select s.id as session_id, t.id as topic_id, t.title as topic, s.starts_at, o.outcome
            from attendance_outcome o
            join session s on s.clinic_id = o.clinic_id and s.id = o.session_id
            join program_topic t on t.clinic_id = s.clinic_id and t.id = s.topic_id
            where o.clinic_id = @Clinic and o.patient_id = @Patient and s.status <> 'cancelled'
              and t.program_id = @Program and t.phase = @Phase
            """, new { Clinic = clinicId, Patient = patientId, Program = enrolment.ProgramId, enrolment.Phase }, tx, cancellationToken: ct)))
            .Select(s => new PhaseSession(s.SessionId, s.TopicId, s.Topic, s.StartsAt, Enum.Parse<AttendanceOutcome>(s.Outcome, ignoreCase: true)))
            .ToList();
        var remedies = await Remedies(conn, tx, clinicId, patientId, sessions.Where(s => PhaseGate.IsMiss(s.Outcome)).Select(s => s.SessionId).ToArray(), ct);
        var outstanding = PhaseGate.Outstanding(sessions, remedies);
        var openMakeups = outstanding.Count == 0
            ? new Dictionary<Guid, Guid>()
            : (await conn.QueryAsync<(Guid MissedSessionId, Guid MakeupId)>(new CommandDefinition("""
                select m.missed_session_id, m.id from makeup m
                where m.clinic_id = @Clinic and m.patient_id = @Patient and m.status in ('offered', 'waitlisted', 'booked', 'watching')
                  and m.missed_session_id = any(@Missed)
                """, new { Clinic = clinicId, Patient = patientId, Missed = outstanding.Select(o => o.SessionId).ToArray() }, tx, cancellationToken: ct)))
            .ToDictionary(m => m.MissedSessionId, m => m.MakeupId);
        return (enrolment, new PhaseStanding(patientId, enrolment.ProgramId, enrolment.CohortId, phase, phases.Count, enrolment.EnteredAt,
            outstanding, openMakeups));
    }

    static async Task<MissRemedies> Remedies(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid patientId, Guid[] missed, CancellationToken ct)
    {
        if (missed.Length == 0) return MissRemedies.None;
        var rows = (await conn.QueryAsync<(string Remedy, Guid SessionId)>(new CommandDefinition("""
            select 'makeup', m.missed_session_id from makeup m
            where m.clinic_id = @Clinic and m.patient_id = @Patient and m.status = 'completed' and m.missed_session_id = any(@Missed)
            union all
            select 'package', a.session_id from continuity_package_addressed a
            where a.clinic_id = @Clinic and a.patient_id = @Patient and a.session_id = any(@Missed)
            union all
            select 'waiver', w.session_id from missed_session_waiver w
            where w.clinic_id = @Clinic and w.patient_id = @Patient and w.session_id = any(@Missed)
            """, new { Clinic = clinicId, Patient = patientId, Missed = missed }, tx, cancellationToken: ct))).ToLookup(r => r.Remedy, r => r.SessionId);
        return new MissRemedies(rows["makeup"].ToHashSet(), rows["package"].ToHashSet(), rows["waiver"].ToHashSet());
    }

    /// <summary>
    /// One follow-up session for everything outstanding: the facilitator's next free one-on-one slot within the program's
    /// makeup search window (their hours, both sides' sessions and the patient's preferred hours respected), as long as
    /// the program's one-on-one makeups. Null when no slot is free in the window.
    /// </summary>
    static async Task<FollowUpProposal?> Propose(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, EnrolmentRow enrolment, PhaseStanding standing,
        DateTimeOffset now, CancellationToken ct)
    {
        var settings = await MakeupSettingsStore.Find(conn, tx, clinicId, enrolment.ProgramId, ct);
        var slot = (await Makeups.FreeSlots(conn, tx, clinicId, [enrolment.FacilitatorClinicianId], standing.PatientId, now + Makeups.MinimumLead,
            now.AddDays(settings.SearchWindowDays), TimeSpan.FromMinutes(settings.OneOnOneMinutes), 1, ct)).FirstOrDefault();
        return slot is null
            ? null
            : new FollowUpProposal(slot.ClinicianId, standing.PatientId, SessionKind.Makeup, slot.StartsAt, settings.OneOnOneMinutes, enrolment.TimeZone,
                standing.Outstanding.Select(s => s.SessionId).ToList());
    }

    sealed class EnrolmentRow
    {
        public Guid ProgramId { get; set; }
        public Guid CohortId { get; set; }
        public Guid FacilitatorClinicianId { get; set; }
        public string TimeZone { get; set; } = "";
        public int Phase { get; set; }
        public DateTimeOffset? EnteredAt { get; set; }
    }

    sealed class SessionRow
    {
        public Guid SessionId { get; set; }
        public Guid TopicId { get; set; }
        public string Topic { get; set; } = "";
        public DateTimeOffset StartsAt { get; set; }
        public string Outcome { get; set; } = "";
    }
}
