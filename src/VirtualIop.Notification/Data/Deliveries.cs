using Dapper;
using Npgsql;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.BuildingBlocks.Auth;
using VirtualIop.BuildingBlocks.Http;
using VirtualIop.Notification.Domain;

namespace VirtualIop.Notification.Data;

/// <summary>
/// A delivery as the clinic reads it. Status is the stored life cycle (pending, sending, sent, failed, skipped,
/// suppressed, cancelled, unknown); State is what it means to a reader: queued, deferred (moved out of quiet hours or waiting
/// to be retried), sent, failed, suppressed (Reason: optOut, quietHours, noAddress, sessionStarted, noClinician),
/// cancelled, or unknown (Reason: noAnswer, the provider gave no answer after the message was handed over; interrupted,
/// the sender stopped mid-send; unexpected, the sender failed in an unforeseen way): it may have gone out on Channel,
/// and is not sent again.
/// </summary>
public sealed record Delivery
{
    public Guid Id { get; init; }
    public Guid PatientId { get; init; }
    public Guid? SessionId { get; init; }
    public DeliveryKind Kind { get; init; }
    public string Channel { get; init; } = "";
    public Recipient Recipient { get; init; }
    public Guid? RecipientId { get; init; }
    public DateTimeOffset DueAt { get; init; }
    public DeliveryStatus Status { get; init; }
    public string State { get; init; } = "";
    public string? Reason { get; init; }
    public DateTimeOffset? SentAt { get; init; }
    public string? Detail { get; init; }
}

/// <summary>Reads of deliveries, a page at a time by (due time, id).</summary>
public sealed class Deliveries(NpgsqlDataSource db, PatientAudit audit)
{
    const string Columns = """
        d.id, d.patient_id, d.session_id, d.kind, d.channel, d.recipient, d.recipient_id, d.due_at, d.status,
        case
            when d.status in ('pending', 'sending') and (d.attempts > case when d.status = 'sending' then 1 else 0 end or d.reason_code = 'quietHours')
                then 'deferred'
            when d.status in ('pending', 'sending') then 'queued'
            when d.status in ('skipped', 'suppressed') then 'suppressed'
            else d.status
        end as state,
        d.reason_code as reason, d.sent_at, d.detail
        """;

    public async Task<(IReadOnlyList<Delivery> Rows, string? NextCursor)> List(ClinicContext clinic, Guid? patientId, Guid? sessionId, PageRequest page,
        CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<Delivery>(new CommandDefinition($"""
            select {Columns}
            from delivery d
            where d.clinic_id = @Clinic
              and (@PatientId::uuid is null or d.patient_id = @PatientId)
              and (@SessionId::uuid is null or d.session_id = @SessionId)
              and (@AfterStartsAt::timestamptz is null or (d.due_at, d.id) > (@AfterStartsAt, @AfterId))
            order by d.due_at, d.id
            limit @Take
            """, new { Clinic = clinic.ClinicId, PatientId = patientId, SessionId = sessionId, page.AfterStartsAt, page.AfterId, page.Take },
            cancellationToken: ct));
        var (shown, next) = page.Cut(rows.AsList(), d => (d.DueAt, d.Id));
        await audit.Read(conn, shown.Select(d => d.PatientId), ct);
        return (shown, next);
    }

    /// <summary>
    /// What is still to go out about a clinician's patients (outreach, not routine reminders) and the alerts still to
    /// reach the clinician. A clinician's patients are those whose latest known session the clinician leads.
    /// </summary>
    public async Task<(IReadOnlyList<Delivery> Rows, string? NextCursor)> PendingOutreach(ClinicContext clinic, Guid clinicianId, PageRequest page,
        CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<Delivery>(new CommandDefinition($"""
            with latest as (
                select distinct on (p.patient_id) p.patient_id, s.clinician_id
                from session_participant p
                join session s on s.clinic_id = p.clinic_id and s.id = p.session_id
                where p.clinic_id = @Clinic and s.clinician_id is not null and s.cancelled_at is null
                order by p.patient_id, s.starts_at desc
            )
            select {Columns}
            from delivery d
            where d.clinic_id = @Clinic
              and d.status in ('pending', 'sending')
              and d.kind not in ('reminder', 'joinAlert', 'helpDeskTicket')
              and (d.recipient_id = @Clinician or d.patient_id in (select patient_id from latest where clinician_id = @Clinician))
              and (@AfterStartsAt::timestamptz is null or (d.due_at, d.id) > (@AfterStartsAt, @AfterId))
            order by d.due_at, d.id
            limit @Take
            """, new { Clinic = clinic.ClinicId, Clinician = clinicianId, page.AfterStartsAt, page.AfterId, page.Take }, cancellationToken: ct));
        var (shown, next) = page.Cut(rows.AsList(), d => (d.DueAt, d.Id));
        await audit.Read(conn, shown.Select(d => d.PatientId), ct);
        return (shown, next);
    }
}
