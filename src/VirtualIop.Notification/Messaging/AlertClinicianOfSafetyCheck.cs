using MassTransit;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Messaging;

public sealed class AlertClinicianOfSafetyCheck(SafetyAlerts alerts) : IConsumer<SafetyCheckOpened>
{
    /// <summary>Stored in the inbox with each event this consumer processed: changing it would run redelivered events again.</summary>
    public const string InboxKey = "AlertClinicianOfSafetyCheck";

    public Task Consume(ConsumeContext<SafetyCheckOpened> context) => alerts.Open(context.Message, InboxKey, context.CancellationToken);
}
