using MassTransit;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Messaging;

public sealed class CancelRemindersOfRemovedParticipant(Outreach outreach) : IConsumer<SessionParticipantRemoved>
{
    /// <summary>Stored in the inbox with each event this consumer processed: changing it would run redelivered events again.</summary>
    public const string InboxKey = "CancelRemindersOfRemovedParticipant";

    public Task Consume(ConsumeContext<SessionParticipantRemoved> context) => outreach.RemoveParticipant(context.Message, InboxKey, context.CancellationToken);
}
