using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Data;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Engagement.Domain;

namespace VirtualIop.Engagement.Data;

/// <summary>
/// Engagement's copy of who belongs where, from Scheduling's session events in whatever order they arrive: each
/// session's program, cohort, clinician, start and whether it was cancelled (newest session version wins, Domain:
/// SessionTimeline), each (session, patient) membership present or removed (newest membership version wins), and for
/// each patient the program, cohort and clinician of the latest-starting session they are a present member of and that
/// was not cancelled (a field a session leaves out comes from the next latest that names it). Cohort views, clinicians'
/// queues and per-program rules read it; outcomes of cancelled sessions and of removed members do not count
/// (<see cref="CountedOutcomes"/>), and the patients who had one are re-evaluated when a change makes it so.
/// </summary>
public sealed class PatientRoster(Inbox inbox, EngagementRisks risks, TimeProvider clock)
{
    /// <summary>Keeps the session's roster and knows its program (<see cref="KnownPrograms"/>), whether or not ProgramCreated came first.</summary>
    public Task<bool> Keep(SessionScheduled s, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(s, inboxKey, async (conn, tx) =>
        {
            await KnownPrograms.Learn(conn, tx, s.ClinicId, s.ProgramId, clock.GetUtcNow(), ct);
            await Change(conn, tx, new RosterChange(s.ClinicId, s.SessionId, s.Version)
            {
                Session = new SessionReport(s.StartsAt, Cancels: false, s.Version),
                Facts = (s.ProgramId, s.CohortId, s.ClinicianId, s.TopicId),
                Members = [.. s.PatientIds.Distinct()],
                Present = true
            }, ct);
        }, ct);

    public Task<bool> Reschedule(SessionRescheduled s, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(s, inboxKey, (conn, tx) => Change(conn, tx, new RosterChange(s.ClinicId, s.SessionId, s.Version)
        {
            Session = new SessionReport(s.StartsAt, Cancels: false, s.Version)
        }, ct), ct);

    public Task<bool> Cancel(SessionCancelled s, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(s, inboxKey, (conn, tx) => Change(conn, tx, new RosterChange(s.ClinicId, s.SessionId, s.Version)
        {
            Session = new SessionReport(s.StartsAt, Cancels: true, s.Version)
        }, ct), ct);

    /// <summary>A patient who joins a session takes its program, cohort and clinician once the session is known.</summary>
    public Task<bool> Join(SessionParticipantAdded added, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(added, inboxKey, (conn, tx) => Change(conn, tx, new RosterChange(added.ClinicId, added.SessionId, added.Version)
        {
            StartsAt = added.StartsAt,
            Members = [added.PatientId],
            Present = true
        }, ct), ct);

    public Task<bool> Leave(SessionParticipantRemoved removed, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(removed, inboxKey, (conn, tx) => Change(conn, tx, new RosterChange(removed.ClinicId, removed.SessionId, removed.Version)
        {
            Members = [removed.PatientId],
            Present = false
        }, ct), ct);

    async Task Change(NpgsqlConnection conn, NpgsqlTransaction tx, RosterChange change, CancellationToken ct)
    {
        var key = new { Clinic = change.ClinicId, change.SessionId };
        // The session's row is the lock that orders every report about the session; the insert waits for a concurrent
        // first report to commit.
        await conn.ExecuteAsync(new CommandDefinition("""
            insert into session_roster (clinic_id, session_id, starts_at, version, cancelled)
            values (@Clinic, @SessionId, null, 0, false)
            on conflict (clinic_id, session_id) do nothing
            """, key, tx, cancellationToken: ct));
        var kept = await conn.QuerySingleAsync<SessionRow>(new CommandDefinition("""
            select starts_at, cancelled, version from session_roster where clinic_id = @Clinic and session_id = @SessionId for update
            """, key, tx, cancellationToken: ct));
        var standing = new SessionStanding(kept.StartsAt, kept.Cancelled, kept.Version);
        if (change.Session is { } report) standing = SessionTimeline.Apply(standing, report);
        else if (standing.StartsAt is null && change.StartsAt is { } start) standing = standing with { StartsAt = start };

        // Program, cohort and clinician never change once scheduled, so a late SessionScheduled fills them in whatever
        // the row's version; the membership upsert applies only versions newer than the one kept per patient.
        await conn.ExecuteAsync(new CommandDefinition("""
            with session as (
                update session_roster set
                    starts_at = @StartsAt, cancelled = @Cancelled, version = @Version,
                    program_id = coalesce(@Program, program_id), cohort_id = coalesce(@Cohort, cohort_id),
                    clinician_id = coalesce(@Clinician, clinician_id), topic_id = coalesce(@Topic, topic_id)
                where clinic_id = @Clinic and session_id = @SessionId
            )
            insert into session_member as m (clinic_id, session_id, patient_id, present, version)
            select @Clinic, @SessionId, p, @Present, @MemberVersion from unnest(@Members) as p
            on conflict (clinic_id, session_id, patient_id) do update set present = excluded.present, version = excluded.version
            where excluded.version > m.version or (excluded.version = 0 and m.version = 0)
            """,
            new
            {
                Clinic = change.ClinicId, change.SessionId, standing.StartsAt, standing.Cancelled, standing.Version,
                Program = change.Facts.Program, Cohort = change.Facts.Cohort, Clinician = change.Facts.Clinician, Topic = change.Facts.Topic,
                change.Members, change.Present, MemberVersion = Versions.Of(change.Version)
            }, tx, cancellationToken: ct));

        var members = (await conn.QueryAsync<Guid>(new CommandDefinition("""
            select patient_id from session_member where clinic_id = @Clinic and session_id = @SessionId order by patient_id
            """, key, tx, cancellationToken: ct))).ToArray();
        // Another session's report may re-derive the same patients at once: one order for every transaction.
        await conn.ExecuteAsync(new CommandDefinition("""
            select pg_advisory_xact_lock(hashtextextended(@Clinic::text || p::text, 0)) from unnest(@Members) with ordinality as m(p, n) order by n
            """, new { Clinic = change.ClinicId, Members = members }, tx, cancellationToken: ct));
        await conn.ExecuteAsync(new CommandDefinition("""
            with derived as (
                select m.patient_id,
                       (array_agg(s.program_id order by s.starts_at desc, s.session_id desc) filter (where s.program_id is not null))[1] as program_id,
                       (array_agg(s.cohort_id order by s.starts_at desc, s.session_id desc) filter (where s.cohort_id is not null))[1] as cohort_id,
                       (array_agg(s.clinician_id order by s.starts_at desc, s.session_id desc) filter (where s.clinician_id is not null))[1] as clinician_id,
                       max(s.starts_at) as as_of
                from session_member m
                join session_roster s on s.clinic_id = m.clinic_id and s.session_id = m.session_id
                where m.clinic_id = @Clinic and m.patient_id = any(@Members) and m.present and not s.cancelled and s.starts_at is not null
                  and (s.program_id is not null or s.cohort_id is not null or s.clinician_id is not null)
                group by m.patient_id
            ), gone as (
                delete from patient_roster r
                where r.clinic_id = @Clinic and r.patient_id = any(@Members) and not exists (select 1 from derived d where d.patient_id = r.patient_id)
            )
            insert into patient_roster as r (clinic_id, patient_id, program_id, cohort_id, clinician_id, as_of, updated_at)
            select @Clinic, patient_id, program_id, cohort_id, clinician_id, as_of, @Now from derived
            on conflict (clinic_id, patient_id) do update set
                program_id = excluded.program_id, cohort_id = excluded.cohort_id, clinician_id = excluded.clinician_id,
                as_of = excluded.as_of, updated_at = excluded.updated_at
            where (r.program_id, r.cohort_id, r.clinician_id, r.as_of) is distinct from (excluded.program_id, excluded.cohort_id, excluded.clinician_id, excluded.as_of)
            """, new { Clinic = change.ClinicId, Members = members, Now = clock.GetUtcNow() }, tx, cancellationToken: ct));

        await risks.ReevaluateSessionOutcomes(conn, tx, change.ClinicId, change.SessionId, ct);
    }

    /// <summary>One report about a session: session-level (Session), roster-level (Members), or both (SessionScheduled).</summary>
    /// <param name="StartsAt">A start to fill in while no session-level report gave one (a participant added before the session arrived).</param>
    sealed record RosterChange(Guid ClinicId, Guid SessionId, long? Version)
    {
        public SessionReport? Session { get; init; }
        public DateTimeOffset? StartsAt { get; init; }
        public (Guid? Program, Guid? Cohort, Guid? Clinician, Guid? Topic) Facts { get; init; }
        public Guid[] Members { get; init; } = [];
        public bool Present { get; init; }
    }

    sealed record SessionRow
    {
        public DateTimeOffset? StartsAt { get; init; }
        public bool Cancelled { get; init; }
        public long Version { get; init; }
    }
}
