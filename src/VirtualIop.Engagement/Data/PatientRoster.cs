using Dapper;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Engagement.Messaging;

namespace VirtualIop.Engagement.Data;

/// <summary>
/// Engagement's copy of who belongs where, from Scheduling's events: each session's program, cohort and clinician,
/// and for each patient the program, cohort and clinician of the latest-starting session that names them (a field a
/// session leaves out keeps its earlier value). Cohort views, clinicians' queues and per-program rules read it.
/// </summary>
public sealed class PatientRoster(Inbox inbox, TimeProvider clock)
{
    public Task<bool> Keep(SessionScheduled s, CancellationToken ct) =>
        inbox.ProcessOnce(s, nameof(KeepRosterOnSessionScheduled), (conn, tx) =>
            conn.ExecuteAsync(new CommandDefinition("""
                with session as (
                    insert into session_roster (clinic_id, session_id, program_id, cohort_id, clinician_id, starts_at)
                    values (@Clinic, @Session, @Program, @Cohort, @Clinician, @StartsAt)
                    on conflict (clinic_id, session_id) do update set
                        program_id = excluded.program_id, cohort_id = excluded.cohort_id, clinician_id = excluded.clinician_id,
                        starts_at = excluded.starts_at
                )
                insert into patient_roster as r (clinic_id, patient_id, program_id, cohort_id, clinician_id, as_of, updated_at)
                select @Clinic, p, @Program, @Cohort, @Clinician, @StartsAt, @Now
                from unnest(@Patients) as p
                where @Program::uuid is not null or @Cohort::uuid is not null or @Clinician::uuid is not null
                on conflict (clinic_id, patient_id) do update set
                    program_id = coalesce(excluded.program_id, r.program_id),
                    cohort_id = coalesce(excluded.cohort_id, r.cohort_id),
                    clinician_id = coalesce(excluded.clinician_id, r.clinician_id),
                    as_of = excluded.as_of,
                    updated_at = excluded.updated_at
                where excluded.as_of >= r.as_of
                """,
                new
                {
                    Clinic = s.ClinicId, Session = s.SessionId, Program = s.ProgramId, Cohort = s.CohortId, Clinician = s.ClinicianId, s.StartsAt,
                    Patients = s.PatientIds.Distinct().ToArray(), Now = clock.GetUtcNow()
                }, tx, cancellationToken: ct)), ct);

    /// <summary>A patient who joins a session Engagement knows takes that session's program, cohort and clinician.</summary>
    public Task<bool> Join(SessionParticipantAdded added, CancellationToken ct) =>
        inbox.ProcessOnce(added, nameof(KeepRosterOnParticipantAdded), (conn, tx) =>
            conn.ExecuteAsync(new CommandDefinition("""
                insert into patient_roster as r (clinic_id, patient_id, program_id, cohort_id, clinician_id, as_of, updated_at)
                select s.clinic_id, @Patient, s.program_id, s.cohort_id, s.clinician_id, s.starts_at, @Now
                from session_roster s
                where s.clinic_id = @Clinic and s.session_id = @Session
                  and (s.program_id is not null or s.cohort_id is not null or s.clinician_id is not null)
                on conflict (clinic_id, patient_id) do update set
                    program_id = coalesce(excluded.program_id, r.program_id),
                    cohort_id = coalesce(excluded.cohort_id, r.cohort_id),
                    clinician_id = coalesce(excluded.clinician_id, r.clinician_id),
                    as_of = excluded.as_of,
                    updated_at = excluded.updated_at
                where excluded.as_of >= r.as_of
                """, new { Clinic = added.ClinicId, Session = added.SessionId, Patient = added.PatientId, Now = clock.GetUtcNow() },
                tx, cancellationToken: ct)), ct);
}
