using System.Globalization;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Scheduling.Domain;
using VirtualIop.Scheduling.Extensions;

namespace VirtualIop.Scheduling.Data;

/// <summary>What a plan's modality did to the patient's individual sessions; Shortfall counts those the facilitator had no free slot for.</summary>
public sealed record ModalityOutcome(IReadOnlyList<BookedSlot> Booked, IReadOnlyList<Guid> Cancelled, int Shortfall);

/// <summary>
/// A dry run of a modality (and frequency): the group sessions the patient would leave and join, the individual slots
/// that would be booked with the facilitator, the plan's individual sessions that would be cancelled, and how many the
/// facilitator has no free slot for.
/// </summary>
public sealed record ModalityPreview(Guid PatientId, string Modality, int? SessionsPerWeek, DateOnly? EffectiveFrom, IReadOnlyList<CohortOccurrence> Dropped,
    IReadOnlyList<CohortOccurrence> Added, IReadOnlyList<Slot> Booked, IReadOnlyList<Guid> Cancelled, int Shortfall);

/// <summary>
/// Moves a patient's schedule to their plan's modality (<see cref="IndividualSessions"/>) from the change's effective
/// date: off their cohorts' future group sessions for individual, back on them by the frequency rule for group and
/// hybrid (<see cref="PlanParticipation"/>), and individual sessions with the facilitator of their first cohort booked
/// over the series horizon through the follow-up booking path, or cancelled; as the horizon moves on, the horizon worker
/// books the weeks it brings into reach (<see cref="ExtendNextDue"/>). Only sessions the plan itself booked
/// (plan_session) are ever cancelled. Runs in the caller's transaction, with the patient's cohorts locked.
/// </summary>
public sealed class PlanModality(NpgsqlDataSource db, PlanParticipation participation, Cohorts cohorts, FollowUpBookings bookings, Makeups makeups,
    Outbox outbox, PatientAudit audit, IOptions<SchedulingOptions> options, TimeProvider clock, ILogger<PlanModality> logger)
{
    /// <summary>
    /// Applies the modality (and the frequency, when given) exactly as the PlanAdjusted consumer would, in a transaction
    /// that is rolled back: what the clinician sees is what the change does, and nothing is kept.
    /// </summary>
    /// <returns>null when the patient has no active enrolment in this clinic.</returns>
    public async Task<ModalityPreview?> Preview(Guid clinicId, Guid patientId, string modality, int? sessionsPerWeek, DateOnly? effectiveFrom,
        CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        ModalityPreview? preview;
        await using (var tx = await conn.BeginTransactionAsync(ct))
        {
            var before = await Roster(conn, tx, clinicId, patientId, clock.GetUtcNow(), ct);
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into patient_plan (clinic_id, patient_id, sessions_per_week, modality) values (@Clinic, @Patient, @PerWeek, @Modality)
                on conflict (clinic_id, patient_id) do update
                set modality = excluded.modality, sessions_per_week = coalesce(excluded.sessions_per_week, patient_plan.sessions_per_week)
                """, new { Clinic = clinicId, Patient = patientId, PerWeek = sessionsPerWeek, Modality = modality }, tx, cancellationToken: ct));
            var outcome = await Apply(conn, tx, clinicId, patientId, effectiveFrom, ct);
            var after = await Roster(conn, tx, clinicId, patientId, clock.GetUtcNow(), ct);
            await tx.RollbackAsync(ct);
            preview = outcome is null ? null : new ModalityPreview(patientId, modality, sessionsPerWeek, effectiveFrom,
                [.. before.Where(o => !after.Any(a => a.SessionId == o.SessionId))], [.. after.Where(o => !before.Any(b => b.SessionId == o.SessionId))],
                [.. outcome.Booked.Select(b => b.Slot)], outcome.Cancelled, outcome.Shortfall);
        }
        if (preview is not null) await audit.Read(conn, [patientId], ct);
        return preview;
    }

    /// <summary>The future sessions of the patient's cohorts they are on.</summary>
    static async Task<List<CohortOccurrence>> Roster(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid patientId, DateTimeOffset now,
        CancellationToken ct) =>
        (await conn.QueryAsync<RosterRow>(new CommandDefinition("""
            select s.id as session_id, s.cohort_id, s.starts_at, s.time_zone from session s
            join session_participant p on p.clinic_id = s.clinic_id and p.session_id = s.id and p.patient_id = @Patient
            where s.clinic_id = @Clinic and s.cohort_id is not null and s.status = 'scheduled' and s.starts_at > @Now
            order by s.starts_at, s.id
            """, new { Clinic = clinicId, Patient = patientId, Now = now }, tx, cancellationToken: ct)))
        .Select(r => new CohortOccurrence(r.SessionId, r.CohortId, r.StartsAt, r.TimeZone)).ToList();

    /// <returns>null when the patient has no active enrolment in this clinic (nothing changed).</returns>
    public async Task<ModalityOutcome?> Apply(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid patientId, DateOnly? effectiveFrom,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var plan = await Plan(conn, tx, clinicId, patientId, ct);
        var enrolled = await EnrolledCohorts(conn, tx, clinicId, patientId, ct);
        if (enrolled.Count == 0) return null;

        if (IndividualSessions.KeepsGroup(plan.Modality))
            await participation.Apply(conn, tx, clinicId, patientId,
                new FrequencyPlan(plan.SessionsPerWeek ?? PlanAdjusted.MaxSessionsPerWeek, effectiveFrom), ct);
        else
            foreach (var c in enrolled)
                await cohorts.LeaveFutureSessions(conn, tx, clinicId, c.Id, patientId, await GroupSessionsFrom(conn, tx, clinicId, c.Id, effectiveFrom, ct), ct);

        return await BookIndividualWeeks(conn, tx, clinicId, patientId, plan, enrolled[0], effectiveFrom, now, ct);
    }

    /// <summary>
    /// Books one individual or hybrid plan's individual sessions up to the series horizon as of <paramref name="now"/>: the
    /// plan booked the shortest way ahead, once the horizon has moved <see cref="ExtensionStep"/> past it. So the
    /// modality's sessions keep coming for as long as the plan stands, as a cohort's series does; a week that had no free
    /// slot is tried again.
    /// </summary>
    /// <returns>false when no plan was due.</returns>
    public async Task<bool> ExtendNextDue(DateTimeOffset now, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var due = await conn.QuerySingleOrDefaultAsync<DuePlan>(new CommandDefinition("""
            select clinic_id, patient_id, modality_effective_from, sessions_per_week, modality from patient_plan
            where modality = any(@Modalities) and (individual_booked_until is null or individual_booked_until < @DueBefore)
            order by individual_booked_until nulls first
            limit 1
            for update skip locked
            """, new
            {
                Modalities = new[] { IndividualSessions.Individual, IndividualSessions.Hybrid },
                DueBefore = now + options.Value.SeriesHorizon - ExtensionStep
            }, tx, cancellationToken: ct));
        if (due is null) return false;

        var enrolled = await EnrolledCohorts(conn, tx, due.ClinicId, due.PatientId, ct);
        if (enrolled.Count == 0)
            await MarkBookedUntil(conn, tx, due.ClinicId, due.PatientId, now + options.Value.SeriesHorizon, ct);
        else
            await BookIndividualWeeks(conn, tx, due.ClinicId, due.PatientId, due, enrolled[0],
                due.ModalityEffectiveFrom is { } from ? DateOnly.FromDateTime(from) : null, now, ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>How far the series horizon moves on before a plan's individual sessions are booked again.</summary>
    public static readonly TimeSpan ExtensionStep = TimeSpan.FromDays(1);

    static Task<PlanRow> Plan(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid patientId, CancellationToken ct) =>
        conn.QuerySingleAsync<PlanRow>(new CommandDefinition("""
            select sessions_per_week, modality from patient_plan where clinic_id = @Clinic and patient_id = @Patient
            """, new { Clinic = clinicId, Patient = patientId }, tx, cancellationToken: ct));

    /// <summary>The patient's cohorts with an active enrolment, first enrolled first, locked.</summary>
    static async Task<List<CohortRows.Row>> EnrolledCohorts(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid patientId,
        CancellationToken ct) =>
        (await conn.QueryAsync<CohortRows.Row>(new CommandDefinition("""
            select c.id, c.facilitator_clinician_id, c.time_zone, c.program_id
            from enrolment e join cohort c on c.clinic_id = e.clinic_id and c.id = e.cohort_id
            where e.clinic_id = @Clinic and e.patient_id = @Patient and e.ended_at is null
            order by e.enrolled_at, c.id
            for update of c
            """, new { Clinic = clinicId, Patient = patientId }, tx, cancellationToken: ct))).ToList();

    /// <summary>
    /// Books and cancels the plan's individual sessions with the facilitator of the patient's first cohort, week by week
    /// from the effective date (or now) to the series horizon, and notes how far they are booked.
    /// </summary>
    async Task<ModalityOutcome> BookIndividualWeeks(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid patientId, PlanRow plan,
        CohortRows.Row cohort, DateOnly? effectiveFrom, DateTimeOffset now, CancellationToken ct)
    {
        var start = effectiveFrom is { } from ? IndividualSessions.LocalMidnight(from, cohort.TimeZone) : now;
        var until = now + options.Value.SeriesHorizon;
        var governedFrom = start > now + Makeups.MinimumLead ? start : now + Makeups.MinimumLead;
        var occurrences = (await conn.QueryAsync<SessionRows.Times>(new CommandDefinition("""
            select id as session_id, starts_at, time_zone from session
            where clinic_id = @Clinic and cohort_id = @Cohort and series_id is not null and status = 'scheduled' and starts_at >= @Now and starts_at < @Until
            """, new { Clinic = clinicId, Cohort = cohort.Id, Now = now, Until = until }, tx, cancellationToken: ct)))
            .Select(o => new CohortOccurrence(o.SessionId, cohort.Id, o.StartsAt, o.TimeZone));
        var perWeek = IndividualSessions.PerWeek(plan.Modality, plan.SessionsPerWeek, IndividualSessions.CohortSessionsPerWeek(occurrences));
        var booked = (await conn.QueryAsync<SessionRows.Times>(new CommandDefinition("""
            select s.id as session_id, s.starts_at from plan_session ps join session s on s.clinic_id = ps.clinic_id and s.id = ps.session_id
            where ps.clinic_id = @Clinic and ps.patient_id = @Patient and s.status = 'scheduled' and s.starts_at >= @From
            """, new { Clinic = clinicId, Patient = patientId, From = governedFrom - WeeklyParticipation.WeekLookBack }, tx, cancellationToken: ct)))
            .Select(b => new PlanBooking(b.SessionId, b.StartsAt)).ToList();
        var weeks = IndividualSessions.Plan(booked, perWeek, governedFrom, until, cohort.TimeZone);

        var cancelled = await Cancel(conn, tx, clinicId, [.. weeks.SelectMany(w => w.ToCancel)], now, ct);
        var added = new List<BookedSlot>();
        var shortfall = 0;
        foreach (var week in weeks.Where(w => w.ToBook > 0))
        {
            var searchFrom = week.From;
            for (var i = 0; i < week.ToBook; i++)
            {
                if (searchFrom >= week.Until
                    || await bookings.BookWithFacilitator(conn, tx, clinicId, patientId, cohort, searchFrom, week.Until, ct) is not { } slot)
                {
                    shortfall += week.ToBook - i;
                    break;
                }
                added.Add(slot);
                searchFrom = IndividualSessions.NextDay(slot.Slot.StartsAt, cohort.TimeZone);
            }
        }
        await conn.ExecuteAsync(new CommandDefinition("""
            insert into plan_session (clinic_id, session_id, patient_id, booked_at) select @Clinic, unnest(@Sessions), @Patient, @Now
            """, new { Clinic = clinicId, Sessions = added.Select(b => b.SessionId).ToArray(), Patient = patientId, Now = now }, tx, cancellationToken: ct));
        await MarkBookedUntil(conn, tx, clinicId, patientId, until, ct);
        if (shortfall > 0)
            logger.LogInformation("Plan of patient {PatientId} in clinic {ClinicId}: {Shortfall} individual sessions not booked, facilitator {ClinicianId} has no free slot in their week",
                patientId, clinicId, shortfall, cohort.FacilitatorClinicianId);
        return new ModalityOutcome(added, cancelled, shortfall);
    }

    static Task MarkBookedUntil(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid patientId, DateTimeOffset until, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition("""
            update patient_plan set individual_booked_until = @Until where clinic_id = @Clinic and patient_id = @Patient
            """, new { Clinic = clinicId, Patient = patientId, Until = until }, tx, cancellationToken: ct));

    /// <summary>The cohort's future group sessions on or after the local date; null (all of them) without one.</summary>
    static async Task<Guid[]?> GroupSessionsFrom(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid cohortId, DateOnly? from,
        CancellationToken ct) =>
        from is not { } date ? null : (await conn.QueryAsync<Guid>(new CommandDefinition("""
            select id from session
            where clinic_id = @Clinic and cohort_id = @Cohort and status = 'scheduled' and (starts_at at time zone time_zone)::date >= @From::date
            """, new { Clinic = clinicId, Cohort = cohortId, From = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }, tx,
            cancellationToken: ct))).ToArray();

    /// <summary>Cancels the plan's sessions as a clinician's cancellation does (status, SEQUENCE, version, booking released, SessionCancelled).</summary>
    async Task<IReadOnlyList<Guid>> Cancel(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid[] sessionIds, DateTimeOffset now, CancellationToken ct)
    {
        if (sessionIds.Length == 0) return [];
        var reason = ChangeReason.ProgramChange.Name();
        var cancelled = (await conn.QueryAsync<SessionRows.Times>(new CommandDefinition("""
            with cancelled as (
                update session set status = 'cancelled', cancel_reason = @Reason, sequence = sequence + 1, version = version + 1
                where clinic_id = @Clinic and id = any(@Sessions) and status = 'scheduled' and starts_at > @Now
                returning id, starts_at, ends_at, time_zone, version),
            released as (
                update booking b set status = 'cancelled' from cancelled c where b.clinic_id = @Clinic and b.session_id = c.id)
            select id as session_id, starts_at, ends_at, time_zone, version from cancelled
            """, new { Clinic = clinicId, Sessions = sessionIds, Reason = reason, Now = now }, tx, cancellationToken: ct))).ToList();
        await makeups.AfterSessionsCancelled(conn, tx, clinicId, [.. cancelled.Select(c => c.SessionId)], now, ct);
        await outbox.AddRange(conn, tx, cancelled.Select(IIntegrationEvent (c) =>
            new SessionCancelled(Guid.CreateVersion7(now), clinicId, c.SessionId, c.StartsAt, c.TimeZone, reason, c.Version)).ToList(), ct);
        return [.. cancelled.Select(c => c.SessionId)];
    }

    sealed class RosterRow
    {
        public Guid SessionId { get; set; }
        public Guid CohortId { get; set; }
        public DateTimeOffset StartsAt { get; set; }
        public string TimeZone { get; set; } = "";
    }

    /// <summary>A plan the horizon worker claimed, read with what booking it needs.</summary>
    sealed class DuePlan : PlanRow
    {
        public Guid ClinicId { get; set; }
        public Guid PatientId { get; set; }
        public DateTime? ModalityEffectiveFrom { get; set; }
    }

    class PlanRow
    {
        public int? SessionsPerWeek { get; set; }
        public string? Modality { get; set; }
    }
}
