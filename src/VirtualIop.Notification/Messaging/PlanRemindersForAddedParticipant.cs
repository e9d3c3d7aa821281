using MassTransit;
using VirtualIop.Contracts.Scheduling;
using VirtualIop.Notification.Data;

namespace VirtualIop.Notification.Messaging;

public sealed class PlanRemindersForAddedParticipant(Outreach outreach) : IConsumer<SessionParticipantAdded>
{
    /// <summary>Stored in the inbox with each event this consumer processed: changing it would run redelivered events again.</summary>
    public const string InboxKey = "PlanRemindersForAddedParticipant";

    public Task Consume(ConsumeContext<SessionParticipantAdded> context) => outreach.AddParticipant(context.Message, InboxKey, context.CancellationToken);
}
