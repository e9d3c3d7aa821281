using System.Globalization;
using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.BuildingBlocks.Messaging;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Engagement.Domain;

namespace VirtualIop.Engagement.Data;

/// <summary>An entry of the log: RecordedBy is the client that sent it, RecordedByUser the staff member (their token's sub) when one did.</summary>
public sealed record PlanEntryView(Guid Id, Guid PatientId, PlanChange Change, int? SessionsPerWeek, DateOnly? EffectiveFrom, TreatmentModality? Modality,
    string Rationale, string RecordedBy, string? RecordedByUser, DateTimeOffset RecordedAt);

public sealed record NewPlanAdjustment(PlanChange Change, int? SessionsPerWeek, DateOnly? EffectiveFrom, TreatmentModality? Modality, string Rationale,
    string? StaffUserId);

/// <summary>The append-only treatment-plan log: entries are added, never changed or removed.</summary>
public sealed class TreatmentPlanLog(NpgsqlDataSource db, Outbox outbox, PatientAudit audit, TimeProvider clock)
{
    const string Columns = "id, patient_id, change, sessions_per_week, effective_from, modality, rationale, recorded_by, recorded_by_user, recorded_at";

    /// <summary>Appends an adjustment for a patient the clinic knows and publishes PlanAdjusted in the same transaction; null for an unknown patient.</summary>
    public async Task<PlanEntryView?> Adjust(ClinicContext clinic, Guid patientId, NewPlanAdjustment adjustment, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<EntryRow>(new CommandDefinition($"""
            insert into treatment_plan_entry (id, clinic_id, patient_id, change, sessions_per_week, effective_from, modality, rationale,
                                              recorded_by, recorded_by_user, recorded_at)
            select @Id, @Clinic, @Patient, @Change, @SessionsPerWeek, @EffectiveFrom::date, @Modality, @Rationale, @Client, @User, @Now
            where {KnownPatients.Condition}
            returning {Columns}
            """,
            new
            {
                Id = Guid.CreateVersion7(), Clinic = clinic.ClinicId, Patient = patientId, Change = WireName.Of(adjustment.Change), adjustment.SessionsPerWeek,
                EffectiveFrom = adjustment.EffectiveFrom?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Modality = adjustment.Modality is { } m ? WireName.Of(m) : null, adjustment.Rationale, Client = clinic.ClientId,
                User = adjustment.StaffUserId, Now = now
            }, tx, cancellationToken: ct));
        if (row is null) return null;
        await outbox.Add(conn, tx, new PlanAdjusted(Guid.CreateVersion7(), clinic.ClinicId, row.Id, patientId, WireName.Of(adjustment.Change),
            adjustment.SessionsPerWeek, row.Modality is { } modality ? WireName.Of(modality) : null, now, adjustment.EffectiveFrom), ct);
        await audit.Change(conn, tx, [patientId], ct);
        await tx.CommitAsync(ct);
        return row.ToView();
    }

    /// <summary>One page of a patient's log, oldest first (keyset on recorded at, id), and the cursor of the next.</summary>
    public async Task<(IReadOnlyList<PlanEntryView> Entries, string? NextCursor)> ForPatient(ClinicContext clinic, Guid patientId, PageRequest page,
        CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<EntryRow>(new CommandDefinition($"""
            select {Columns} from treatment_plan_entry
            where clinic_id = @Clinic and patient_id = @Patient and (@AfterId::uuid is null or (recorded_at, id) > (@AfterStartsAt, @AfterId))
            order by recorded_at, id
            limit @Take
            """, new { Clinic = clinic.ClinicId, Patient = patientId, page.AfterStartsAt, page.AfterId, page.Take }, cancellationToken: ct));
        var (entries, nextCursor) = page.Cut(rows.Select(r => r.ToView()).ToList(), e => (e.RecordedAt, e.Id));
        await audit.Read(conn, [patientId], ct);
        return (entries, nextCursor);
    }

    sealed record EntryRow
    {
        public Guid Id { get; init; }
        public Guid PatientId { get; init; }
        public PlanChange Change { get; init; }
        public int? SessionsPerWeek { get; init; }
        public DateTime? EffectiveFrom { get; init; }
        public TreatmentModality? Modality { get; init; }
        public string Rationale { get; init; } = "";
        public string RecordedBy { get; init; } = "";
        public string? RecordedByUser { get; init; }
        public DateTimeOffset RecordedAt { get; init; }

        public PlanEntryView ToView() => new(Id, PatientId, Change, SessionsPerWeek, EffectiveFrom is { } from ? DateOnly.FromDateTime(from) : null,
            Modality, Rationale, RecordedBy, RecordedByUser, RecordedAt);
    }
}
