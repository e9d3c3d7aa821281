using MassTransit;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Messaging;

public sealed class ConfirmMakeupBooking(PatientOutreach outreach) : IConsumer<MakeupBooked>
{
    /// <summary>Stored in the inbox with each event this consumer processed: changing it would run redelivered events again.</summary>
    public const string InboxKey = "ConfirmMakeupBooking";

    public Task Consume(ConsumeContext<MakeupBooked> context) => outreach.ConfirmMakeupBooking(context.Message, InboxKey, context.CancellationToken);
}
