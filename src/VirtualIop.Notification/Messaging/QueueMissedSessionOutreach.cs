using MassTransit;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Messaging;

public sealed class QueueMissedSessionOutreach(Outreach outreach) : IConsumer<SessionMissed>
{
    public Task Consume(ConsumeContext<SessionMissed> context) => outreach.QueueMissedSessionOutreach(context.Message, context.CancellationToken);
}
