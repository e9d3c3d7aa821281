using MassTransit;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Messaging;

public sealed class MoveRemindersOfRescheduledSession(Outreach outreach) : IConsumer<SessionRescheduled>
{
    public Task Consume(ConsumeContext<SessionRescheduled> context) => outreach.MoveReminders(context.Message, context.CancellationToken);
}
