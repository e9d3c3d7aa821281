using MassTransit;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Messaging;

public sealed class DropWithdrawnMakeup(PatientOutreach outreach) : IConsumer<MakeupWithdrawn>
{
    public Task Consume(ConsumeContext<MakeupWithdrawn> context) => outreach.DropWithdrawnMakeup(context.Message, context.CancellationToken);
}
