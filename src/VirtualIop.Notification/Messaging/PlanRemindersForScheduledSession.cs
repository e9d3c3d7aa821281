using MassTransit;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Messaging;

public sealed class PlanRemindersForScheduledSession(Outreach outreach) : IConsumer<SessionScheduled>
{
    public Task Consume(ConsumeContext<SessionScheduled> context) => outreach.PlanReminders(context.Message, context.CancellationToken);
}
