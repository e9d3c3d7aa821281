using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Scheduling.Domain;

namespace VirtualIop.Scheduling.Data;

/// <summary>The outcome of an enrolment change: the enrolment it made, or why it was refused (nothing written then).</summary>
public sealed record EnrolmentResult(Enrolment? Enrolment, EnrolmentRefusal? Refusal)
{
    public static EnrolmentResult Refused(EnrolmentRefusal why) => new(null, why);
}

/// <summary>
/// Cohorts and their rosters. Participants follow enrolment: a patient who joins a cohort joins its future scheduled
/// sessions (those their planned frequency chooses, <see cref="WeeklyParticipation"/>), and one who leaves leaves them, each with an event in the same transaction; a seat that frees goes to the
/// first patient on the session's makeup waitlist in that same transaction.
/// </summary>
public sealed class Cohorts(NpgsqlDataSource db, Outbox outbox, Waitlists waitlists, TimeProvider clock, PatientAudit audit)
{
    const string ActiveInProgram = "enrolment_active_once_per_program";

    /// <returns>null when the program does not exist for this clinic (nothing written).</returns>
    public async Task<Cohort?> Create(Guid clinicId, NewCohort cohort, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        var id = await conn.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition("""
            insert into cohort (clinic_id, id, program_id, name, facilitator_clinician_id, capacity, time_zone, created_at, rolling)
            select @Clinic, @Id, p.id, @Name, @FacilitatorClinicianId, @Capacity, @TimeZone, @Now, @Rolling
            from program p where p.clinic_id = @Clinic and p.id = @ProgramId
            returning id
            """,
            new
            {
                Clinic = clinicId, Id = Guid.CreateVersion7(now), cohort.ProgramId, cohort.Name, cohort.FacilitatorClinicianId,
                cohort.Capacity, cohort.TimeZone, cohort.Rolling, Now = now
            }, cancellationToken: ct));
        return id is { } created ? await Find(clinicId, created, ct) : null;
    }

    /// <returns>null when no such cohort exists for this clinic.</returns>
    public async Task<Cohort?> Find(Guid clinicId, Guid id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await Find(conn, null, clinicId, id, ct);
    }

    /// <summary>As <see cref="Find(Guid, Guid, CancellationToken)"/>, for a caller that shows the cohort: its roster is audited as read.</summary>
    public async Task<Cohort?> Show(Guid clinicId, Guid id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var cohort = await Find(conn, null, clinicId, id, ct);
        if (cohort is not null) await audit.Read(conn, cohort.Roster, ct);
        return cohort;
    }

    static async Task<Cohort?> Find(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid clinicId, Guid id, CancellationToken ct)
    {
        var row = await conn.QuerySingleOrDefaultAsync<CohortRows.Row>(new CommandDefinition("""
            select c.id, c.program_id, c.name, c.facilitator_clinician_id, c.capacity, c.time_zone, c.created_at, c.rolling,
                   array(select e.patient_id from enrolment e
                         where e.clinic_id = c.clinic_id and e.cohort_id = c.id and e.ended_at is null
                         order by e.enrolled_at, e.id) as roster
            from cohort c where c.clinic_id = @Clinic and c.id = @Id
            """, new { Clinic = clinicId, Id = id }, tx, cancellationToken: ct));
        return row?.ToCohort();
    }

    /// <summary>Changes the number of seats; never below the current roster (the cohort row is locked while checking).</summary>
    /// <returns>(null, null) when the cohort does not exist for this clinic; an error when the rule refuses.</returns>
    public async Task<(Cohort? Cohort, FieldError? Error)> ChangeCapacity(Guid clinicId, Guid id, int? capacity, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        if (await LockCohort(conn, tx, clinicId, id, ct) is not { } locked) return (null, null);
        if (CohortCapacity.Check(capacity, locked.Roster) is { } error) return (null, error);
        await conn.ExecuteAsync(new CommandDefinition("""
            update cohort set capacity = @Capacity where clinic_id = @Clinic and id = @Id
            """, new { Clinic = clinicId, Id = id, Capacity = capacity }, tx, cancellationToken: ct));
        var waiting = await conn.QueryAsync<Guid>(new CommandDefinition("""
            select distinct w.session_id from waitlist_entry w join session s on s.clinic_id = w.clinic_id and s.id = w.session_id
            where w.clinic_id = @Clinic and s.cohort_id = @Id
            """, new { Clinic = clinicId, Id = id }, tx, cancellationToken: ct));
        await waitlists.Promote(conn, tx, clinicId, waiting.ToList(), ct);
        var changed = await Find(conn, tx, clinicId, id, ct);
        // The seats of the roster changed and the answer shows it.
        await audit.Change(conn, tx, changed!.Roster, ct);
        await tx.CommitAsync(ct);
        return (changed, null);
    }

    /// <summary>
    /// Enrols a patient while the cohort row is locked, so concurrent enrolments never overfill it; the partial unique
    /// index refuses a second active enrolment of the patient in the program.
    /// </summary>
    public async Task<EnrolmentResult> Enrol(Guid clinicId, Guid cohortId, Guid patientId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        if (await LockCohort(conn, tx, clinicId, cohortId, ct) is not { } cohort) return EnrolmentResult.Refused(EnrolmentRefusal.CohortNotFound);
        if (cohort.Roster >= cohort.Capacity) return EnrolmentResult.Refused(EnrolmentRefusal.CohortFull);
        var result = await Insert(conn, tx, clinicId, cohort, patientId, ct);
        if (result.Enrolment is not null)
        {
            await audit.Change(conn, tx, [patientId], ct);
            await tx.CommitAsync(ct);
        }
        return result;
    }

    /// <summary>Marks the cohort rolling or not; the roster is unchanged and shown in the answer.</summary>
    /// <returns>null when no such cohort exists for this clinic.</returns>
    public async Task<Cohort?> ChangeRolling(Guid clinicId, Guid id, bool rolling, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var changed = await conn.ExecuteAsync(new CommandDefinition("""
            update cohort set rolling = @Rolling where clinic_id = @Clinic and id = @Id
            """, new { Clinic = clinicId, Id = id, Rolling = rolling }, tx, cancellationToken: ct));
        if (changed == 0) return null;
        var cohort = await Find(conn, tx, clinicId, id, ct);
        await audit.Change(conn, tx, cohort!.Roster, ct);
        await tx.CommitAsync(ct);
        return cohort;
    }

    /// <summary>
    /// A patient discharged from a rolling cohort comes back: their latest enrolment in it is active again (no new
    /// enrolment record; the time away is kept in enrolment_absence) and they join its future sessions
    /// (SessionParticipantAdded, each session's version incremented), as an enrolment does. The cohort row is locked,
    /// so the seat count holds against concurrent enrolments; the partial unique index refuses a patient now active in
    /// another cohort of the program.
    /// </summary>
    public async Task<EnrolmentResult> Rejoin(Guid clinicId, Guid cohortId, Guid patientId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        if (await LockCohort(conn, tx, clinicId, cohortId, ct) is not { } cohort) return EnrolmentResult.Refused(EnrolmentRefusal.CohortNotFound);
        var latest = await conn.QuerySingleOrDefaultAsync<LatestEnrolment>(new CommandDefinition("""
            select id, ended_at from enrolment where clinic_id = @Clinic and cohort_id = @Cohort and patient_id = @Patient
            order by enrolled_at desc, id desc limit 1
            for update
            """, new { Clinic = clinicId, Cohort = cohortId, Patient = patientId }, tx, cancellationToken: ct));
        if (latest is null) return EnrolmentResult.Refused(EnrolmentRefusal.NotEnrolled);
        if (!cohort.Rolling) return EnrolmentResult.Refused(EnrolmentRefusal.NotRolling);
        if (latest.EndedAt is not { } leftAt) return EnrolmentResult.Refused(EnrolmentRefusal.StillEnrolled);
        if (cohort.Roster >= cohort.Capacity) return EnrolmentResult.Refused(EnrolmentRefusal.CohortFull);
        EnrolmentRow back;
        try
        {
            back = await conn.QuerySingleAsync<EnrolmentRow>(new CommandDefinition("""
                with away as (
                    insert into enrolment_absence (clinic_id, enrolment_id, left_at, rejoined_at) values (@Clinic, @Id, @LeftAt, @Now)
                )
                update enrolment set ended_at = null, end_reason = null
                where clinic_id = @Clinic and id = @Id
                returning id, cohort_id, patient_id, enrolled_at
                """, new { Clinic = clinicId, Id = latest.Id, LeftAt = leftAt, Now = now }, tx, cancellationToken: ct));
        }
        catch (PostgresException e) when (e is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: ActiveInProgram })
        {
            return EnrolmentResult.Refused(EnrolmentRefusal.AlreadyEnrolled);
        }
        var leftOut = await PlanParticipation.LeftOut(conn, tx, clinicId, cohortId, [patientId], now, now, ct);
        await JoinFutureSessions(conn, tx, clinicId, cohortId, patientId, null, leftOut.TryGetValue(patientId, out var skipped) ? [.. skipped] : null, ct);
        await audit.Change(conn, tx, [patientId], ct);
        await tx.CommitAsync(ct);
        return new EnrolmentResult(new Enrolment(back.Id, back.CohortId, back.PatientId, back.EnrolledAt), null);
    }

    /// <summary>Ends the patient's active enrolment in the cohort; the history stays.</summary>
    /// <returns>false when the patient has no active enrolment in this clinic's cohort.</returns>
    public async Task<bool> Discharge(Guid clinicId, Guid cohortId, Guid patientId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var ended = await conn.ExecuteAsync(new CommandDefinition("""
            update enrolment set ended_at = @Now, end_reason = 'discharged'
            where clinic_id = @Clinic and cohort_id = @Cohort and patient_id = @Patient and ended_at is null
            """, new { Clinic = clinicId, Cohort = cohortId, Patient = patientId, Now = clock.GetUtcNow() }, tx, cancellationToken: ct));
        if (ended == 0) return false;
        await LeaveFutureSessions(conn, tx, clinicId, cohortId, patientId, null, ct);
        await audit.Change(conn, tx, [patientId], ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// Moves a patient to another cohort of the same program in one transaction: both cohorts are locked (in id order,
    /// so two opposite transfers cannot deadlock), the old enrolment ends as "transferred" and a new one starts.
    /// </summary>
    public async Task<EnrolmentResult> Transfer(Guid clinicId, Guid fromCohortId, Guid patientId, Guid toCohortId, CancellationToken ct)
    {
        if (fromCohortId == toCohortId) return EnrolmentResult.Refused(EnrolmentRefusal.SameCohort);
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var locked = new Dictionary<Guid, LockedCohort>();
        foreach (var id in new[] { fromCohortId, toCohortId }.Order())
        {
            if (await LockCohort(conn, tx, clinicId, id, ct) is { } cohort) locked[id] = cohort;
        }
        if (!locked.TryGetValue(fromCohortId, out var from) || !locked.TryGetValue(toCohortId, out var to))
            return EnrolmentResult.Refused(EnrolmentRefusal.CohortNotFound);
        if (from.ProgramId != to.ProgramId) return EnrolmentResult.Refused(EnrolmentRefusal.OtherProgram);
        if (to.Roster >= to.Capacity) return EnrolmentResult.Refused(EnrolmentRefusal.CohortFull);

        var ended = await conn.ExecuteAsync(new CommandDefinition("""
            update enrolment set ended_at = @Now, end_reason = 'transferred'
            where clinic_id = @Clinic and cohort_id = @Cohort and patient_id = @Patient and ended_at is null
            """, new { Clinic = clinicId, Cohort = fromCohortId, Patient = patientId, Now = clock.GetUtcNow() }, tx, cancellationToken: ct));
        if (ended == 0) return EnrolmentResult.Refused(EnrolmentRefusal.NotEnrolled);
        await LeaveFutureSessions(conn, tx, clinicId, fromCohortId, patientId, null, ct);
        var result = await Insert(conn, tx, clinicId, to, patientId, ct);
        if (result.Enrolment is not null)
        {
            await audit.Change(conn, tx, [patientId], ct);
            await tx.CommitAsync(ct);
        }
        return result;
    }

    async Task<EnrolmentResult> Insert(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, LockedCohort cohort, Guid patientId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        try
        {
            var enrolment = await conn.QuerySingleAsync<EnrolmentRow>(new CommandDefinition("""
                insert into enrolment (clinic_id, id, program_id, cohort_id, patient_id, enrolled_at)
                values (@Clinic, @Id, @Program, @Cohort, @Patient, @Now)
                returning id, cohort_id, patient_id, enrolled_at
                """,
                new { Clinic = clinicId, Id = Guid.CreateVersion7(now), Program = cohort.ProgramId, Cohort = cohort.Id, Patient = patientId, Now = now },
                tx, cancellationToken: ct));
            var leftOut = await PlanParticipation.LeftOut(conn, tx, clinicId, cohort.Id, [patientId], now, now, ct);
            await JoinFutureSessions(conn, tx, clinicId, cohort.Id, patientId, null, leftOut.TryGetValue(patientId, out var skipped) ? [.. skipped] : null, ct);
            return new EnrolmentResult(new Enrolment(enrolment.Id, enrolment.CohortId, enrolment.PatientId, enrolment.EnrolledAt), null);
        }
        catch (PostgresException e) when (e is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: ActiveInProgram })
        {
            return EnrolmentResult.Refused(EnrolmentRefusal.AlreadyEnrolled);
        }
    }

    /// <summary>
    /// Puts the patient on the cohort's future scheduled sessions (only those in <paramref name="only"/> when given, none
    /// in <paramref name="except"/>), each with its version bumped and a SessionParticipantAdded, in the caller's
    /// transaction; enrolment and plan changes share it.
    /// </summary>
    public async Task JoinFutureSessions(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid cohortId, Guid patientId, Guid[]? only,
        Guid[]? except, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var joined = await conn.QueryAsync<SessionRows.Times>(new CommandDefinition("""
            with joined as (
                insert into session_participant (clinic_id, session_id, patient_id, position)
                select s.clinic_id, s.id, @Patient,
                       coalesce((select max(p.position) from session_participant p where p.clinic_id = s.clinic_id and p.session_id = s.id), 0) + 1
                from session s
                where s.clinic_id = @Clinic and s.cohort_id = @Cohort and s.status = 'scheduled' and s.starts_at > @Now
                  and (@Only::uuid[] is null or s.id = any(@Only)) and (@Except::uuid[] is null or s.id <> all(@Except))
                on conflict do nothing
                returning session_id)
            update session s set version = s.version + 1
            from joined j
            where s.clinic_id = @Clinic and s.id = j.session_id
            returning s.id as session_id, s.starts_at, s.ends_at, s.time_zone, s.version
            """, new { Clinic = clinicId, Cohort = cohortId, Patient = patientId, Now = now, Only = only, Except = except }, tx, cancellationToken: ct));
        await outbox.AddRange(conn, tx, joined.Select(IIntegrationEvent (s) =>
            new SessionParticipantAdded(Guid.CreateVersion7(now), clinicId, s.SessionId, patientId, s.StartsAt, s.EndsAt, s.TimeZone, s.Version)).ToList(), ct);
    }

    /// <summary>
    /// Takes the patient off the cohort's future scheduled sessions (only those in <paramref name="only"/> when given), each
    /// with its version bumped and a SessionParticipantRemoved, and gives the freed seats to the waitlist, in the caller's
    /// transaction; discharge, transfer and plan changes share it.
    /// </summary>
    public async Task LeaveFutureSessions(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid cohortId, Guid patientId, Guid[]? only,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var left = (await conn.QueryAsync<SessionRows.Times>(new CommandDefinition("""
            with left_sessions as (
                delete from session_participant p
                using session s
                where p.clinic_id = @Clinic and p.patient_id = @Patient
                  and s.clinic_id = p.clinic_id and s.id = p.session_id
                  and s.cohort_id = @Cohort and s.status = 'scheduled' and s.starts_at > @Now
                  and (@Only::uuid[] is null or s.id = any(@Only))
                returning p.session_id)
            update session s set version = s.version + 1
            from left_sessions l
            where s.clinic_id = @Clinic and s.id = l.session_id
            returning s.id as session_id, s.version
            """, new { Clinic = clinicId, Cohort = cohortId, Patient = patientId, Now = now, Only = only }, tx, cancellationToken: ct))).ToList();
        await outbox.AddRange(conn, tx, left.Select(IIntegrationEvent (s) =>
            new SessionParticipantRemoved(Guid.CreateVersion7(now), clinicId, s.SessionId, patientId, s.Version)).ToList(), ct);
        var freed = left.Select(s => s.SessionId).ToList();
        await waitlists.Promote(conn, tx, clinicId, freed, ct);
    }

    /// <summary>Locks the cohort row for the rest of the transaction and counts its active roster after the lock is held.</summary>
    static async Task<LockedCohort?> LockCohort(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid id, CancellationToken ct)
    {
        var cohort = await conn.QuerySingleOrDefaultAsync<LockedCohort>(new CommandDefinition("""
            select id, program_id, capacity, rolling, 0 as roster from cohort where clinic_id = @Clinic and id = @Id for update
            """, new { Clinic = clinicId, Id = id }, tx, cancellationToken: ct));
        if (cohort is null) return null;
        // A separate statement: under read committed it sees every enrolment committed before the lock was granted.
        cohort.Roster = await conn.ExecuteScalarAsync<int>(new CommandDefinition("""
            select count(*)::int from enrolment where clinic_id = @Clinic and cohort_id = @Id and ended_at is null
            """, new { Clinic = clinicId, Id = id }, tx, cancellationToken: ct));
        return cohort;
    }

    sealed class LockedCohort
    {
        public Guid Id { get; set; }
        public Guid ProgramId { get; set; }
        public int Capacity { get; set; }
        public bool Rolling { get; set; }
        public int Roster { get; set; }
    }

    sealed class LatestEnrolment
    {
        public Guid Id { get; set; }
        public DateTimeOffset? EndedAt { get; set; }
    }

    sealed class EnrolmentRow
    {
        public Guid Id { get; set; }
        public Guid CohortId { get; set; }
        public Guid PatientId { get; set; }
        public DateTimeOffset EnrolledAt { get; set; }
    }
}
