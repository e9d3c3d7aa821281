using Dapper;
using Npgsql;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Engagement.Domain;

namespace VirtualIop.Engagement.Data;

/// <summary>What Engagement knows about a missed session when the no-show reaches a consumer (Domain: MissEffects).</summary>
static class MissContexts
{
    /// <summary>
    /// Takes the patient's session lock first (<see cref="MissCorrections"/>), so a correction consumed at the same moment
    /// is seen or closes what opens. The lock and the reads go in one round trip: under read committed each statement of
    /// the batch takes its own snapshot, so the reads still see everything committed before the lock was granted.
    /// </summary>
    public static async Task<bool> Warranted(NpgsqlConnection conn, NpgsqlTransaction tx, SessionMissed missed, CancellationToken ct)
    {
        await using var batch = await conn.QueryMultipleAsync(new CommandDefinition($"""
            {MissCorrections.HoldSql};
            {MissCorrections.TakenBackSql};
            select exists (select 1 from session_roster where clinic_id = @Clinic and session_id = @Session and cancelled) as session_cancelled,
                   exists (select 1 from session_member where clinic_id = @Clinic and session_id = @Session and patient_id = @Patient and not present) as participant_removed;
            {EngagementRisks.OutcomeSql}
            """, new { Clinic = missed.ClinicId, Session = missed.SessionId, Patient = missed.PatientId }, tx, cancellationToken: ct));
        await batch.ReadAsync();
        var takenBack = await batch.ReadSingleAsync<bool>();
        var roster = await batch.ReadSingleAsync<RosterRow>();
        var outcome = await EngagementRisks.ReadOutcome(batch);
        return MissEffects.Warranted(new MissContext(roster.SessionCancelled, roster.ParticipantRemoved, outcome, takenBack), OutcomeReport.Missed(missed.ClinicId, missed.PatientId, missed.SessionId, missed.SessionStartsAt, missed.TimeZone, missed.DetectedAt));
    }

    sealed record RosterRow
    {
        public bool SessionCancelled { get; init; }
        public bool ParticipantRemoved { get; init; }
    }
}
