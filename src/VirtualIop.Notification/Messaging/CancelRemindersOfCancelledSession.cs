using MassTransit;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Messaging;

public sealed class CancelRemindersOfCancelledSession(Outreach outreach) : IConsumer<SessionCancelled>
{
    public Task Consume(ConsumeContext<SessionCancelled> context) => outreach.CancelReminders(context.Message, context.CancellationToken);
}
