using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using VirtualIop.BuildingBlocks.Workers;
using VirtualIop.Notification.Channels;
using VirtualIop.Notification.Data;
using VirtualIop.Notification.Domain;
using VirtualIop.Notification.Extensions;
using VirtualIop.Notification.HelpDesk;

namespace VirtualIop.Notification.Workers;

/// <summary>
/// Sends the deliveries that have come due. A pass claims a batch under a lease and sends it with a few senders in
/// parallel (each keeping its SMTP connection for the pass). For each delivery it tries the recipient's channels in
/// their order: a channel that refuses the message for good is recorded (DeliveryFailed) and the next one is tried at
/// once; a transient failure hands the delivery back to a later pass. The outcomes of the pass are written together in
/// one statement, with ReminderSent for each sent reminder, in one transaction. Delivery is at least once: a crash
/// after a provider accepted a message but before the pass recorded it sends it again once the lease runs out, so a
/// crash repeats at most one batch.
/// </summary>
public sealed class DeliveryDispatcher : DueTimeWorker
{
    readonly DeliveryQueue queue;
    readonly IReadOnlyDictionary<Channel, IChannelSender> senders;
    readonly HelpDeskWebhook helpDesk;
    readonly NotificationOptions settings;
    readonly TimeProvider clock;
    readonly ILogger<DeliveryDispatcher> logger;

    public DeliveryDispatcher(DeliveryQueue queue, IEnumerable<IChannelSender> senders, HelpDeskWebhook helpDesk, IOptions<NotificationOptions> options,
        TimeProvider clock, ILogger<DeliveryDispatcher> logger)
        : base(clock, logger)
    {
        this.queue = queue;
        this.senders = senders.ToDictionary(s => s.Channel);
        this.helpDesk = helpDesk;
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
        try
        {
            if (claimed.Count == 0) return 0;
            var results = new ConcurrentQueue<(ClaimedDelivery, DeliveryOutcome)>();
            await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = settings.DispatchParallelism, CancellationToken = ct },
                async (delivery, token) => results.Enqueue((delivery, await Attempt(delivery, now, token))));
            var recorded = await queue.Record(claimId, results.ToList(), ct);
            if (recorded < claimed.Count)
                logger.LogWarning("{Lost} deliveries finished after their lease had run out; another pass holds them", claimed.Count - recorded);
            foreach (var (delivery, outcome) in results.Where(r => r.Item2.Status != DeliveryStatus.Sent))
                logger.LogInformation("Delivery {DeliveryId} {Status}: {Detail}", delivery.Id, outcome.Status, outcome.Detail);
            return claimed.Count;
        }
        finally
        {
            // A full batch is followed at once by another pass, which reuses the connections; otherwise they are closed.
            if (claimed.Count < settings.DispatchBatchSize)
                foreach (var sender in senders.Values) await sender.ReleaseConnections();
        }
    }

    async Task<DeliveryOutcome> Attempt(ClaimedDelivery delivery, DateTimeOffset now, CancellationToken ct)
    {
        if (delivery.Recipient == Recipient.HelpDesk) return await OpenTicket(delivery, now, ct);
        if (delivery.Recipient == Recipient.SupportContact
            && !ConsentRules.Covers(delivery.Consent(), delivery.SupportRecipientKind ?? "", ConsentRules.Purpose(delivery.Kind), now))
            return new DeliveryOutcome(DeliveryStatus.Suppressed, null,
                "No consent covers this contact, the purpose and the date (none on record, expired or revoked); not sent.", [], ReasonCode: "consent");
        var channels = delivery.ChannelOptions();
        var failedBefore = delivery.FailedChannelSet();
        var failures = new List<ChannelFailure>();
        while (true)
        {
            var failed = failedBefore.Concat(failures.Select(f => f.Channel)).ToHashSet();
            var decision = DeliveryRules.Decide(new DeliveryAttempt(delivery.Kind, delivery.SessionStartsAt ?? DateTimeOffset.MaxValue, delivery.Attempts,
                channels, failed), now, settings.MaxAttempts);
            switch (decision)
            {
                case DeliveryDecision.Skip skip:
                    return new DeliveryOutcome(DeliveryStatus.Skipped, null, skip.Reason, failures, ReasonCode: skip.Code);
                case DeliveryDecision.Suppress suppress:
                    return new DeliveryOutcome(DeliveryStatus.Suppressed, null, suppress.Reason, failures, ReasonCode: "optOut");
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
                    return Retry(delivery, channel, result.Detail ?? $"{channel} unavailable.", failures, now);
            }
        }
    }

    async Task<DeliveryOutcome> OpenTicket(ClaimedDelivery ticket, DateTimeOffset now, CancellationToken ct)
    {
        if (ticket.Attempts > settings.MaxAttempts)
            return new DeliveryOutcome(DeliveryStatus.Failed, null, $"Gave up after {settings.MaxAttempts} attempts.", []);
        var result = await helpDesk.OpenTicket(ticket, ct);
        return result.Outcome switch
        {
            SendOutcome.Sent => new DeliveryOutcome(DeliveryStatus.Sent, null, null, [], SentAt: clock.GetUtcNow()),
            SendOutcome.PermanentFailure => new DeliveryOutcome(DeliveryStatus.Failed, null, result.Detail, []),
            _ => Retry(ticket, null, result.Detail ?? "Help desk unavailable.", [], now)
        };
    }

    DeliveryOutcome Retry(ClaimedDelivery delivery, Channel? channel, string detail, IReadOnlyList<ChannelFailure> failures, DateTimeOffset now) =>
        DeliveryRules.RetryAt(delivery.Attempts, settings.MaxAttempts, now) is { } retryAt
            ? new DeliveryOutcome(DeliveryStatus.Pending, channel, detail, failures, RetryAt: retryAt)
            : new DeliveryOutcome(DeliveryStatus.Failed, channel, $"{detail} Gave up after {delivery.Attempts} attempts.", failures);

    async Task<SendResult> SendOn(Channel channel, ClaimedDelivery delivery, CancellationToken ct)
    {
        if (!senders.TryGetValue(channel, out var sender))
            return SendResult.Permanent("notConfigured", $"No sender for {channel}.");
        try
        {
            var facts = Facts(delivery);
            var email = MessageTemplates.Render(delivery.Kind, facts, delivery.Language, delivery.ClinicWording(Channel.Email));
            var message = channel == Channel.Email
                ? email
                : new RenderedMessage(delivery.ClinicWording(channel)?.Subject ?? email.Subject,
                    MessageTemplates.RenderShort(delivery.Kind, facts, delivery.Language, delivery.ClinicWording(channel)));
            return await sender.Send(new OutgoingMessage(delivery.Id, delivery.Address(channel)!, message.Subject, message.Body), ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            logger.LogError(e, "Delivery {DeliveryId}: unexpected error while sending on {Channel}", delivery.Id, channel);
            return SendResult.Transient("unexpected", $"Unexpected error while sending ({e.GetType().Name}).");
        }
    }

    /// <summary>What the message may say: times in the recipient's time zone, the link for its kind, the makeups on offer, the help desk.</summary>
    MessageFacts Facts(ClaimedDelivery delivery)
    {
        var zone = Zone(delivery.PatientTimeZone) ?? Zone(delivery.TimeZone) ?? TimeZoneInfo.Utc;
        var portal = settings.PatientPortalUrl.TrimEnd('/');
        var sessionLink = $"{portal}/sessions/{delivery.SessionId}";
        var sessionTime = delivery.SessionStartsAt is { } startsAt
            ? MessageTemplates.DescribeSessionTime(startsAt, zone, delivery.Language)
            : delivery.Kind == DeliveryKind.MakeupBooked ? MessageTemplates.RecordingTime(delivery.Language) : "";
        var link = delivery.Kind switch
        {
            DeliveryKind.MissedSession or DeliveryKind.AbsenceAcknowledged or DeliveryKind.MakeupOptions => sessionLink + "/catch-up",
            DeliveryKind.MakeupReopened => $"{portal}/sessions/{delivery.MissedSessionId}/catch-up",
            DeliveryKind.JoinAlert => sessionLink + "/join",
            DeliveryKind.SessionCancelled => $"{portal}/sessions",
            DeliveryKind.TechnicalSupport => $"{portal}/help/technical",
            DeliveryKind.AttendanceSupport => $"{portal}/care-team",
            DeliveryKind.ClinicianAlert => $"{settings.ClinicianPortalUrl.TrimEnd('/')}/patients/{delivery.PatientId}",
            DeliveryKind.MakeupBooked when delivery.SessionStartsAt is null => sessionLink + "/recording",
            DeliveryKind.SupportUpdate => $"{portal}/supporters",
            _ => sessionLink
        };
        return new MessageFacts(sessionTime, link)
        {
            MakeupOptions = MessageTemplates.DescribeMakeupOptions(delivery.OfferedKinds ?? [], delivery.Language),
            HelpDesk = settings.HelpDesk.Contact,
            Details = ClinicianAlerts.Describe(delivery.Topic, delivery.Language),
            PatientId = delivery.PatientId.ToString()
        };
    }

    static TimeZoneInfo? Zone(string? id) => id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;
}
