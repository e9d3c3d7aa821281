using Microsoft.Extensions.Options;
using Npgsql;
using VirtualIop.BuildingBlocks.Workers;
using VirtualIop.Notification.Channels;
using VirtualIop.Notification.Channels.HelpDesk;
using VirtualIop.Notification.Data;
using VirtualIop.Notification.Domain;
using VirtualIop.Notification.Extensions;

namespace VirtualIop.Notification.Workers;

/// <summary>
/// Sends the deliveries that have come due, at most once each. A pass claims a batch under a lease and sends it with a
/// few senders in parallel (each keeping its SMTP connection for the pass). For each delivery it tries the recipient's
/// channels in their order: a channel that refuses the message for good is recorded (DeliveryFailed) and the next one is
/// tried at once; a failure that certainly kept the message from the provider hands the delivery back to a later pass.
/// <para>
/// Before each provider call the delivery is marked in flight under the pass's claim (renewing the lease), and the call
/// has a time budget (Notification:SendTimeout, at most half the lease), so it ends while the lease holds. Each outcome
/// is recorded as soon as that delivery finishes, in its own short transaction with ReminderSent or DeliveryFailed.
/// A call whose outcome cannot be known (a timeout or broken connection after the message was handed over) records the
/// delivery as unknown, and a delivery still in flight when its lease runs out (its sender died) becomes unknown at the
/// next claim: an unknown delivery is shown and logged by id, never sent again. A claimed delivery that no call had
/// started when its sender died is claimed again once the lease runs out. So every delivery goes out at most once.
/// </para>
/// </summary>
public sealed class DeliveryDispatcher : DueTimeWorker
{
    readonly DeliveryQueue queue;
    readonly IReadOnlyDictionary<Channel, IChannelSender> senders;
    readonly HelpDeskWebhook helpDesk;
    readonly NotificationMetrics metrics;
    readonly NotificationOptions settings;
    readonly TimeProvider clock;
    readonly ILogger<DeliveryDispatcher> logger;

    public DeliveryDispatcher(DeliveryQueue queue, IEnumerable<IChannelSender> senders, HelpDeskWebhook helpDesk, NotificationMetrics metrics,
        IOptions<NotificationOptions> options, TimeProvider clock, ILogger<DeliveryDispatcher> logger)
        : base(clock, logger)
    {
        this.queue = queue;
        this.senders = senders.ToDictionary(s => s.Channel);
        this.helpDesk = helpDesk;
        this.metrics = metrics;
        settings = options.Value;
        this.clock = clock;
        this.logger = logger;
    }

    protected override TimeSpan Interval => settings.DispatchInterval;

    protected override int BatchSize => settings.DispatchBatchSize;

    /// <summary>One pass: its claim, and its own time, which starts at the time it was run for and moves with the clock.</summary>
    readonly record struct Pass(Guid ClaimId, DateTimeOffset Start, long Timestamp);

    DateTimeOffset Now(Pass pass) => pass.Start + clock.GetElapsedTime(pass.Timestamp);

    public override async Task<int> RunOnce(DateTimeOffset now, CancellationToken ct)
    {
        foreach (var lost in await queue.MarkInterrupted(now, ct))
            logger.LogWarning("Delivery {DeliveryId} of clinic {ClinicId} was in flight on {Channel} under claim {ClaimId} when its lease ran out: outcome unknown, not sent again",
                lost.Id, lost.ClinicId, lost.Channel, lost.ClaimId);
        var due = await queue.Due(now, ct);
        metrics.RecordDue(due.Count, due.OldestDueAt is { } oldest ? now - oldest : TimeSpan.Zero);
        var pass = new Pass(Guid.CreateVersion7(), now, clock.GetTimestamp());
        var claimed = await queue.Claim(pass.ClaimId, now, settings.DispatchLease, settings.DispatchBatchSize, ct);
        try
        {
            if (claimed.Count == 0) return 0;
            await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = settings.DispatchParallelism, CancellationToken = ct },
                async (delivery, token) => await Dispatch(pass, delivery, token));
            return claimed.Count;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping: what this pass claimed but never started is due again for the other replicas at once.
            await queue.Release(pass.ClaimId, CancellationToken.None);
            throw;
        }
        finally
        {
            // A full batch is followed at once by another pass, which reuses the connections; otherwise they are closed.
            if (claimed.Count < settings.DispatchBatchSize)
                foreach (var sender in senders.Values) await sender.ReleaseConnections();
        }
    }

    /// <summary>Sends one delivery and records its outcome at once, even while stopping (the provider call has already ended).</summary>
    async Task Dispatch(Pass pass, ClaimedDelivery delivery, CancellationToken ct)
    {
        var outcome = await Attempt(pass, delivery, ct);
        if (outcome is null)
        {
            logger.LogInformation("Delivery {DeliveryId}: no longer held by this pass before it was sent (withdrawn, or taken over after its lease ran out)", delivery.Id);
            return;
        }
        try
        {
            if (!await queue.Record(pass.ClaimId, delivery, outcome, CancellationToken.None))
                logger.LogWarning("Delivery {DeliveryId} finished after another pass had taken it over; its outcome ({Status}) was not recorded", delivery.Id, outcome.Status);
            else
                metrics.RecordDelivery(outcome.Status, outcome.Channel);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            logger.LogError(e, "Delivery {DeliveryId} of clinic {ClinicId}: outcome {Status} could not be recorded; it shows as unknown once its lease runs out",
                delivery.Id, delivery.ClinicId, outcome.Status);
            return;
        }
        if (outcome.Status == DeliveryStatus.Unknown)
            logger.LogWarning("Delivery {DeliveryId} of clinic {ClinicId} on {Channel} under claim {ClaimId}: outcome unknown ({Reason}), not sent again",
                delivery.Id, delivery.ClinicId, outcome.Channel, pass.ClaimId, outcome.ReasonCode);
        else if (outcome.Status != DeliveryStatus.Sent)
            logger.LogInformation("Delivery {DeliveryId} {Status}: {Detail}", delivery.Id, outcome.Status, outcome.Detail);
    }

    /// <returns>How the delivery ended, or null when the pass lost it before a provider call, withdrawn or taken over (nothing to record).</returns>
    async Task<DeliveryOutcome?> Attempt(Pass pass, ClaimedDelivery delivery, CancellationToken ct)
    {
        var now = pass.Start;
        if (delivery.Recipient == Recipient.HelpDesk) return await OpenTicket(pass, delivery, ct);
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
            if (ct.IsCancellationRequested) return Released(channel, failures);
            string? token = null;
            if (PageFor(delivery) is not null)
            {
                token = await queue.BeginAttemptWithLink(pass.ClaimId, delivery, channel, Now(pass), settings.DispatchLease, settings.PatientLinks.Lifetime,
                    CancellationToken.None);
                if (token is null) return null;
            }
            else if (!await queue.BeginAttempt(pass.ClaimId, delivery.Id, channel, Now(pass), settings.DispatchLease, CancellationToken.None)) return null;
            var result = await SendOn(channel, delivery, token, ct);
            switch (result.Outcome)
            {
                case SendOutcome.Sent:
                    return new DeliveryOutcome(DeliveryStatus.Sent, channel, null, failures, SentAt: clock.GetUtcNow());
                case SendOutcome.Unknown:
                    return new DeliveryOutcome(DeliveryStatus.Unknown, channel, result.Detail, failures, ReasonCode: result.Reason ?? "noAnswer");
                case SendOutcome.PermanentFailure:
                    logger.LogWarning("Delivery {DeliveryId} refused on {Channel} ({Reason}); trying the next channel", delivery.Id, channel, result.Reason);
                    failures.Add(new ChannelFailure(channel, result.Reason ?? "refused", result.Detail ?? "Refused."));
                    continue;
                default:
                    return ct.IsCancellationRequested
                        ? Released(channel, failures)
                        : Retry(delivery, channel, result.Detail ?? $"{channel} unavailable.", failures, now);
            }
        }
    }

    async Task<DeliveryOutcome?> OpenTicket(Pass pass, ClaimedDelivery ticket, CancellationToken ct)
    {
        var now = pass.Start;
        if (ticket.Attempts > settings.MaxAttempts)
            return new DeliveryOutcome(DeliveryStatus.Failed, null, $"Gave up after {settings.MaxAttempts} attempts.", []);
        if (ct.IsCancellationRequested) return Released(null, []);
        if (!await queue.BeginAttempt(pass.ClaimId, ticket.Id, null, Now(pass), settings.DispatchLease, CancellationToken.None)) return null;
        var result = await WithinBudget(token => helpDesk.OpenTicket(ticket, token), "help desk", ct);
        return result.Outcome switch
        {
            SendOutcome.Sent => new DeliveryOutcome(DeliveryStatus.Sent, null, null, [], SentAt: clock.GetUtcNow()),
            SendOutcome.Unknown => new DeliveryOutcome(DeliveryStatus.Unknown, null, result.Detail, [], ReasonCode: result.Reason ?? "noAnswer"),
            SendOutcome.PermanentFailure => new DeliveryOutcome(DeliveryStatus.Failed, null, result.Detail, []),
            _ when ct.IsCancellationRequested => Released(null, []),
            _ => Retry(ticket, null, result.Detail ?? "Help desk unavailable.", [], now)
        };
    }

    DeliveryOutcome Retry(ClaimedDelivery delivery, Channel? channel, string detail, IReadOnlyList<ChannelFailure> failures, DateTimeOffset now) =>
        DeliveryRules.RetryAt(delivery.Attempts, settings.MaxAttempts, now) is { } retryAt
            ? new DeliveryOutcome(DeliveryStatus.Pending, channel, detail, failures, RetryAt: retryAt)
            : new DeliveryOutcome(DeliveryStatus.Failed, channel, $"{detail} Gave up after {delivery.Attempts} attempts.", failures);

    /// <summary>Stopping before the message was handed over: the delivery is due again at once, for another replica.</summary>
    static DeliveryOutcome Released(Channel? channel, IReadOnlyList<ChannelFailure> failures) =>
        new(DeliveryStatus.Pending, channel, "The sender stopped before the message was handed over; it is sent by another pass.", failures);

    /// <summary>
    /// Runs one provider call within Notification:SendTimeout. A sender reports a call cut off after the message was
    /// handed over as unknown itself, so a cancellation that escapes it means nothing was handed over.
    /// </summary>
    async Task<SendResult> WithinBudget(Func<CancellationToken, Task<SendResult>> call, string provider, CancellationToken ct)
    {
        using var budget = new CancellationTokenSource(settings.SendTimeout, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, budget.Token);
        try
        {
            return await call(linked.Token);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return SendResult.Transient("interrupted", "The sender stopped before the message was handed over.");
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested)
        {
            return SendResult.Transient("timeout", $"Not handed over to the {provider} within {settings.SendTimeout}; tried again later.");
        }
        catch (Exception e)
        {
            // A sender reports what it expects; anything else may have struck after the message left, so it is not retried.
            // Logged by type only: a provider library's message may quote the recipient.
            logger.LogError("Unexpected {Exception} while sending to the {Provider}", e.GetType().FullName, provider);
            return SendResult.Unknown("unexpected", $"Unexpected error while sending ({e.GetType().Name}); the message may have gone out, so it is not sent again.");
        }
    }

    /// <summary>The page a message to the patient opens through its personal link; null for a message to anyone else.</summary>
    static string? PageFor(ClaimedDelivery delivery) =>
        delivery.Recipient == Recipient.Patient ? PatientLinks.PageFor(delivery.Kind, delivery.SessionId) : null;

    /// <param name="token">The personal link minted with this attempt, for a message to the patient.</param>
    async Task<SendResult> SendOn(Channel channel, ClaimedDelivery delivery, string? token, CancellationToken ct)
    {
        if (!senders.TryGetValue(channel, out var sender))
            return SendResult.Permanent("notConfigured", $"No sender for {channel}.");
        OutgoingMessage outgoing;
        try
        {
            var facts = Facts(delivery, token);
            var wording = delivery.ClinicWording(channel);
            var message = channel == Channel.Email
                ? MessageTemplates.Render(delivery.Kind, facts, delivery.Language, wording)
                : new RenderedMessage(MessageTemplates.RenderTitle(delivery.Kind, facts, delivery.Language, wording),
                    MessageTemplates.RenderShort(delivery.Kind, facts, delivery.Language, wording));
            outgoing = new OutgoingMessage(delivery.Id, delivery.Address(channel)!, message.Subject, message.Body);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Delivery {DeliveryId}: unexpected error while rendering for {Channel}", delivery.Id, channel);
            return SendResult.Transient("unexpected", $"Unexpected error while rendering the message ({e.GetType().Name}).");
        }
        return await WithinBudget(token => sender.Send(outgoing, token), $"{Contacts.Name(channel)} provider", ct);
    }

    /// <summary>
    /// What the message may say: times in the recipient's time zone, the link for its kind (a patient's own personal
    /// link, on the clinic's own portal when it runs one), the makeups on offer, the help desk.
    /// </summary>
    MessageFacts Facts(ClaimedDelivery delivery, string? token)
    {
        var zone = Zone(delivery.PatientTimeZone) ?? Zone(delivery.TimeZone) ?? TimeZoneInfo.Utc;
        var portal = delivery.PatientPortalUrl ?? settings.PatientPortalUrl;
        var sessionTime = delivery.SessionStartsAt is { } startsAt
            ? MessageTemplates.DescribeSessionTime(startsAt, zone, delivery.Language)
            : delivery.Kind == DeliveryKind.MakeupBooked ? MessageTemplates.RecordingTime(delivery.Language) : "";
        var link = (token, PageFor(delivery), delivery.Kind) switch
        {
            ({ } personal, { } page, _) => PatientLinks.Build(portal, personal, page),
            (_, _, DeliveryKind.ClinicianAlert or DeliveryKind.SafetyAlert) => $"{settings.ClinicianPortalUrl.TrimEnd('/')}/patients/{delivery.PatientId}",
            (_, _, DeliveryKind.SupportUpdate) => $"{settings.PatientPortalUrl.TrimEnd('/')}/supporters",
            _ => portal.TrimEnd('/')
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
