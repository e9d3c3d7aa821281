using MassTransit;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Messaging;

public sealed class ConfirmMakeupBooking(PatientOutreach outreach) : IConsumer<MakeupBooked>
{
    public Task Consume(ConsumeContext<MakeupBooked> context) => outreach.ConfirmMakeupBooking(context.Message, context.CancellationToken);
}
