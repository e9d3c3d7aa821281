using MassTransit;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Messaging;

public sealed class AlertClinicianOfEngagementRisk(PatientOutreach outreach) : IConsumer<EngagementRiskRaised>
{
    /// <summary>Stored in the inbox with each event this consumer processed: changing it would run redelivered events again.</summary>
    public const string InboxKey = "AlertClinicianOfEngagementRisk";

    public Task Consume(ConsumeContext<EngagementRiskRaised> context) => outreach.AlertRisk(context.Message, InboxKey, context.CancellationToken);
}
