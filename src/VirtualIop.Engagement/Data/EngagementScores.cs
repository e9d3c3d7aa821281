using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.Engagement.Domain;

namespace VirtualIop.Engagement.Data;

public sealed record EngagementScoreView(Guid PatientId, int? Score, IReadOnlyList<ScorePart> Parts, EngagementFacts Facts, DateTimeOffset CalculatedAt);

/// <summary>
/// Counts what the score is made of in one statement and lets Domain: EngagementScore weigh it. Homework of a missed
/// session made up or waived is not held against the patient unless it was done anyway. A makeup offered again, expired
/// or withdrawn counts nothing (Data: Makeups keeps its state), nor does a session cancelled or one the patient was
/// taken off (Data: CountedOutcomes).
/// </summary>
public sealed class EngagementScores(NpgsqlDataSource db, PatientAudit audit, TimeProvider clock)
{
    /// <summary>The patient's score now; null for a patient this clinic does not know.</summary>
    public async Task<EngagementScoreView?> ForPatient(ClinicContext clinic, Guid patientId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        var facts = await conn.QuerySingleOrDefaultAsync<FactsRow>(new CommandDefinition($"""
            select
                (select count(*) from attendance_outcome o where o.clinic_id = @Clinic and o.patient_id = @Patient and o.starts_at <= @Now and o.outcome = 'attended' and {CountedOutcomes.Condition})::int as attended,
                (select count(*) from attendance_outcome o where o.clinic_id = @Clinic and o.patient_id = @Patient and o.starts_at <= @Now and o.outcome = 'missed' and {CountedOutcomes.Condition})::int as missed,
                (select count(*) from attendance_outcome o where o.clinic_id = @Clinic and o.patient_id = @Patient and o.starts_at <= @Now and o.outcome = 'excused' and {CountedOutcomes.Condition})::int as excused,
                (select count(*) from makeup k where k.clinic_id = @Clinic and k.patient_id = @Patient and k.state in ('booked', 'completed'))::int as makeups_booked,
                (select count(*) from makeup k where k.clinic_id = @Clinic and k.patient_id = @Patient and k.state = 'completed')::int as makeups_completed,
                (select count(*) from continuity_item i join continuity_package p on p.id = i.package_id
                 where p.clinic_id = @Clinic and p.patient_id = @Patient and i.kind = 'homework'
                   and (i.done_at is not null or p.addressed_how is null or p.addressed_how = 'completed'))::int as homework_set,
                (select count(*) from continuity_item i join continuity_package p on p.id = i.package_id
                 where p.clinic_id = @Clinic and p.patient_id = @Patient and i.kind = 'homework' and i.done_at is not null)::int as homework_done
            where {KnownPatients.Condition}
            """, new { Clinic = clinic.ClinicId, Patient = patientId, Now = now }, cancellationToken: ct));
        if (facts is null) return null;
        await audit.Read(conn, [patientId], ct);
        var f = new EngagementFacts(facts.Attended, facts.Missed, facts.Excused, facts.MakeupsBooked, facts.MakeupsCompleted, facts.HomeworkSet, facts.HomeworkDone);
        var card = EngagementScore.Of(f);
        return new EngagementScoreView(patientId, card.Score, card.Parts, f, now);
    }

    sealed record FactsRow
    {
        public int Attended { get; init; }
        public int Missed { get; init; }
        public int Excused { get; init; }
        public int MakeupsBooked { get; init; }
        public int MakeupsCompleted { get; init; }
        public int HomeworkSet { get; init; }
        public int HomeworkDone { get; init; }
    }
}
