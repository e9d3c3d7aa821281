using MassTransit;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Messaging;

public sealed class ConfirmWaitlistPromotion(PatientOutreach outreach) : IConsumer<WaitlistPromoted>
{
    /// <summary>Stored in the inbox with each event this consumer processed: changing it would run redelivered events again.</summary>
    public const string InboxKey = "ConfirmWaitlistPromotion";

    public Task Consume(ConsumeContext<WaitlistPromoted> context) => outreach.ConfirmWaitlistPromotion(context.Message, InboxKey, context.CancellationToken);
}
