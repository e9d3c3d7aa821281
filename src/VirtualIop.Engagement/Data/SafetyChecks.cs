using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Engagement.Domain;
using VirtualIop.Engagement.Extensions;

namespace VirtualIop.Engagement.Data;

/// <summary>
/// Opens the urgent safety check a crisis calls for (Domain: SafetyCheckRules): a follow-up task of kind safetyCheck,
/// priority urgent, due Engagement:SafetyCheck:Due after it opened, with FollowUpTaskCreated and SafetyCheckOpened in the
/// inbox's transaction. The clinician and program it names are the patient's on Engagement's roster. A patient already
/// under an active safety check gets no second one (one active task per patient and kind), so nothing is announced twice.
/// </summary>
public sealed class SafetyChecks(Inbox inbox, Outbox outbox, IOptions<SafetyCheckOptions> options, TimeProvider clock)
{
    public Task<bool> OpenForAbsence(AbsenceNotified notice, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(notice, inboxKey, async (conn, tx) =>
        {
            if (!SafetyCheckRules.CallsForSafetyCheck(notice.ReasonCategory)) return;
            await Open(conn, tx, notice.ClinicId, notice.PatientId, notice.SessionId, SafetyCheckRules.EmergencyAbsence, ct);
        }, ct);

    public Task<bool> OpenForCorrection(AttendanceCorrected corrected, string inboxKey, CancellationToken ct) =>
        inbox.ProcessOnce(corrected, inboxKey, async (conn, tx) =>
        {
            if (!SafetyCheckRules.CallsForSafetyCheck(corrected.ReasonCategory)) return;
            await Open(conn, tx, corrected.ClinicId, corrected.PatientId, corrected.SessionId, SafetyCheckRules.EmergencyAbsence, ct);
        }, ct);

    /// <summary>
    /// The configured pattern (Domain: SafetyCheckRules.PatternCallsForSafetyCheck), checked in the caller's transaction
    /// when a patient's risk is re-evaluated. It opens one check for the latest session of the run: a re-evaluation later
    /// that sees the same run opens none once a safety check was opened about that session.
    /// </summary>
    public async Task OpenForPattern(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinic, Guid patient, RiskLevel levelBefore,
        IReadOnlyList<SessionOutcome> newestFirst, CancellationToken ct)
    {
        if (!SafetyCheckRules.PatternCallsForSafetyCheck(levelBefore, newestFirst, options.Value.SilentNoShowsAtHighRisk)) return;
        var session = newestFirst[0].SessionId;
        var already = await conn.ExecuteScalarAsync<bool>(new CommandDefinition("""
            select exists (select 1 from follow_up_task where clinic_id = @Clinic and patient_id = @Patient and session_id = @Session and kind = @Kind)
            """, new { Clinic = clinic, Patient = patient, Session = session, Kind = WireName.Of(FollowUpKind.SafetyCheck) }, tx, cancellationToken: ct));
        if (!already) await Open(conn, tx, clinic, patient, session, SafetyCheckRules.SilentNoShowsAtHighRisk, ct);
    }

    /// <summary>Opens a safety check in the caller's transaction (a note flagged as a crisis); nothing when one is already active for the patient.</summary>
    public async Task Open(NpgsqlConnection conn, NpgsqlTransaction tx, Guid clinic, Guid patient, Guid? session, string trigger, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var dueBy = now + options.Value.Due;
        var taskId = await conn.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition("""
            insert into follow_up_task (id, clinic_id, patient_id, session_id, kind, reason, status, priority, created_at, due_by, updated_at)
            values (@Id, @Clinic, @Patient, @Session, @Kind, @Reason, 'open', 'urgent', @Now, @DueBy, @Now)
            on conflict do nothing
            returning id
            """, new
        {
            Id = Guid.CreateVersion7(now), Clinic = clinic, Patient = patient, Session = session, Kind = WireName.Of(FollowUpKind.SafetyCheck),
            Reason = WireName.Of(FollowUpReason.Crisis), Now = now, DueBy = dueBy
        }, tx, cancellationToken: ct));
        if (taskId is not { } id) return;
        var roster = await conn.QuerySingleOrDefaultAsync<(Guid? ClinicianId, Guid? ProgramId)?>(new CommandDefinition("""
            select coalesce(s.clinician_id, p.clinician_id), coalesce(s.program_id, p.program_id)
            from (select 1) one
            left join session_roster s on s.clinic_id = @Clinic and s.session_id = @Session
            left join patient_roster p on p.clinic_id = @Clinic and p.patient_id = @Patient
            """, new { Clinic = clinic, Patient = patient, Session = session }, tx, cancellationToken: ct));
        await outbox.Add(conn, tx, new FollowUpTaskCreated(Guid.CreateVersion7(), clinic, id, patient, session ?? Guid.Empty,
            WireName.Of(FollowUpReason.Crisis), now, WireName.Of(FollowUpKind.SafetyCheck), session), ct);
        await outbox.Add(conn, tx, new SafetyCheckOpened(Guid.CreateVersion7(), clinic, id, patient, session, roster?.ClinicianId, roster?.ProgramId,
            trigger, dueBy, now), ct);
    }
}
