using MassTransit;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Messaging;

public sealed class ConfirmWaitlistPromotion(PatientOutreach outreach) : IConsumer<WaitlistPromoted>
{
    public Task Consume(ConsumeContext<WaitlistPromoted> context) => outreach.ConfirmWaitlistPromotion(context.Message, context.CancellationToken);
}
