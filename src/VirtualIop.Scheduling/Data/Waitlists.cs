using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Scheduling.Domain;

namespace VirtualIop.Scheduling.Data;

/// <summary>
/// A session a makeup could take a seat in: another cohort's or an extra makeup group (no cohort), of the same program and
/// topic, within the offer's window.
/// </summary>
public sealed record SeatOption(Guid SessionId, Guid? CohortId, bool ExtraGroup, SessionKind Kind, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string TimeZone,
    int Capacity, int Seated, int Waiting);

/// <summary>
/// Extra group slots for makeups: a seat in another cohort's session on the same topic, or in an extra makeup group
/// opened for it (<see cref="ExtraGroups"/>), when it has room, otherwise a
/// place on its waitlist. Whenever a seat frees, <see cref="Promote"/> seats the first waiting patients in the same
/// transaction. Seat changes lock the session row, so concurrent takers and promotions never overfill a session.
/// </summary>
public sealed class Waitlists(NpgsqlDataSource db, Outbox outbox, TimeProvider clock, PatientAudit audit)
{
    /// <summary>
    /// One page of the sessions of other cohorts on the missed topic, from now until the offer expires or the search
    /// window ends, by (start, id), and the next page's cursor when more follow.
    /// </summary>
    public async Task<(IReadOnlyList<SeatOption>? Options, string? NextCursor, MakeupRefusal? Refusal)> Options(Guid clinicId, Guid makeupId,
        PageRequest page, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var (makeup, refusal) = await Makeups.LockOpen(conn, tx, clinicId, makeupId, MakeupKind.ExtraGroupSlot, now, ct);
        if (makeup is null) return (null, null, refusal);
        var settings = await MakeupSettingsStore.Find(conn, tx, clinicId, makeup.ProgramId, ct);
        var parameters = new DynamicParameters(Eligibility(clinicId, makeup, settings, now, null));
        parameters.AddDynamicParams(new { page.AfterStartsAt, page.AfterId, page.Take });
        var options = (await conn.QueryAsync<OptionRow>(new CommandDefinition($"""
            {SelectOptions}
              and (@AfterStartsAt::timestamptz is null or (s.starts_at, s.id) > (@AfterStartsAt, @AfterId))
            order by s.starts_at, s.id
            limit @Take
            """, parameters, tx, cancellationToken: ct))).ToList();
        var (kept, nextCursor) = page.Cut(options, o => (o.StartsAt, o.SessionId));
        await audit.Read(conn, tx, [makeup.PatientId], ct);
        await tx.CommitAsync(ct);
        return (kept.Select(o => o.ToOption()).ToList(), nextCursor, null);
    }

    /// <summary>
    /// Takes a seat in <paramref name="sessionId"/> for the makeup, or a place on its waitlist when it is full. A seat
    /// announces SessionParticipantAdded and MakeupBooked; a waitlist place announces nothing until its promotion.
    /// </summary>
    public async Task<(Makeup? Makeup, MakeupRefusal? Refusal)> TakeSeat(Guid clinicId, Guid makeupId, Guid sessionId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var (makeup, refusal) = await Makeups.LockOpen(conn, tx, clinicId, makeupId, MakeupKind.ExtraGroupSlot, now, ct);
        if (makeup is null) return (null, refusal);
        var found = await conn.QueryAsync<Guid>(new CommandDefinition("""
            select id from session where clinic_id = @Clinic and id = @Session for update
            """, new { Clinic = clinicId, Session = sessionId }, tx, cancellationToken: ct));
        if (!found.Any()) return (null, MakeupRefusal.NotFound);
        var settings = await MakeupSettingsStore.Find(conn, tx, clinicId, makeup.ProgramId, ct);
        var option = await conn.QuerySingleOrDefaultAsync<OptionRow>(new CommandDefinition(SelectOptions,
            Eligibility(clinicId, makeup, settings, now, sessionId), tx, cancellationToken: ct));
        if (option is null) return (null, MakeupRefusal.SessionNotEligible);

        if (option.Seated < option.Capacity && option.Waiting == 0)
        {
            var sessionVersion = await Seat(conn, tx, clinicId, sessionId, makeup.PatientId, ct);
            var makeupVersion = await Makeups.MarkBooked(conn, tx, clinicId, makeupId, MakeupKind.ExtraGroupSlot, sessionId, now, ct);
            await outbox.AddRange(conn, tx,
            [
                new SessionParticipantAdded(Guid.CreateVersion7(now), clinicId, sessionId, makeup.PatientId, option.StartsAt, option.EndsAt, option.TimeZone,
                    sessionVersion),
                new MakeupBooked(Guid.CreateVersion7(now), clinicId, makeupId, makeup.MissedSessionId, makeup.PatientId,
                    MakeupKind.ExtraGroupSlot.Name(), sessionId, option.StartsAt, option.TimeZone, BookedAt: now, Version: makeupVersion)
            ], ct);
        }
        else
        {
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into waitlist_entry (clinic_id, session_id, patient_id, makeup_id, joined_at) values (@Clinic, @Session, @Patient, @Makeup, @Now)
                """, new { Clinic = clinicId, Session = sessionId, Patient = makeup.PatientId, Makeup = makeupId, Now = now }, tx, cancellationToken: ct));
            await Makeups.MarkBooked(conn, tx, clinicId, makeupId, MakeupKind.ExtraGroupSlot, sessionId, now, ct, status: "waitlisted");
        }
        var taken = await Makeups.Find(conn, tx, clinicId, makeupId, ct);
        await audit.Change(conn, tx, [makeup.PatientId], ct);
        await tx.CommitAsync(ct);
        return (taken, null);
    }

    /// <summary>
    /// Gives back a makeup's seat (SessionParticipantRemoved) or waitlist place before the session; the makeup is open
    /// again for another choice until it expires, and the freed seat goes to the first patient waiting.
    /// </summary>
    public async Task<(Makeup? Makeup, MakeupRefusal? Refusal)> Release(Guid clinicId, Guid makeupId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // The session is locked before the makeup, the order a cancellation takes (it locks the session, then reopens the
        // makeups booked into it); the other order deadlocked a give-back racing a cancellation of the same session.
        var seatedIn = await conn.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(
            "select session_id from makeup where clinic_id = @Clinic and id = @Id",
            new { Clinic = clinicId, Id = makeupId }, tx, cancellationToken: ct));
        if (seatedIn is { } seatedSession) await LockSessions(conn, tx, clinicId, [seatedSession], ct);
        var held = await conn.QuerySingleOrDefaultAsync<HeldRow>(new CommandDefinition("""
            select m.status, m.kind, m.session_id, m.patient_id, s.starts_at
            from makeup m left join session s on s.clinic_id = m.clinic_id and s.id = m.session_id
            where m.clinic_id = @Clinic and m.id = @Id
            for update of m
            """, new { Clinic = clinicId, Id = makeupId }, tx, cancellationToken: ct));
        if (held is null) return (null, MakeupRefusal.NotFound);
        if (held.Kind != MakeupKind.ExtraGroupSlot.Name() || held.Status is not ("booked" or "waitlisted") || held.StartsAt <= now
            || held.SessionId is not { } sessionId || sessionId != seatedIn)
            return (null, MakeupRefusal.NotOpen);
        await conn.ExecuteAsync(new CommandDefinition("""
            delete from waitlist_entry where clinic_id = @Clinic and makeup_id = @Makeup;
            update makeup set status = 'offered', kind = null, session_id = null, booked_at = null, version = version + 1
            where clinic_id = @Clinic and id = @Makeup;
            """, new { Clinic = clinicId, Makeup = makeupId }, tx, cancellationToken: ct));
        if (held.Status == "booked")
        {
            var sessionVersion = await conn.ExecuteScalarAsync<long>(new CommandDefinition("""
                with left_session as (
                    delete from session_participant where clinic_id = @Clinic and session_id = @Session and patient_id = @Patient
                    returning session_id)
                update session s set version = s.version + 1
                from left_session l
                where s.clinic_id = @Clinic and s.id = l.session_id
                returning s.version
                """, new { Clinic = clinicId, Session = sessionId, Patient = held.PatientId }, tx, cancellationToken: ct));
            await outbox.Add(conn, tx, new SessionParticipantRemoved(Guid.CreateVersion7(now), clinicId, sessionId, held.PatientId, sessionVersion), ct);
            await Promote(conn, tx, clinicId, [sessionId], ct);
        }
        var released = await Makeups.Find(conn, tx, clinicId, makeupId, ct);
        await audit.Change(conn, tx, [held.PatientId], ct);
        await tx.CommitAsync(ct);
        return (released, null);
    }

    /// <summary>
    /// Fills the free seats of future scheduled sessions from their waitlists, first come first served, in the caller's
    /// transaction and in one statement: the entries leave the waitlist, the patients join the session and their makeups
    /// are booked; then WaitlistPromoted, SessionParticipantAdded and MakeupBooked go out for each. The session rows are
    /// locked first (in id order), so a concurrent seat taker waits for the promotion.
    /// </summary>
    public async Task<int> Promote(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, IReadOnlyCollection<Guid> sessionIds, CancellationToken ct)
    {
        if (sessionIds.Count == 0) return 0;
        var now = clock.GetUtcNow();
        await LockSessions(conn, tx, clinicId, sessionIds, ct);
        var promoted = (await conn.QueryAsync<PromotedRow>(new CommandDefinition("""
            with target as (
                select s.clinic_id, s.id, s.starts_at, s.ends_at, s.time_zone,
                       coalesce(s.capacity, c.capacity)
                           - (select count(*) from session_participant p where p.clinic_id = s.clinic_id and p.session_id = s.id) as free
                from session s left join cohort c on c.clinic_id = s.clinic_id and c.id = s.cohort_id
                where s.clinic_id = @Clinic and s.id = any(@Sessions) and s.status = 'scheduled' and s.starts_at > @Now
                  and coalesce(s.capacity, c.capacity) is not null
            ),
            ranked as (
                select w.clinic_id, w.session_id, w.patient_id, w.makeup_id, m.missed_session_id,
                       row_number() over (partition by w.session_id order by w.position) as rank
                from waitlist_entry w
                join target t on t.clinic_id = w.clinic_id and t.id = w.session_id
                join makeup m on m.clinic_id = w.clinic_id and m.id = w.makeup_id and m.status = 'waitlisted' and m.expires_at > @Now
            ),
            chosen as (
                select r.*, t.starts_at, t.ends_at, t.time_zone from ranked r join target t on t.clinic_id = r.clinic_id and t.id = r.session_id
                where r.rank <= t.free
            ),
            unlisted as (
                delete from waitlist_entry w using chosen c
                where w.clinic_id = c.clinic_id and w.session_id = c.session_id and w.patient_id = c.patient_id
            ),
            seated as (
                insert into session_participant (clinic_id, session_id, patient_id, position)
                select c.clinic_id, c.session_id, c.patient_id,
                       coalesce((select max(p.position) from session_participant p where p.clinic_id = c.clinic_id and p.session_id = c.session_id), 0) + c.rank
                from chosen c
                on conflict do nothing
            ),
            counted as (
                select session_id, count(*) as joined from chosen group by session_id
            ),
            bumped as (
                update session s set version = s.version + n.joined
                from counted n where s.clinic_id = @Clinic and s.id = n.session_id
                returning s.id, s.version
            ),
            booked as (
                update makeup m set status = 'booked', booked_at = @Now, version = m.version + 1
                from chosen c where m.clinic_id = c.clinic_id and m.id = c.makeup_id
                returning m.id, m.version
            )
            -- Each promotion is its own roster change: the k-th patient seated in a session gets the version before plus k.
            select c.session_id, c.patient_id, c.makeup_id, c.missed_session_id, c.starts_at, c.ends_at, c.time_zone,
                   b.version - n.joined + c.rank as session_version, k.version as makeup_version
            from chosen c
            join counted n on n.session_id = c.session_id
            join bumped b on b.id = c.session_id
            join booked k on k.id = c.makeup_id
            order by c.session_id, c.rank
            """, new { Clinic = clinicId, Sessions = sessionIds.ToArray(), Now = now }, tx, cancellationToken: ct))).ToList();
        await outbox.AddRange(conn, tx, promoted.SelectMany(p => new IIntegrationEvent[]
        {
            new WaitlistPromoted(Guid.CreateVersion7(now), clinicId, p.SessionId, p.PatientId, p.MakeupId, p.StartsAt, p.TimeZone, now, p.SessionVersion),
            new SessionParticipantAdded(Guid.CreateVersion7(now), clinicId, p.SessionId, p.PatientId, p.StartsAt, p.EndsAt, p.TimeZone, p.SessionVersion),
            new MakeupBooked(Guid.CreateVersion7(now), clinicId, p.MakeupId, p.MissedSessionId, p.PatientId, MakeupKind.ExtraGroupSlot.Name(),
                p.SessionId, p.StartsAt, p.TimeZone, BookedAt: now, Version: p.MakeupVersion)
        }).ToList(), ct);
        return promoted.Count;
    }

    static Task LockSessions(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, IEnumerable<Guid> sessionIds, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition("""
            select 1 from session where clinic_id = @Clinic and id = any(@Sessions) order by id for update
            """, new { Clinic = clinicId, Sessions = sessionIds.ToArray() }, tx, cancellationToken: ct));

    /// <returns>The session's version after the patient joined it.</returns>
    static Task<long> Seat(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid sessionId, Guid patientId, CancellationToken ct) =>
        conn.ExecuteScalarAsync<long>(new CommandDefinition("""
            with seated as (
                insert into session_participant (clinic_id, session_id, patient_id, position)
                select @Clinic, @Session, @Patient,
                       coalesce((select max(p.position) from session_participant p where p.clinic_id = @Clinic and p.session_id = @Session), 0) + 1
                returning session_id)
            update session s set version = s.version + 1
            from seated
            where s.clinic_id = @Clinic and s.id = seated.session_id
            returning s.version
            """, new { Clinic = clinicId, Session = sessionId, Patient = patientId }, tx, cancellationToken: ct));

    static object Eligibility(Guid clinicId, OpenMakeup makeup, MakeupSettings settings, DateTimeOffset now, Guid? sessionId)
    {
        var windowEnd = now.AddDays(settings.SearchWindowDays);
        return new
        {
            Clinic = clinicId, makeup.ProgramId, Topic = makeup.MissedTopicId, Cohort = makeup.MissedCohortId, Patient = makeup.PatientId, Now = now,
            Until = makeup.ExpiresAt < windowEnd ? makeup.ExpiresAt : windowEnd, Session = sessionId
        };
    }

    /// <summary>
    /// Another cohort's future scheduled session of the same program and topic, or an extra makeup group opened for that
    /// topic, starting before the window ends, that the patient is neither on nor waiting for; @Session narrows it to one.
    /// A cohort's session seats its cohort's capacity, an extra group its own.
    /// </summary>
    const string SelectOptions = """
        select s.id as session_id, s.cohort_id, s.extra_group, s.kind, s.starts_at, s.ends_at, s.time_zone,
               coalesce(s.capacity, c.capacity) as capacity,
               (select count(*)::int from session_participant p where p.clinic_id = s.clinic_id and p.session_id = s.id) as seated,
               (select count(*)::int from waitlist_entry w where w.clinic_id = s.clinic_id and w.session_id = s.id) as waiting
        from session s left join cohort c on c.clinic_id = s.clinic_id and c.id = s.cohort_id
        where s.clinic_id = @Clinic and s.program_id = @ProgramId and s.topic_id = @Topic
          and (s.cohort_id <> @Cohort or s.extra_group)
          and s.status = 'scheduled' and s.starts_at > @Now and s.starts_at < @Until
          and (@Session::uuid is null or s.id = @Session)
          and not exists (select 1 from session_participant p where p.clinic_id = s.clinic_id and p.session_id = s.id and p.patient_id = @Patient)
          and not exists (select 1 from waitlist_entry w where w.clinic_id = s.clinic_id and w.session_id = s.id and w.patient_id = @Patient)
        """;

    sealed class OptionRow
    {
        public Guid SessionId { get; set; }
        public Guid? CohortId { get; set; }
        public bool ExtraGroup { get; set; }
        public string Kind { get; set; } = "";
        public DateTimeOffset StartsAt { get; set; }
        public DateTimeOffset EndsAt { get; set; }
        public string TimeZone { get; set; } = "";
        public int Capacity { get; set; }
        public int Seated { get; set; }
        public int Waiting { get; set; }

        public SeatOption ToOption() => new(SessionId, CohortId, ExtraGroup, SessionKinds.Parse(Kind), StartsAt, EndsAt, TimeZone, Capacity, Seated, Waiting);
    }

    sealed class HeldRow
    {
        public string Status { get; set; } = "";
        public string? Kind { get; set; }
        public Guid? SessionId { get; set; }
        public Guid PatientId { get; set; }
        public DateTimeOffset? StartsAt { get; set; }
    }

    sealed class PromotedRow
    {
        public Guid SessionId { get; set; }
        public Guid PatientId { get; set; }
        public Guid MakeupId { get; set; }
        public Guid MissedSessionId { get; set; }
        public DateTimeOffset StartsAt { get; set; }
        public DateTimeOffset EndsAt { get; set; }
        public string TimeZone { get; set; } = "";
        public long SessionVersion { get; set; }
        public long MakeupVersion { get; set; }
    }
}
