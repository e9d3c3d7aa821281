using System.Globalization;
using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Scheduling.Domain;

namespace VirtualIop.Scheduling.Data;

/// <summary>A patient's plan next to what is actually on their schedule in the coming week.</summary>
public sealed record PatientPlan(Guid PatientId, int? SessionsPerWeek, DateTimeOffset? FrequencyAdjustedAt, DateOnly? FrequencyEffectiveFrom,
    string? Modality, DateTimeOffset? ModalityAdjustedAt, int ScheduledNextSevenDays);

/// <summary>
/// Keeps the planned frequency and modality from Engagement's PlanAdjusted, so whoever schedules sees what the plan asks
/// for beside what is booked. Either change also moves the patient's future sessions to match the whole plan (<see cref="PlanModality"/>:
/// group sessions by the frequency rule, individual sessions by the modality), in the same transaction. Each part follows the newest adjustment; redeliveries change nothing (inbox).
/// </summary>
public sealed class PatientPlans(NpgsqlDataSource db, Inbox inbox, PlanModality modalities, TimeProvider clock, ILogger<PatientPlans> logger,
    PatientAudit audit)
{
    public Task<bool> Record(PlanAdjusted adjusted, string consumer, CancellationToken ct) =>
        inbox.ProcessOnce(adjusted, consumer, async (conn, tx) =>
        {
            switch (PlanChange.From(adjusted.Change, adjusted.SessionsPerWeek, adjusted.Modality))
            {
                case PlanChange.Frequency frequency:
                    var newest = await conn.QuerySingleOrDefaultAsync<int?>(new CommandDefinition("""
                        insert into patient_plan (clinic_id, patient_id, sessions_per_week, frequency_adjusted_at, frequency_effective_from)
                        values (@Clinic, @Patient, @PerWeek, @At, @From::date)
                        on conflict (clinic_id, patient_id) do update
                        set sessions_per_week = excluded.sessions_per_week, frequency_adjusted_at = excluded.frequency_adjusted_at,
                            frequency_effective_from = excluded.frequency_effective_from
                        where patient_plan.frequency_adjusted_at is null or patient_plan.frequency_adjusted_at <= excluded.frequency_adjusted_at
                        returning 1
                        """, new
                        {
                            Clinic = adjusted.ClinicId, Patient = adjusted.PatientId, PerWeek = frequency.SessionsPerWeek, At = adjusted.AdjustedAt,
                            From = adjusted.EffectiveFrom?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                        }, tx, cancellationToken: ct));
                    // An older adjustment arriving late leaves the newer one's roster as it is.
                    if (newest is not null) await modalities.Apply(conn, tx, adjusted.ClinicId, adjusted.PatientId, adjusted.EffectiveFrom, ct);
                    break;
                case PlanChange.Modality modality:
                    var newer = await conn.QuerySingleOrDefaultAsync<int?>(new CommandDefinition("""
                        insert into patient_plan (clinic_id, patient_id, modality, modality_adjusted_at, modality_effective_from)
                        values (@Clinic, @Patient, @Modality, @At, @From::date)
                        on conflict (clinic_id, patient_id) do update
                        set modality = excluded.modality, modality_adjusted_at = excluded.modality_adjusted_at,
                            modality_effective_from = excluded.modality_effective_from
                        where patient_plan.modality_adjusted_at is null or patient_plan.modality_adjusted_at <= excluded.modality_adjusted_at
                        returning 1
                        """, new
                        {
                            Clinic = adjusted.ClinicId, Patient = adjusted.PatientId, Modality = modality.Name, At = adjusted.AdjustedAt,
                            From = adjusted.EffectiveFrom?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                        }, tx, cancellationToken: ct));
                    if (newer is not null) await modalities.Apply(conn, tx, adjusted.ClinicId, adjusted.PatientId, adjusted.EffectiveFrom, ct);
                    break;
                default:
                    logger.LogWarning("PlanAdjusted {EventId} for clinic {ClinicId} ignored: change {Change} cannot be applied",
                        adjusted.EventId, adjusted.ClinicId, adjusted.Change);
                    break;
            }
        }, ct);

    /// <returns>null when no plan was adjusted for the patient in this clinic.</returns>
    public async Task<PatientPlan?> Find(Guid clinicId, Guid patientId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<Row>(new CommandDefinition("""
            select pp.patient_id, pp.sessions_per_week, pp.frequency_adjusted_at, pp.frequency_effective_from, pp.modality, pp.modality_adjusted_at,
                   (select count(*)::int from session s
                    where s.clinic_id = pp.clinic_id and s.status = 'scheduled' and s.starts_at >= @Now and s.starts_at < @WeekAhead
                      and exists (select 1 from session_participant p where p.clinic_id = s.clinic_id and p.session_id = s.id and p.patient_id = pp.patient_id))
                   as scheduled_next_seven_days
            from patient_plan pp where pp.clinic_id = @Clinic and pp.patient_id = @Patient
            """, new { Clinic = clinicId, Patient = patientId, Now = now, WeekAhead = now.AddDays(7) }, cancellationToken: ct));
        if (row is not null) await audit.Read(conn, [patientId], ct);
        return row is null ? null : new PatientPlan(row.PatientId, row.SessionsPerWeek, row.FrequencyAdjustedAt,
            row.FrequencyEffectiveFrom is { } from ? DateOnly.FromDateTime(from) : null, row.Modality, row.ModalityAdjustedAt, row.ScheduledNextSevenDays);
    }

    sealed class Row
    {
        public Guid PatientId { get; set; }
        public int? SessionsPerWeek { get; set; }
        public DateTimeOffset? FrequencyAdjustedAt { get; set; }
        public DateTime? FrequencyEffectiveFrom { get; set; }
        public string? Modality { get; set; }
        public DateTimeOffset? ModalityAdjustedAt { get; set; }
        public int ScheduledNextSevenDays { get; set; }
    }
}
