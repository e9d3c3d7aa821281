using System.Globalization;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Scheduling.Domain;
using VirtualIop.Scheduling.Extensions;

namespace VirtualIop.Scheduling.Data;

/// <summary>What a plan's modality did to the patient's individual sessions; Shortfall counts those the facilitator had no free slot for.</summary>
public sealed record ModalityOutcome(int Booked, int Cancelled, int Shortfall);

/// <summary>
/// Moves a patient's schedule to their plan's modality (<see cref="IndividualSessions"/>) from the change's effective
/// date: off their cohorts' future group sessions for individual, back on them by the frequency rule for group and
/// hybrid (<see cref="PlanParticipation"/>), and individual sessions with the facilitator of their first cohort booked
/// over the series horizon through the follow-up booking path, or cancelled. Only sessions the plan itself booked
/// (plan_session) are ever cancelled. Runs in the caller's transaction, with the patient's cohorts locked.
/// </summary>
public sealed class PlanModality(PlanParticipation participation, Cohorts cohorts, FollowUpBookings bookings, Makeups makeups, Outbox outbox,
    IOptions<SchedulingOptions> options, TimeProvider clock, ILogger<PlanModality> logger)
{
    /// <returns>null when the patient has no active enrolment in this clinic (nothing changed).</returns>
    public async Task<ModalityOutcome?> Apply(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid patientId, DateOnly? effectiveFrom,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var plan = await conn.QuerySingleAsync<PlanRow>(new CommandDefinition("""
            select sessions_per_week, modality from patient_plan where clinic_id = @Clinic and patient_id = @Patient
            """, new { Clinic = clinicId, Patient = patientId }, tx, cancellationToken: ct));
        var enrolled = (await conn.QueryAsync<CohortRows.Row>(new CommandDefinition("""
            select c.id, c.facilitator_clinician_id, c.time_zone, c.program_id
            from enrolment e join cohort c on c.clinic_id = e.clinic_id and c.id = e.cohort_id
            where e.clinic_id = @Clinic and e.patient_id = @Patient and e.ended_at is null
            order by e.enrolled_at, c.id
            for update of c
            """, new { Clinic = clinicId, Patient = patientId }, tx, cancellationToken: ct))).ToList();
        if (enrolled.Count == 0) return null;
        var cohort = enrolled[0];
        var start = effectiveFrom is { } from ? IndividualSessions.LocalMidnight(from, cohort.TimeZone) : now;

        if (IndividualSessions.KeepsGroup(plan.Modality))
            await participation.Apply(conn, tx, clinicId, patientId,
                new FrequencyPlan(plan.SessionsPerWeek ?? PlanAdjusted.MaxSessionsPerWeek, effectiveFrom), ct);
        else
            foreach (var c in enrolled)
                await cohorts.LeaveFutureSessions(conn, tx, clinicId, c.Id, patientId, await GroupSessionsFrom(conn, tx, clinicId, c.Id, effectiveFrom, ct), ct);

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
        var added = new List<Guid>();
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
                added.Add(slot.SessionId);
                searchFrom = IndividualSessions.NextDay(slot.Slot.StartsAt, cohort.TimeZone);
            }
        }
        await conn.ExecuteAsync(new CommandDefinition("""
            insert into plan_session (clinic_id, session_id, patient_id, booked_at) select @Clinic, unnest(@Sessions), @Patient, @Now
            """, new { Clinic = clinicId, Sessions = added.ToArray(), Patient = patientId, Now = now }, tx, cancellationToken: ct));
        if (shortfall > 0)
            logger.LogInformation("Plan of patient {PatientId} in clinic {ClinicId}: {Shortfall} individual sessions not booked, facilitator {ClinicianId} has no free slot in their week",
                patientId, clinicId, shortfall, cohort.FacilitatorClinicianId);
        return new ModalityOutcome(added.Count, cancelled, shortfall);
    }

    /// <summary>The cohort's future group sessions on or after the local date; null (all of them) without one.</summary>
    static async Task<Guid[]?> GroupSessionsFrom(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid cohortId, DateOnly? from,
        CancellationToken ct) =>
        from is not { } date ? null : (await conn.QueryAsync<Guid>(new CommandDefinition("""
            select id from session
            where clinic_id = @Clinic and cohort_id = @Cohort and status = 'scheduled' and (starts_at at time zone time_zone)::date >= @From::date
            """, new { Clinic = clinicId, Cohort = cohortId, From = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }, tx,
            cancellationToken: ct))).ToArray();

    /// <summary>Cancels the plan's sessions as a clinician's cancellation does (status, SEQUENCE, version, booking released, SessionCancelled).</summary>
    async Task<int> Cancel(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinicId, Guid[] sessionIds, DateTimeOffset now, CancellationToken ct)
    {
        if (sessionIds.Length == 0) return 0;
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
        return cancelled.Count;
    }

    sealed class PlanRow
    {
        public int? SessionsPerWeek { get; set; }
        public string? Modality { get; set; }
    }
}
