using System.Text.Json;
using Microsoft.Extensions.Options;
using VirtualIop.Notification.Data;
using VirtualIop.Notification.Extensions;

namespace VirtualIop.Notification.Channels.HelpDesk;

/// <summary>
/// Opens a ticket at the clinic's help desk: a signed JSON POST of ids only (ticket, clinic, patient, session, the
/// reason code and where it came from). The delivery id is the ticket id, so a help desk that sees it twice (a retry
/// after a lost answer) can tell. A 4xx is final; the rest is retried behind its own circuit breaker.
/// </summary>
public sealed class HelpDeskWebhook(IOptions<NotificationOptions> options, TimeProvider clock, ILogger<HelpDeskWebhook> logger) : IDisposable
{
    readonly SignedWebhook helpDesk = new("helpdesk", "Help desk", "tickets", options.Value.HelpDesk, clock, logger);

    public Task<SendResult> OpenTicket(ClaimedDelivery ticket, CancellationToken ct) =>
        helpDesk.Configured
            ? helpDesk.Post(ticket.Id, JsonSerializer.Serialize(new
            {
                ticketId = ticket.Id,
                clinicId = ticket.ClinicId,
                patientId = ticket.PatientId,
                sessionId = ticket.SessionId,
                reason = PatientOutreach.TechnicalDifficulty,
                source = ticket.Topic,
                openedAt = clock.GetUtcNow()
            }), ct)
            : Task.FromResult(SendResult.Permanent("notConfigured", "No help-desk webhook is configured."));

    public void Dispose() => helpDesk.Dispose();
}
