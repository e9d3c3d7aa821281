using MassTransit;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Messaging;

public sealed class ShareMakeupOptions(PatientOutreach outreach) : IConsumer<MakeupOffered>
{
    public Task Consume(ConsumeContext<MakeupOffered> context) => outreach.ShareMakeupOptions(context.Message, context.CancellationToken);
}
