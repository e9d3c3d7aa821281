using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using VirtualIop.BuildingBlocks.Audit;
using VirtualIop.Notification.Domain;
using VirtualIop.Notification.Extensions;

namespace VirtualIop.Notification.Data;

/// <summary>A request for technical help as taken: its id and the help-desk ticket it opened (null without a help desk).</summary>
public sealed record TechnicalHelpTaken(Guid RequestId, Guid? TicketId);

/// <summary>
/// Requests for technical help from the patient's technical check. Each is recorded with the check's results and opens a
/// help-desk ticket through the dispatcher, like a notice put down to technical difficulty: one ticket per patient and
/// session (a second request about the same session joins the open one), one per request without a session. The
/// ticket carries ids and the check's results; the patient's note stays here.
/// </summary>
public sealed class TechnicalHelpRequests(NpgsqlDataSource db, IOptions<NotificationOptions> options, PatientAudit audit, TimeProvider clock)
{
    /// <returns>Null when <paramref name="sessionId"/> is not a session of the patient in this clinic; nothing is written then.</returns>
    public async Task<TechnicalHelpTaken?> Request(Guid clinicId, Guid patientId, Guid? sessionId, TechnicalCheck check, string? note, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        if (sessionId is { } session && !await conn.ExecuteScalarAsync<bool>(new CommandDefinition("""
                select exists (select 1 from session_participant
                               where clinic_id = @Clinic and session_id = @Session and patient_id = @Patient)
                """, new { Clinic = clinicId, Session = session, Patient = patientId }, tx, cancellationToken: ct)))
        {
            return null;
        }

        Guid? ticketId = null;
        if (options.Value.HelpDesk.Configured)
        {
            ticketId = await conn.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition("""
                insert into delivery (id, clinic_id, patient_id, session_id, kind, channel, recipient, topic, due_at, status, created_at)
                values (gen_random_uuid(), @Clinic, @Patient, @Session, 'helpDeskTicket', 'helpDesk', 'helpDesk', @Topic, @Now, 'pending', @Now)
                on conflict do nothing
                returning id
                """, new { Clinic = clinicId, Patient = patientId, Session = sessionId, Topic = check.ToTopic(), Now = now }, tx, cancellationToken: ct))
                ?? await conn.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition("""
                    select id from delivery
                    where clinic_id = @Clinic and session_id = @Session and patient_id = @Patient and kind = 'helpDeskTicket' and status <> 'cancelled'
                    order by created_at limit 1
                    """, new { Clinic = clinicId, Patient = patientId, Session = sessionId }, tx, cancellationToken: ct));
        }

        var requestId = Guid.CreateVersion7(now);
        await conn.ExecuteAsync(new CommandDefinition("""
            insert into technical_help_request (clinic_id, id, patient_id, session_id, camera, microphone, connection, note, ticket_id, requested_at)
            values (@Clinic, @Id, @Patient, @Session, @Camera, @Microphone, @Connection, @Note, @Ticket, @Now)
            """, new
        {
            Clinic = clinicId, Id = requestId, Patient = patientId, Session = sessionId, check.Camera, check.Microphone, check.Connection, Note = note,
            Ticket = ticketId, Now = now
        }, tx, cancellationToken: ct));
        await audit.Change(conn, tx, [patientId], ct);
        await tx.CommitAsync(ct);
        return new TechnicalHelpTaken(requestId, ticketId);
    }
}
