using MassTransit;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Messaging;

public sealed class DropWithdrawnMakeup(PatientOutreach outreach) : IConsumer<MakeupWithdrawn>
{
    /// <summary>Stored in the inbox with each event this consumer processed: changing it would run redelivered events again.</summary>
    public const string InboxKey = "DropWithdrawnMakeup";

    public Task Consume(ConsumeContext<MakeupWithdrawn> context) => outreach.DropWithdrawnMakeup(context.Message, InboxKey, context.CancellationToken);
}
