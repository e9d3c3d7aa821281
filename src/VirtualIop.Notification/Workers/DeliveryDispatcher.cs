using Microsoft.Extensions.Options;
using VirtualIop.BuildingBlocks.Workers;
using VirtualIop.Notification.Data;
using VirtualIop.Notification.Domain;
using VirtualIop.Notification.Email;
using VirtualIop.Notification.Extensions;

namespace VirtualIop.Notification.Workers;

/// <summary>
/// Sends the deliveries that have come due. A pass claims a batch under a lease, sends each message and
/// records its outcome as soon as it is known: sent (with ReminderSent for reminders, same transaction),
/// skipped, failed for good, or handed back for a later pass. Delivery is at least once: a crash after the
/// mail server accepted a message but before the row was marked sends it again once the lease runs out.
/// </summary>
public sealed class DeliveryDispatcher : DueTimeWorker
{
    const int SendsInParallel = 4;

    readonly DeliveryQueue queue;
    readonly IEmailSender email;
    readonly NotificationOptions settings;
    readonly TimeProvider clock;
    readonly ILogger<DeliveryDispatcher> logger;

    public DeliveryDispatcher(DeliveryQueue queue, IEmailSender email, IOptions<NotificationOptions> options, TimeProvider clock, ILogger<DeliveryDispatcher> logger)
        : base(clock, logger)
    {
        this.queue = queue;
        this.email = email;
        settings = options.Value;
        this.clock = clock;
        this.logger = logger;
    }

    protected override TimeSpan Interval => settings.DispatchInterval;

    protected override int BatchSize => settings.DispatchBatchSize;

    public override async Task<int> RunOnce(DateTimeOffset now, CancellationToken ct)
    {
        var claimId = Guid.CreateVersion7();
        var claimed = await queue.Claim(claimId, now, settings.DispatchLease, settings.DispatchBatchSize, ct);
        // Each outcome is written as soon as its send returns, so a crash leaves at most the sends in flight to repeat.
        await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = SendsInParallel, CancellationToken = ct },
            async (delivery, token) => await Deliver(delivery, claimId, now, token));
        return claimed.Count;
    }

    async Task Deliver(ClaimedDelivery delivery, Guid claimId, DateTimeOffset now, CancellationToken ct)
    {
        var decision = DeliveryRules.Decide(
            new DeliveryAttempt(delivery.Kind, delivery.SessionStartsAt, delivery.Attempts, delivery.Email is not null, delivery.EmailOptedOut),
            now, settings.MaxAttempts);
        switch (decision)
        {
            case DeliveryDecision.Skip skip:
                await queue.Finish(delivery.Id, claimId, DeliveryStatus.Skipped, skip.Reason, ct);
                logger.LogInformation("Delivery {DeliveryId} skipped: {Reason}", delivery.Id, skip.Reason);
                return;
            case DeliveryDecision.Suppress suppress:
                await queue.Finish(delivery.Id, claimId, DeliveryStatus.Suppressed, suppress.Reason, ct);
                logger.LogInformation("Delivery {DeliveryId} suppressed: {Reason}", delivery.Id, suppress.Reason);
                return;
            case DeliveryDecision.GiveUp giveUp:
                await queue.Finish(delivery.Id, claimId, DeliveryStatus.Failed, giveUp.Reason, ct);
                logger.LogWarning("Delivery {DeliveryId} failed: {Reason}", delivery.Id, giveUp.Reason);
                return;
        }

        var message = MessageTemplates.Render(delivery.Kind, Facts(delivery), delivery.Language);
        EmailSendResult result;
        try
        {
            result = await email.Send(new OutgoingEmail(delivery.Email!, message.Subject, message.Body), ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            logger.LogError(e, "Delivery {DeliveryId}: unexpected error while sending", delivery.Id);
            result = new EmailSendResult(EmailSendOutcome.TransientFailure, $"Unexpected error while sending ({e.GetType().Name}).");
        }

        switch (result.Outcome)
        {
            case EmailSendOutcome.Sent:
                if (!await queue.MarkSent(delivery, claimId, clock.GetUtcNow(), ct))
                    logger.LogWarning("Delivery {DeliveryId} was sent after its lease had run out", delivery.Id);
                break;
            case EmailSendOutcome.PermanentFailure:
                await queue.Finish(delivery.Id, claimId, DeliveryStatus.Failed, result.Detail ?? "Refused by the mail server.", ct);
                logger.LogWarning("Delivery {DeliveryId} refused by the mail server", delivery.Id);
                break;
            case EmailSendOutcome.TransientFailure:
                var detail = result.Detail ?? "Mail server unavailable.";
                if (DeliveryRules.RetryAt(delivery.Attempts, settings.MaxAttempts, now) is { } retryAt)
                    await queue.Retry(delivery.Id, claimId, retryAt, detail, ct);
                else
                    await queue.Finish(delivery.Id, claimId, DeliveryStatus.Failed, $"{detail} Gave up after {delivery.Attempts} attempts.", ct);
                break;
        }
    }

    MessageFacts Facts(ClaimedDelivery delivery)
    {
        var zone = Zone(delivery.PatientTimeZone) ?? Zone(delivery.TimeZone) ?? TimeZoneInfo.Utc;
        var sessionLink = $"{settings.PatientPortalUrl.TrimEnd('/')}/sessions/{delivery.SessionId}";
        return new MessageFacts(
            MessageTemplates.DescribeSessionTime(delivery.SessionStartsAt, zone, delivery.Language),
            delivery.Kind == DeliveryKind.MissedSession ? sessionLink + "/catch-up" : sessionLink);
    }

    static TimeZoneInfo? Zone(string? id) => id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;
}
