using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Data;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Scheduling.Domain;

namespace VirtualIop.Scheduling.Data;

/// <summary>A makeup as stored, with its place on a waitlist and the recording link once a recording was chosen.</summary>
public sealed record Makeup(
    Guid Id, Guid MissedSessionId, Guid PatientId, Guid ProgramId, IReadOnlyList<MakeupKind> OfferedKinds, string Status, MakeupKind? Kind,
    Guid? SessionId, string? RecordingUrl, int MinutesWatched, DateTimeOffset OfferedAt, DateTimeOffset ExpiresAt, DateTimeOffset? BookedAt,
    DateTimeOffset? CompletedAt, DateTimeOffset? ExpiredAt, DateTimeOffset? WithdrawnAt, int? WaitlistPosition);

/// <summary>The outcome of a makeup step: the makeup after it, or why it was refused (nothing written then).</summary>
public sealed record MakeupResult(Makeup? Makeup, MakeupRefusal? Refusal)
{
    public static MakeupResult Refused(MakeupRefusal why) => new(null, why);
}

/// <summary>
/// Makeups for missed sessions: offered when Attendance reports a miss, then taken up as a one-on-one, a recording or a
/// seat elsewhere (<see cref="Waitlists"/>), and completed or expired. Each step changes the makeup row and writes its
/// events in one transaction, with the makeup row locked, so two requests for one makeup never both take effect.
/// </summary>
public sealed class Makeups(NpgsqlDataSource db, Outbox outbox, Inbox inbox, TimeProvider clock, PatientAudit audit)
{
    /// <summary>How soon a proposed one-on-one slot may start: time for the patient to see the offer.</summary>
    public static readonly TimeSpan MinimumLead = TimeSpan.FromHours(1);

    /// <summary>
    /// Offers makeups for a patient's missed session (a no-show or a notice), once per session and patient whatever
    /// Attendance reports: the kinds the program allows that fit the session, open for the program's expiry days
    /// counted from the session's start or from now, whichever is later. Only program sessions the patient was on are
    /// made up; a makeup session is not made up again. An offer withdrawn with its notice is offered afresh when a new
    /// notice or a no-show for the same session comes.
    /// Reports may arrive in any order, so a report that comes too late changes nothing: a notice whose withdrawal came
    /// first, or a report about a session cancelled meanwhile. The session row is locked first, as a cancellation and a
    /// notice's withdrawal lock it, so a report racing either sees its outcome.
    /// </summary>
    /// <param name="noticeId">The absence notice the offer answers; null for a no-show.</param>
    public Task<bool> Offer(IIntegrationEvent reported, Guid sessionId, Guid patientId, Guid? noticeId, string consumer, CancellationToken ct) =>
        inbox.ProcessOnce(reported, consumer, async (conn, tx) =>
        {
            var now = clock.GetUtcNow();
            var missed = await conn.QuerySingleOrDefaultAsync<MissedRow>(new CommandDefinition("""
                select s.kind, s.starts_at, s.program_id, s.cohort_id, s.topic_id
                from session s
                where s.clinic_id = @Clinic and s.id = @Session and s.program_id is not null and s.status = 'scheduled'
                  and exists (select 1 from session_participant p where p.clinic_id = s.clinic_id and p.session_id = s.id and p.patient_id = @Patient)
                for no key update of s
                """, new { Clinic = reported.ClinicId, Session = sessionId, Patient = patientId }, tx, cancellationToken: ct));
            if (missed is null) return;
            if (noticeId is { } notice && await NoticeWithdrawn(conn, tx, reported.ClinicId, notice, ct)) return;
            if (await MissTakenBack(conn, tx, reported.ClinicId, sessionId, patientId, ct)) return;
            var settings = await MakeupSettingsStore.Find(conn, tx, reported.ClinicId, missed.ProgramId, ct);
            var kinds = settings.KindsFor(SessionKinds.Parse(missed.Kind), missed.CohortId is not null && missed.TopicId is not null);
            if (kinds.Count == 0) return;
            var expiresAt = (missed.StartsAt > now ? missed.StartsAt : now).AddDays(settings.ExpiryDays);
            var offered = await conn.QuerySingleOrDefaultAsync<OfferedRow>(new CommandDefinition("""
                insert into makeup (clinic_id, id, missed_session_id, patient_id, program_id, offered_kinds, status, offered_at, expires_at, notice_id)
                values (@Clinic, @Id, @Session, @Patient, @Program, @Kinds, 'offered', @Now, @ExpiresAt, @Notice)
                on conflict (clinic_id, missed_session_id, patient_id) do update
                    set offered_kinds = excluded.offered_kinds, status = 'offered', offered_at = excluded.offered_at,
                        expires_at = excluded.expires_at, notice_id = excluded.notice_id, withdrawn_at = null, version = makeup.version + 1
                    where makeup.status = 'withdrawn'
                returning id, version
                """,
                new
                {
                    Clinic = reported.ClinicId, Id = Guid.CreateVersion7(now), Session = sessionId, Patient = patientId, Program = missed.ProgramId,
                    Kinds = kinds.Select(k => k.Name()).ToArray(), Now = now, ExpiresAt = expiresAt, Notice = noticeId
                }, tx, cancellationToken: ct));
            if (offered is null)
            {
                // A no-show for a session whose makeup was offered for a notice: the makeup now answers the no-show too, so
                // withdrawing the notice, whenever that report arrives, no longer withdraws it.
                if (noticeId is null) await conn.ExecuteAsync(new CommandDefinition("""
                    update makeup set notice_id = null
                    where clinic_id = @Clinic and missed_session_id = @Session and patient_id = @Patient and notice_id is not null
                    """, new { Clinic = reported.ClinicId, Session = sessionId, Patient = patientId }, tx, cancellationToken: ct));
                return;
            }
            await outbox.Add(conn, tx, new MakeupOffered(Guid.CreateVersion7(now), reported.ClinicId, offered.Id, sessionId, patientId,
                kinds.Select(k => k.Name()).ToList(), expiresAt, OfferedAt: now, Version: offered.Version), ct);
        }, ct);

    /// <summary>
    /// Attendance withdrew an absence notice: the makeup offered for it is withdrawn (MakeupWithdrawn) while the patient
    /// has not chosen yet. A makeup the patient already took up (booked, waitlisted, watching) stays theirs: it holds a
    /// clinician's hour or a seat the patient asked for, and only the patient or the clinic gives that back. The withdrawal
    /// is kept, so a notice that arrives after its withdrawal offers nothing.
    /// </summary>
    public Task<bool> WithdrawForNotice(AbsenceNoticeWithdrawn withdrawn, string consumer, CancellationToken ct) =>
        inbox.ProcessOnce(withdrawn, consumer, async (conn, tx) =>
        {
            var now = clock.GetUtcNow();
            await conn.ExecuteAsync(new CommandDefinition("""
                select 1 from session where clinic_id = @Clinic and id = @Session for no key update
                """, new { Clinic = withdrawn.ClinicId, Session = withdrawn.SessionId }, tx, cancellationToken: ct));
            var ended = (await conn.QueryAsync<MakeupRows.Changed>(new CommandDefinition("""
                with kept as (
                    insert into absence_notice_withdrawal (clinic_id, notice_id, withdrawn_at) values (@Clinic, @Notice, @Now) on conflict do nothing
                )
                update makeup set status = 'withdrawn', withdrawn_at = @Now, version = version + 1
                where clinic_id = @Clinic and missed_session_id = @Session and patient_id = @Patient and notice_id = @Notice and status = 'offered'
                returning id, missed_session_id, patient_id, status, withdrawn_at, version
                """, new { Clinic = withdrawn.ClinicId, Session = withdrawn.SessionId, Patient = withdrawn.PatientId, Notice = withdrawn.NoticeId, Now = now },
                tx, cancellationToken: ct))).ToList();
            await outbox.AddRange(conn, tx, ended.Select(IIntegrationEvent (m) =>
                new MakeupWithdrawn(Guid.CreateVersion7(now), withdrawn.ClinicId, m.Id, m.MissedSessionId, m.PatientId, m.WithdrawnAt!.Value,
                    m.Version)).ToList(), ct);
        }, ct);

    /// <summary>
    /// A clinician corrected the patient's outcome of a session. A correction that takes the miss back (Domain:
    /// AttendanceCorrected.UndoesMiss) withdraws the makeup still only offered for it (MakeupWithdrawn); one the patient already took up
    /// (booked, waitlisted, watching) stays theirs, as with a withdrawn notice. The latest correction is kept, so a no-show
    /// or notice that arrives after it offers nothing while it stands, whatever order the reports come in. The session row
    /// is locked first, as an offer locks it, so a report racing the correction sees it.
    /// </summary>
    public Task<bool> WithdrawForCorrection(AttendanceCorrected corrected, string consumer, CancellationToken ct) =>
        inbox.ProcessOnce(corrected, consumer, async (conn, tx) =>
        {
            var now = clock.GetUtcNow();
            var args = new
            {
                Clinic = corrected.ClinicId, Session = corrected.SessionId, Patient = corrected.PatientId, corrected.CorrectedAt,
                Undoes = AttendanceCorrected.UndoesMiss(corrected.Outcome), Now = now
            };
            await conn.ExecuteAsync(new CommandDefinition("""
                select 1 from session where clinic_id = @Clinic and id = @Session for no key update
                """, args, tx, cancellationToken: ct));
            var standing = await conn.QuerySingleOrDefaultAsync<bool?>(new CommandDefinition("""
                insert into miss_correction (clinic_id, session_id, patient_id, corrected_at, undoes_miss)
                values (@Clinic, @Session, @Patient, @CorrectedAt, @Undoes)
                on conflict (clinic_id, session_id, patient_id) do update
                    set corrected_at = excluded.corrected_at, undoes_miss = excluded.undoes_miss
                    where miss_correction.corrected_at < excluded.corrected_at
                returning undoes_miss
                """, args, tx, cancellationToken: ct));
            if (standing is not true) return;
            var ended = (await conn.QueryAsync<MakeupRows.Changed>(new CommandDefinition("""
                update makeup set status = 'withdrawn', withdrawn_at = @Now, version = version + 1
                where clinic_id = @Clinic and missed_session_id = @Session and patient_id = @Patient and status = 'offered'
                returning id, missed_session_id, patient_id, status, withdrawn_at, version
                """, args, tx, cancellationToken: ct))).ToList();
            await outbox.AddRange(conn, tx, ended.Select(IIntegrationEvent (m) =>
                new MakeupWithdrawn(Guid.CreateVersion7(now), corrected.ClinicId, m.Id, m.MissedSessionId, m.PatientId, m.WithdrawnAt!.Value,
                    m.Version)).ToList(), ct);
        }, ct);

    static Task<bool> MissTakenBack(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid sessionId, Guid patientId, CancellationToken ct) =>
        conn.ExecuteScalarAsync<bool>(new CommandDefinition("""
            select exists (select 1 from miss_correction
                           where clinic_id = @Clinic and session_id = @Session and patient_id = @Patient and undoes_miss)
            """, new { Clinic = clinicId, Session = sessionId, Patient = patientId }, tx, cancellationToken: ct));

    static Task<bool> NoticeWithdrawn(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid noticeId, CancellationToken ct) =>
        conn.ExecuteScalarAsync<bool>(new CommandDefinition("""
            select exists (select 1 from absence_notice_withdrawal where clinic_id = @Clinic and notice_id = @Notice)
            """, new { Clinic = clinicId, Notice = noticeId }, tx, cancellationToken: ct));

    /// <summary>
    /// The sessions were cancelled (in the caller's transaction, after their rows were locked): every makeup booked or
    /// waitlisted into them is open again for another choice (MakeupOffered, with the offer's own kinds and expiry), or
    /// expired (MakeupExpired) when its offer ran out meanwhile; their waitlists are emptied. A makeup still only
    /// offered FOR one of them (a notice came before the cancellation) is withdrawn (MakeupWithdrawn): the session will
    /// not happen, so there is nothing to make up; one the patient already took up stays theirs, as with a withdrawn notice.
    /// </summary>
    internal async Task AfterSessionsCancelled(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, IReadOnlyCollection<Guid> cancelledSessionIds,
        DateTimeOffset now, CancellationToken ct)
    {
        if (cancelledSessionIds.Count == 0) return;
        var reopened = (await conn.QueryAsync<MakeupRows.Changed>(new CommandDefinition("""
            with unlisted as (
                delete from waitlist_entry where clinic_id = @Clinic and session_id = any(@Sessions)
            )
            update makeup
            set status = case when expires_at > @Now then 'offered' else 'expired' end,
                expired_at = case when expires_at > @Now then null else @Now end,
                kind = null, session_id = null, booked_at = null, version = version + 1
            where clinic_id = @Clinic and session_id = any(@Sessions) and status in ('booked', 'waitlisted')
            returning id, missed_session_id, patient_id, status, offered_kinds, expires_at, expired_at, version
            """, new { Clinic = clinicId, Sessions = cancelledSessionIds.ToArray(), Now = now }, tx, cancellationToken: ct))).ToList();
        await outbox.AddRange(conn, tx, reopened.Select(IIntegrationEvent (m) => m.Status == "offered"
            ? new MakeupOffered(Guid.CreateVersion7(now), clinicId, m.Id, m.MissedSessionId, m.PatientId, m.OfferedKinds, m.ExpiresAt, OfferedAt: now,
                Version: m.Version)
            : new MakeupExpired(Guid.CreateVersion7(now), clinicId, m.Id, m.MissedSessionId, m.PatientId, m.ExpiredAt!.Value, m.Version)).ToList(), ct);

        var withdrawn = (await conn.QueryAsync<MakeupRows.Changed>(new CommandDefinition("""
            update makeup set status = 'withdrawn', withdrawn_at = @Now, version = version + 1
            where clinic_id = @Clinic and missed_session_id = any(@Sessions) and status = 'offered'
            returning id, missed_session_id, patient_id, status, withdrawn_at, version
            """, new { Clinic = clinicId, Sessions = cancelledSessionIds.ToArray(), Now = now }, tx, cancellationToken: ct))).ToList();
        await outbox.AddRange(conn, tx, withdrawn.Select(IIntegrationEvent (m) =>
            new MakeupWithdrawn(Guid.CreateVersion7(now), clinicId, m.Id, m.MissedSessionId, m.PatientId, m.WithdrawnAt!.Value, m.Version)).ToList(), ct);
    }

    /// <returns>null when no such makeup exists for this clinic.</returns>
    public async Task<Makeup?> Find(Guid clinicId, Guid id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var makeup = await Find(conn, null, clinicId, id, ct);
        if (makeup is not null) await audit.Read(conn, [makeup.PatientId], ct);
        return makeup;
    }

    /// <summary>
    /// The patient's makeups still to be taken up or under way (offered, waitlisted, booked, watching), the offer running
    /// out first at the top: what the patient chooses from and what they have booked.
    /// </summary>
    public async Task<IReadOnlyList<Makeup>> Current(Guid clinicId, Guid patientId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var makeups = (await conn.QueryAsync<MakeupRows.Row>(new CommandDefinition($"""
            {SelectMakeups}
            where m.clinic_id = @Clinic and m.patient_id = @Patient and m.status in ('offered', 'waitlisted', 'booked', 'watching')
            order by m.expires_at, m.id
            limit {MaxCurrent}
            """, new { Clinic = clinicId, Patient = patientId }, cancellationToken: ct))).Select(r => r.ToMakeup()).ToList();
        await audit.Read(conn, makeups.Select(m => m.PatientId), ct);
        return makeups;
    }

    /// <summary>More open makeups than a patient can have missed sessions within the offers' windows.</summary>
    public const int MaxCurrent = 100;

    /// <summary>True when the makeup exists for this clinic and is the patient's own.</summary>
    public async Task<bool> BelongsTo(Guid clinicId, Guid id, Guid patientId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<bool>(new CommandDefinition("""
            select exists (select 1 from makeup where clinic_id = @Clinic and id = @Id and patient_id = @Patient)
            """, new { Clinic = clinicId, Id = id, Patient = patientId }, cancellationToken: ct));
    }

    /// <summary>One page of a patient's makeups, newest offer first (keyset on offered_at, id, descending), and the next page's cursor.</summary>
    public async Task<(IReadOnlyList<Makeup> Makeups, string? NextCursor)> ForPatient(Guid clinicId, Guid patientId, PageRequest page,
        CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = (await conn.QueryAsync<MakeupRows.Row>(new CommandDefinition($"""
            {SelectMakeups}
            where m.clinic_id = @Clinic and m.patient_id = @Patient
              and (@AfterStartsAt::timestamptz is null or (m.offered_at, m.id) < (@AfterStartsAt, @AfterId))
            order by m.offered_at desc, m.id desc
            limit @Take
            """, new { Clinic = clinicId, Patient = patientId, page.AfterStartsAt, page.AfterId, page.Take }, cancellationToken: ct))).ToList();
        var (kept, nextCursor) = page.Cut(rows, r => (r.OfferedAt, r.Id));
        var makeups = kept.Select(r => r.ToMakeup()).ToList();
        await audit.Read(conn, makeups.Select(m => m.PatientId), ct);
        return (makeups, nextCursor);
    }

    internal static async Task<Makeup?> Find(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid clinicId, Guid id, CancellationToken ct)
    {
        var row = await conn.QuerySingleOrDefaultAsync<MakeupRows.Row>(new CommandDefinition($"""
            {SelectMakeups}
            where m.clinic_id = @Clinic and m.id = @Id
            """, new { Clinic = clinicId, Id = id }, tx, cancellationToken: ct));
        return row?.ToMakeup();
    }

    /// <summary>
    /// Locks the makeup for the rest of the transaction and checks that it is still open for <paramref name="kind"/>:
    /// offered with that kind, and not past its expiry (the worker may not have passed yet).
    /// </summary>
    internal static async Task<(OpenMakeup? Makeup, MakeupRefusal? Refusal)> LockOpen(
        NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid id, MakeupKind kind, DateTimeOffset now, CancellationToken ct)
    {
        var row = await conn.QuerySingleOrDefaultAsync<OpenMakeup>(new CommandDefinition("""
            select m.id, m.missed_session_id, m.patient_id, m.program_id, m.offered_kinds, m.status, m.offered_at, m.expires_at,
                   s.kind as missed_kind, s.cohort_id as missed_cohort_id, s.topic_id as missed_topic_id, s.time_zone as missed_time_zone,
                   s.clinician_id as missed_clinician_id
            from makeup m join session s on s.clinic_id = m.clinic_id and s.id = m.missed_session_id
            where m.clinic_id = @Clinic and m.id = @Id
            for update of m
            """, new { Clinic = clinicId, Id = id }, tx, cancellationToken: ct));
        if (row is null) return (null, MakeupRefusal.NotFound);
        if (!row.OfferedKinds.Contains(kind.Name())) return (null, MakeupRefusal.KindNotOffered);
        if (row.Status == "expired" || row.Status == "offered" && row.ExpiresAt <= now) return (null, MakeupRefusal.Expired);
        if (row.Status != "offered") return (null, MakeupRefusal.NotOpen);
        return (row, null);
    }

    /// <summary>
    /// The next free one-on-one slots for the makeup: with the clinician of the missed session first, then the program's
    /// other facilitators who recorded working hours; within the patient's preferred hours when they gave any; avoiding
    /// everything either side already holds; from an hour from now until the offer expires or the search window ends.
    /// </summary>
    public async Task<(IReadOnlyList<Slot>? Slots, MakeupRefusal? Refusal)> Slots(Guid clinicId, Guid id, int max, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var (makeup, refusal) = await LockOpen(conn, tx, clinicId, id, MakeupKind.OneOnOne, now, ct);
        if (makeup is null) return (null, refusal);
        var settings = await MakeupSettingsStore.Find(conn, tx, clinicId, makeup.ProgramId, ct);
        var from = now + MinimumLead;
        var until = Min(makeup.ExpiresAt, now.AddDays(settings.SearchWindowDays));

        var clinicians = await ProgramClinicians(conn, tx, clinicId, makeup, ct);
        var slots = await FreeSlots(conn, tx, clinicId, clinicians, makeup.PatientId, from, until, TimeSpan.FromMinutes(settings.OneOnOneMinutes), max, ct);
        await audit.Read(conn, tx, [makeup.PatientId], ct);
        await tx.CommitAsync(ct);
        return (slots, null);
    }

    /// <summary>
    /// The next free one-on-one slots between <paramref name="from"/> and <paramref name="until"/> with the first of
    /// <paramref name="clinicians"/> (in order) who recorded working hours and is free, in the patient's preferred hours,
    /// avoiding every scheduled session of either side.
    /// </summary>
    internal static async Task<IReadOnlyList<Slot>> FreeSlots(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, IReadOnlyList<Guid> clinicians,
        Guid patientId, DateTimeOffset from, DateTimeOffset until, TimeSpan length, int max, CancellationToken ct)
    {
        var busy = await FreeTime.Busy(conn, tx, clinicId, clinicians, [patientId], from, until, ct);
        var candidates = await FreeTime.Candidates(conn, tx, clinicId, clinicians, busy, ct);
        var patientHours = await PatientPreferences.Find(conn, tx, clinicId, patientId, ct);
        return SlotFinder.NextFree(candidates, patientHours, busy[patientId].ToList(), from, until, length, max);
    }

    /// <summary>
    /// Books a one-on-one makeup: checks the slot against the offer's window, the clinician's hours and the patient's
    /// preferred hours, then books it through the same path as any one-on-one (the exclusion constraints settle a race),
    /// marks the makeup booked and announces SessionScheduled for the new makeup session and MakeupBooked.
    /// </summary>
    public async Task<(Makeup? Makeup, MakeupRefusal? Refusal, FieldError? Error)> BookOneOnOne(
        Guid clinicId, Guid id, Guid clinicianId, DateTimeOffset startsAt, CancellationToken ct) =>
        await ContentionRetry.Run(async attempt => await BookOneOnOneOnce(clinicId, id, clinicianId, startsAt, attempt), ct);

    async Task<(Makeup? Makeup, MakeupRefusal? Refusal, FieldError? Error)> BookOneOnOneOnce(
        Guid clinicId, Guid id, Guid clinicianId, DateTimeOffset startsAt, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var (makeup, refusal) = await LockOpen(conn, tx, clinicId, id, MakeupKind.OneOnOne, now, ct);
        if (makeup is null) return (null, refusal, null);
        var settings = await MakeupSettingsStore.Find(conn, tx, clinicId, makeup.ProgramId, ct);
        var endsAt = startsAt.AddMinutes(settings.OneOnOneMinutes);
        if (startsAt < now + MinimumLead || endsAt > Min(makeup.ExpiresAt, now.AddDays(settings.SearchWindowDays)))
            return (null, null, new FieldError("startsAt", "The slot must start at least an hour from now and end before the offer expires."));
        if (!(await ProgramClinicians(conn, tx, clinicId, makeup, ct)).Contains(clinicianId))
            return (null, null, new FieldError("clinicianId", "The clinician must facilitate a cohort of the patient's program."));
        if (await Availabilities.Find(conn, tx, clinicId, clinicianId, ct) is { } hours && !hours.Covers(startsAt, endsAt))
            return (null, null, new FieldError("startsAt", "The slot is outside the clinician's working hours or during their time off."));
        if (await PatientPreferences.Find(conn, tx, clinicId, makeup.PatientId, ct) is { } preferred && !preferred.Covers(startsAt, endsAt))
            return (null, null, new FieldError("startsAt", "The slot is outside the patient's preferred hours."));

        var sessionId = Guid.CreateVersion7(now);
        var session = new NewSession(SessionKind.Makeup, startsAt.ToUniversalTime(), endsAt.ToUniversalTime(), makeup.MissedTimeZone, [makeup.PatientId]);
        long sessionVersion;
        try
        {
            sessionVersion = await Bookings.Insert(conn, tx, clinicId, sessionId, clinicianId, session, now, makeup.ProgramId, makeup.MissedTopicId, ct);
        }
        catch (PostgresException e) when (BookingConstraints.ConflictOf(e) is not null)
        {
            return (null, MakeupRefusal.SlotTaken, null);
        }
        var makeupVersion = await MarkBooked(conn, tx, clinicId, id, MakeupKind.OneOnOne, sessionId, now, ct);
        await outbox.AddRange(conn, tx,
        [
            new SessionScheduled(Guid.CreateVersion7(now), clinicId, sessionId, SessionKind.Makeup.Name(), session.StartsAt, session.EndsAt,
                session.TimeZone, [makeup.PatientId], makeup.ProgramId, null, makeup.MissedTopicId, clinicianId, sessionVersion),
            new MakeupBooked(Guid.CreateVersion7(now), clinicId, id, makeup.MissedSessionId, makeup.PatientId, MakeupKind.OneOnOne.Name(),
                sessionId, session.StartsAt, session.TimeZone, BookedAt: now, Version: makeupVersion)
        ], ct);
        var booked = await Find(conn, tx, clinicId, id, ct);
        await audit.Change(conn, tx, [makeup.PatientId], ct);
        await tx.CommitAsync(ct);
        return (booked, null, null);
    }

    /// <summary>
    /// Hands the patient the missed educational module's recording: the makeup moves to watching and MakeupBooked goes out
    /// (without a session). Refused when the program did not offer a recording or none is set for the session yet.
    /// </summary>
    public async Task<MakeupResult> ChooseRecording(Guid clinicId, Guid id, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var (makeup, refusal) = await LockOpen(conn, tx, clinicId, id, MakeupKind.Recording, now, ct);
        if (makeup is null) return MakeupResult.Refused(refusal!.Value);
        var hasRecording = await conn.ExecuteScalarAsync<bool>(new CommandDefinition("""
            select recording_url is not null from session where clinic_id = @Clinic and id = @Session
            """, new { Clinic = clinicId, Session = makeup.MissedSessionId }, tx, cancellationToken: ct));
        if (!hasRecording) return MakeupResult.Refused(MakeupRefusal.NoRecording);
        var version = await conn.ExecuteScalarAsync<long>(new CommandDefinition("""
            update makeup set status = 'watching', kind = 'recording', booked_at = @Now, version = version + 1 where clinic_id = @Clinic and id = @Id
            returning version
            """, new { Clinic = clinicId, Id = id, Now = now }, tx, cancellationToken: ct));
        await outbox.Add(conn, tx, new MakeupBooked(Guid.CreateVersion7(now), clinicId, id, makeup.MissedSessionId, makeup.PatientId,
            MakeupKind.Recording.Name(), null, null, makeup.MissedTimeZone, BookedAt: now, Version: version), ct);
        var chosen = await Find(conn, tx, clinicId, id, ct);
        await audit.Change(conn, tx, [makeup.PatientId], ct);
        await tx.CommitAsync(ct);
        return new MakeupResult(chosen, null);
    }

    /// <summary>
    /// Records minutes watched of a recording (the most reported so far counts). Once they reach the program's share of
    /// the recording's length the makeup completes and MakeupCompleted goes out, once. A webhook delivery's id is stored in
    /// the same transaction, so a replayed delivery changes nothing (<paramref name="replayed"/> then is true).
    /// </summary>
    public async Task<(MakeupResult Result, bool Replayed)> ReportWatching(
        Guid clinicId, Guid id, int minutesWatched, string? webhookEventId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<WatchingRow>(new CommandDefinition("""
            select m.missed_session_id, m.patient_id, m.program_id, m.status, m.kind, m.expires_at,
                   coalesce(s.recording_duration_minutes, (extract(epoch from s.ends_at - s.starts_at) / 60)::int) as recording_minutes
            from makeup m join session s on s.clinic_id = m.clinic_id and s.id = m.missed_session_id
            where m.clinic_id = @Clinic and m.id = @Id
            for update of m
            """, new { Clinic = clinicId, Id = id }, tx, cancellationToken: ct));
        if (row is null) return (MakeupResult.Refused(MakeupRefusal.NotFound), false);
        if (webhookEventId is not null)
        {
            var first = await conn.ExecuteAsync(new CommandDefinition("""
                insert into recording_webhook_event (clinic_id, event_id, received_at) values (@Clinic, @EventId, @Now) on conflict do nothing
                """, new { Clinic = clinicId, EventId = webhookEventId, Now = now }, tx, cancellationToken: ct));
            if (first == 0) return (new MakeupResult(await Find(conn, tx, clinicId, id, ct), null), Replayed: true);
        }
        if (row.Status == "completed" && row.Kind == "recording")
        {
            var done = await Find(conn, tx, clinicId, id, ct);
            await audit.Change(conn, tx, [row.PatientId], ct);
            await tx.CommitAsync(ct);
            return (new MakeupResult(done, null), false);
        }
        if (row.Status == "expired" || row.Status == "watching" && row.ExpiresAt <= now) return (MakeupResult.Refused(MakeupRefusal.Expired), false);
        if (row.Status != "watching") return (MakeupResult.Refused(MakeupRefusal.NotOpen), false);

        var settings = await MakeupSettingsStore.Find(conn, tx, clinicId, row.ProgramId, ct);
        var watched = await conn.ExecuteScalarAsync<int>(new CommandDefinition("""
            update makeup set minutes_watched = greatest(minutes_watched, @Minutes) where clinic_id = @Clinic and id = @Id returning minutes_watched
            """, new { Clinic = clinicId, Id = id, Minutes = minutesWatched }, tx, cancellationToken: ct));
        if (settings.RecordingWatched(watched, row.RecordingMinutes))
        {
            var version = await conn.ExecuteScalarAsync<long>(new CommandDefinition("""
                update makeup set status = 'completed', completed_at = @Now, version = version + 1 where clinic_id = @Clinic and id = @Id
                returning version
                """, new { Clinic = clinicId, Id = id, Now = now }, tx, cancellationToken: ct));
            await outbox.Add(conn, tx, new MakeupCompleted(Guid.CreateVersion7(now), clinicId, id, row.MissedSessionId, row.PatientId,
                MakeupKind.Recording.Name(), now, version), ct);
        }
        var reported = await Find(conn, tx, clinicId, id, ct);
        await audit.Change(conn, tx, [row.PatientId], ct);
        await tx.CommitAsync(ct);
        return (new MakeupResult(reported, null), false);
    }

    /// <summary>
    /// A patient attended their booked makeup session (a one-on-one or a seat elsewhere): the makeup completes and
    /// MakeupCompleted goes out, once, through the inbox.
    /// </summary>
    public Task<bool> CompleteByAttendance(IIntegrationEvent attended, Guid sessionId, Guid patientId, DateTimeOffset checkedInAt, string consumer,
        CancellationToken ct) =>
        inbox.ProcessOnce(attended, consumer, async (conn, tx) =>
        {
            var now = clock.GetUtcNow();
            var completed = (await conn.QueryAsync<MakeupRows.Changed>(new CommandDefinition("""
                update makeup set status = 'completed', completed_at = @CheckedInAt, version = version + 1
                where clinic_id = @Clinic and session_id = @Session and patient_id = @Patient and status = 'booked'
                returning id, missed_session_id, kind, version
                """, new { Clinic = attended.ClinicId, Session = sessionId, Patient = patientId, CheckedInAt = checkedInAt }, tx,
                cancellationToken: ct))).ToList();
            await outbox.AddRange(conn, tx, completed.Select(IIntegrationEvent (c) => new MakeupCompleted(Guid.CreateVersion7(now),
                attended.ClinicId, c.Id, c.MissedSessionId, patientId, c.Kind!, checkedInAt, c.Version)).ToList(), ct);
        }, ct);

    /// <summary>Sets or replaces an educational-module session's recording link (and its length, when it differs from the session's).</summary>
    /// <returns>null when the session does not exist for this clinic; false when it is not an educational module.</returns>
    public async Task<bool?> SetRecording(Guid clinicId, Guid sessionId, string url, int? durationMinutes, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var kind = await conn.QuerySingleOrDefaultAsync<string>(new CommandDefinition("""
            update session set recording_url = case when kind = 'educationalModule' then @Url else recording_url end,
                               recording_duration_minutes = case when kind = 'educationalModule' then @Minutes else recording_duration_minutes end
            where clinic_id = @Clinic and id = @Session
            returning kind
            """, new { Clinic = clinicId, Session = sessionId, Url = url, Minutes = durationMinutes }, cancellationToken: ct));
        return kind is null ? null : kind == SessionKind.EducationalModule.Name();
    }

    /// <returns>The makeup's version after the change.</returns>
    internal static Task<long> MarkBooked(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid id, MakeupKind kind, Guid sessionId,
        DateTimeOffset now, CancellationToken ct, string status = "booked") =>
        conn.ExecuteScalarAsync<long>(new CommandDefinition("""
            update makeup set status = @Status, kind = @Kind, session_id = @Session, booked_at = @Now, version = version + 1
            where clinic_id = @Clinic and id = @Id
            returning version
            """, new { Clinic = clinicId, Id = id, Status = status, Kind = kind.Name(), Session = sessionId, Now = now }, tx, cancellationToken: ct));

    /// <summary>The clinician of the missed session first, then every facilitator of the program's cohorts.</summary>
    static async Task<List<Guid>> ProgramClinicians(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, OpenMakeup makeup, CancellationToken ct)
    {
        var facilitators = await conn.QueryAsync<Guid>(new CommandDefinition("""
            select facilitator_clinician_id from cohort where clinic_id = @Clinic and program_id = @Program
            group by facilitator_clinician_id order by min(created_at)
            """, new { Clinic = clinicId, Program = makeup.ProgramId }, tx, cancellationToken: ct));
        var ordered = new List<Guid>();
        if (makeup.MissedClinicianId is { } first) ordered.Add(first);
        ordered.AddRange(facilitators.Where(f => f != makeup.MissedClinicianId));
        return ordered;
    }

    static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>A makeup with its recording link and waitlist place; callers add the clinic filter.</summary>
    const string SelectMakeups = """
        select m.id, m.missed_session_id, m.patient_id, m.program_id, m.offered_kinds, m.status, m.kind, m.session_id,
               case when m.kind = 'recording' then s.recording_url end as recording_url, m.minutes_watched,
               m.offered_at, m.expires_at, m.booked_at, m.completed_at, m.expired_at, m.withdrawn_at,
               case when w.makeup_id is not null then
                   (select count(*)::int from waitlist_entry w2
                    where w2.clinic_id = w.clinic_id and w2.session_id = w.session_id and w2.position <= w.position) end as waitlist_position
        from makeup m
        join session s on s.clinic_id = m.clinic_id and s.id = m.missed_session_id
        left join waitlist_entry w on w.clinic_id = m.clinic_id and w.makeup_id = m.id
        """;

    sealed class MissedRow
    {
        public string Kind { get; set; } = "";
        public DateTimeOffset StartsAt { get; set; }
        public Guid ProgramId { get; set; }
        public Guid? CohortId { get; set; }
        public Guid? TopicId { get; set; }
    }

    sealed class OfferedRow
    {
        public Guid Id { get; set; }
        public long Version { get; set; }
    }

    sealed class WatchingRow
    {
        public Guid MissedSessionId { get; set; }
        public Guid PatientId { get; set; }
        public Guid ProgramId { get; set; }
        public string Status { get; set; } = "";
        public string? Kind { get; set; }
        public DateTimeOffset ExpiresAt { get; set; }
        public int RecordingMinutes { get; set; }
    }
}
