using MassTransit;
using VirtualIop.Contracts.Engagement;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Messaging;

public sealed class AlertClinicianOfEngagementRisk(PatientOutreach outreach) : IConsumer<EngagementRiskRaised>
{
    public Task Consume(ConsumeContext<EngagementRiskRaised> context) => outreach.AlertRisk(context.Message, context.CancellationToken);
}
