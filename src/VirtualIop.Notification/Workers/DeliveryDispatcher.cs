using Microsoft.Extensions.Options;
using VirtualIop.BuildingBlocks.Workers;
using VirtualIop.Notification.Channels;
using VirtualIop.Notification.Data;
using VirtualIop.Notification.Domain;
using VirtualIop.Notification.Extensions;

namespace VirtualIop.Notification.Workers;

/// <summary>
/// Sends the deliveries that have come due. A pass claims a batch under a lease and, for each, tries the patient's
/// channels in their order: a channel that refuses the message for good is recorded (DeliveryFailed) and the next
/// one is tried at once; a transient failure hands the delivery back to a later pass. The outcome is written as soon
/// as it is known, with ReminderSent for a sent reminder in the same transaction. Delivery is at least once: a crash
/// after a provider accepted a message but before the row was marked sends it again once the lease runs out.
/// </summary>
public sealed class DeliveryDispatcher : DueTimeWorker
{
    const int SendsInParallel = 4;

    readonly DeliveryQueue queue;
    readonly IReadOnlyDictionary<Channel, IChannelSender> senders;
    readonly NotificationOptions settings;
    readonly TimeProvider clock;
    readonly ILogger<DeliveryDispatcher> logger;

    public DeliveryDispatcher(DeliveryQueue queue, IEnumerable<IChannelSender> senders, IOptions<NotificationOptions> options, TimeProvider clock,
        ILogger<DeliveryDispatcher> logger)
        : base(clock, logger)
    {
        this.queue = queue;
        this.senders = senders.ToDictionary(s => s.Channel);
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
        var outcome = await Attempt(delivery, now, ct);
        if (!await queue.Record(delivery, claimId, outcome, ct))
        {
            logger.LogWarning("Delivery {DeliveryId} finished after its lease had run out; another pass holds it", delivery.Id);
            return;
        }
        if (outcome.Status != DeliveryStatus.Sent)
            logger.LogInformation("Delivery {DeliveryId} {Status}: {Detail}", delivery.Id, outcome.Status, outcome.Detail);
    }

    async Task<DeliveryOutcome> Attempt(ClaimedDelivery delivery, DateTimeOffset now, CancellationToken ct)
    {
        var channels = delivery.ChannelOptions();
        var failedBefore = delivery.FailedChannelSet();
        var failures = new List<ChannelFailure>();
        while (true)
        {
            var failed = failedBefore.Concat(failures.Select(f => f.Channel)).ToHashSet();
            var decision = DeliveryRules.Decide(new DeliveryAttempt(delivery.Kind, delivery.SessionStartsAt, delivery.Attempts, channels, failed), now,
                settings.MaxAttempts);
            switch (decision)
            {
                case DeliveryDecision.Skip skip:
                    return new DeliveryOutcome(DeliveryStatus.Skipped, null, skip.Reason, failures);
                case DeliveryDecision.Suppress suppress:
                    return new DeliveryOutcome(DeliveryStatus.Suppressed, null, suppress.Reason, failures);
                case DeliveryDecision.GiveUp giveUp:
                    var refusals = string.Concat(failures.Select(f => $" {Contacts.Name(f.Channel)}: {f.Detail}"));
                    return new DeliveryOutcome(DeliveryStatus.Failed, failures.LastOrDefault()?.Channel, giveUp.Reason + refusals, failures);
            }

            var channel = ((DeliveryDecision.Send)decision).Channel;
            var result = await SendOn(channel, delivery, ct);
            switch (result.Outcome)
            {
                case SendOutcome.Sent:
                    return new DeliveryOutcome(DeliveryStatus.Sent, channel, null, failures, SentAt: clock.GetUtcNow());
                case SendOutcome.PermanentFailure:
                    logger.LogWarning("Delivery {DeliveryId} refused on {Channel} ({Reason}); trying the next channel", delivery.Id, channel, result.Reason);
                    failures.Add(new ChannelFailure(channel, result.Reason ?? "refused", result.Detail ?? "Refused."));
                    continue;
                default:
                    var detail = result.Detail ?? $"{channel} unavailable.";
                    return DeliveryRules.RetryAt(delivery.Attempts, settings.MaxAttempts, now) is { } retryAt
                        ? new DeliveryOutcome(DeliveryStatus.Pending, channel, detail, failures, RetryAt: retryAt)
                        : new DeliveryOutcome(DeliveryStatus.Failed, channel, $"{detail} Gave up after {delivery.Attempts} attempts.", failures);
            }
        }
    }

    async Task<SendResult> SendOn(Channel channel, ClaimedDelivery delivery, CancellationToken ct)
    {
        if (!senders.TryGetValue(channel, out var sender))
            return SendResult.Permanent("notConfigured", $"No sender for {channel}.");
        var facts = Facts(delivery);
        var message = channel == Channel.Email
            ? MessageTemplates.Render(delivery.Kind, facts, delivery.Language)
            : new RenderedMessage(MessageTemplates.Render(delivery.Kind, facts, delivery.Language).Subject,
                MessageTemplates.RenderShort(delivery.Kind, facts, delivery.Language));
        try
        {
            return await sender.Send(new OutgoingMessage(delivery.Id, delivery.Address(channel)!, message.Subject, message.Body), ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            logger.LogError(e, "Delivery {DeliveryId}: unexpected error while sending on {Channel}", delivery.Id, channel);
            return SendResult.Transient("unexpected", $"Unexpected error while sending ({e.GetType().Name}).");
        }
    }

    MessageFacts Facts(ClaimedDelivery delivery)
    {
        var zone = Zone(delivery.PatientTimeZone) ?? Zone(delivery.TimeZone) ?? TimeZoneInfo.Utc;
        var sessionLink = $"{settings.PatientPortalUrl.TrimEnd('/')}/sessions/{delivery.SessionId}";
        return new MessageFacts(
            MessageTemplates.DescribeSessionTime(delivery.SessionStartsAt, zone, delivery.Language),
            delivery.Kind switch
            {
                DeliveryKind.MissedSession => sessionLink + "/catch-up",
                DeliveryKind.JoinAlert => sessionLink + "/join",
                DeliveryKind.SessionCancelled => $"{settings.PatientPortalUrl.TrimEnd('/')}/sessions",
                _ => sessionLink
            });
    }

    static TimeZoneInfo? Zone(string? id) => id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;
}
