using Dapper;
using Npgsql;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Engagement.Domain;

namespace VirtualIop.Engagement.Data;

/// <summary>What Engagement knows about a missed session when the no-show reaches a consumer (Domain: MissEffects).</summary>
static class MissContexts
{
    /// <summary>Takes the patient's session lock first (<see cref="MissCorrections"/>), so a correction consumed at the same moment is seen or closes what opens.</summary>
    public static async Task<bool> Warranted(NpgsqlConnection conn, NpgsqlTransaction tx, SessionMissed missed, CancellationToken ct)
    {
        await MissCorrections.Hold(conn, tx, missed.ClinicId, missed.SessionId, missed.PatientId, ct);
        var takenBack = await MissCorrections.TakenBack(conn, tx, missed.ClinicId, missed.SessionId, missed.PatientId, ct);
        var roster = await conn.QuerySingleAsync<RosterRow>(new CommandDefinition("""
            select exists (select 1 from session_roster where clinic_id = @Clinic and session_id = @Session and cancelled) as session_cancelled,
                   exists (select 1 from session_member where clinic_id = @Clinic and session_id = @Session and patient_id = @Patient and not present) as participant_removed
            """, new { Clinic = missed.ClinicId, Session = missed.SessionId, Patient = missed.PatientId }, tx, cancellationToken: ct));
        var outcome = await EngagementRisks.Outcome(conn, tx, missed.ClinicId, missed.PatientId, missed.SessionId, ct);
        return MissEffects.Warranted(new MissContext(roster.SessionCancelled, roster.ParticipantRemoved, outcome, takenBack), OutcomeReport.Missed(missed.ClinicId, missed.PatientId, missed.SessionId, missed.SessionStartsAt, missed.TimeZone, missed.DetectedAt));
    }

    sealed record RosterRow
    {
        public bool SessionCancelled { get; init; }
        public bool ParticipantRemoved { get; init; }
    }
}
