using MassTransit;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Messaging;

public sealed class DropExpiredMakeup(PatientOutreach outreach) : IConsumer<MakeupExpired>
{
    /// <summary>Stored in the inbox with each event this consumer processed: changing it would run redelivered events again.</summary>
    public const string InboxKey = "DropExpiredMakeup";

    public Task Consume(ConsumeContext<MakeupExpired> context) => outreach.DropExpiredMakeup(context.Message, InboxKey, context.CancellationToken);
}
