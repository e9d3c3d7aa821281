using MassTransit;
using VirtualIop.Contracts.Attendance;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Messaging;

public sealed class QueueMissedSessionOutreach(Outreach outreach) : IConsumer<SessionMissed>
{
    /// <summary>Stored in the inbox with each event this consumer processed: changing it would run redelivered events again.</summary>
    public const string InboxKey = "QueueMissedSessionOutreach";

    public Task Consume(ConsumeContext<SessionMissed> context) => outreach.QueueMissedSessionOutreach(context.Message, InboxKey, context.CancellationToken);
}
