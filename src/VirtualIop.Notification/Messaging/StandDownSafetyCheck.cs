using MassTransit;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Messaging;

/// <summary>The clinician acknowledged a safety check: no escalation, and the patient's held messages about that session are cancelled.</summary>
public sealed class StandDownSafetyCheck(SafetyAlerts alerts) : IConsumer<SafetyCheckAcknowledged>
{
    /// <summary>Stored in the inbox with each event this consumer processed: changing it would run redelivered events again.</summary>
    public const string InboxKey = "StandDownSafetyCheck";

    public Task Consume(ConsumeContext<SafetyCheckAcknowledged> context) => alerts.Acknowledge(context.Message, InboxKey, context.CancellationToken);
}
