using MassTransit;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Messaging;

public sealed class ShareMakeupOptions(PatientOutreach outreach) : IConsumer<MakeupOffered>
{
    /// <summary>Stored in the inbox with each event this consumer processed: changing it would run redelivered events again.</summary>
    public const string InboxKey = "ShareMakeupOptions";

    public Task Consume(ConsumeContext<MakeupOffered> context) => outreach.ShareMakeupOptions(context.Message, InboxKey, context.CancellationToken);
}
