using MassTransit;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Messaging;

public sealed class DropExpiredMakeup(PatientOutreach outreach) : IConsumer<MakeupExpired>
{
    public Task Consume(ConsumeContext<MakeupExpired> context) => outreach.DropExpiredMakeup(context.Message, context.CancellationToken);
}
