using System.Text.Json;
using Microsoft.Extensions.Options;
using VirtualIop.Notification.Data;
using VirtualIop.Notification.Domain;
using VirtualIop.Notification.Extensions;

namespace VirtualIop.Notification.Channels.HelpDesk;

/// <summary>
/// Opens a ticket at the clinic's help desk: a signed JSON POST of ids only (ticket, clinic, patient, session, the
/// reason code and where it came from) and, for a ticket from the patient's technical check, the check's results. The
/// delivery id is the ticket id, so a help desk that sees it twice (a retry after a lost answer) can tell. A 4xx is
/// final; the rest is retried behind its own circuit breaker.
/// </summary>
public sealed class HelpDeskWebhook(IOptions<NotificationOptions> options, TimeProvider clock, ILogger<HelpDeskWebhook> logger) : IDisposable
{
    readonly SignedWebhook helpDesk = new("helpdesk", "Help desk", "tickets", options.Value.HelpDesk, clock, logger);

    public Task<SendResult> OpenTicket(ClaimedDelivery ticket, CancellationToken ct) =>
        helpDesk.Configured
            ? helpDesk.Post(ticket.Id, Body(ticket), ct)
            : Task.FromResult(SendResult.Permanent("notConfigured", "No help-desk webhook is configured."));

    string Body(ClaimedDelivery ticket)
    {
        var check = TechnicalCheck.FromTopic(ticket.Topic);
        return JsonSerializer.Serialize(new
        {
            ticketId = ticket.Id,
            clinicId = ticket.ClinicId,
            patientId = ticket.PatientId,
            sessionId = ticket.SessionId,
            reason = PatientOutreach.TechnicalDifficulty,
            source = check is null ? ticket.Topic : TechnicalCheck.Source,
            checks = check is null ? null : new { camera = check.Camera, microphone = check.Microphone, connection = check.Connection },
            openedAt = clock.GetUtcNow()
        });
    }

    public void Dispose() => helpDesk.Dispose();
}
