using Dapper;
using Npgsql;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Engagement.Domain;

namespace VirtualIop.Engagement.Data;

/// <summary>What Engagement knows about a missed session when the no-show reaches a consumer (Domain: MissEffects).</summary>
static class MissContexts
{
    public static async Task<bool> Warranted(NpgsqlConnection conn, NpgsqlTransaction tx, SessionMissed missed, CancellationToken ct)
    {
        var roster = await conn.QuerySingleAsync<RosterRow>(new CommandDefinition("""
            select exists (select 1 from session_roster where clinic_id = @Clinic and session_id = @Session and cancelled) as session_cancelled,
                   exists (select 1 from session_member where clinic_id = @Clinic and session_id = @Session and patient_id = @Patient and not present) as participant_removed
            """, new { Clinic = missed.ClinicId, Session = missed.SessionId, Patient = missed.PatientId }, tx, cancellationToken: ct));
        var outcome = await EngagementRisks.Outcome(conn, tx, missed.ClinicId, missed.PatientId, missed.SessionId, ct);
        return MissEffects.Warranted(new MissContext(roster.SessionCancelled, roster.ParticipantRemoved, outcome), OutcomeReport.Missed(missed.ClinicId, missed.PatientId, missed.SessionId, missed.SessionStartsAt, missed.TimeZone, missed.DetectedAt));
    }

    sealed record RosterRow
    {
        public bool SessionCancelled { get; init; }
        public bool ParticipantRemoved { get; init; }
    }
}
